"""Reading an untrusted catalog file within limits, before any parser builds it in memory.

The upload limit counts the bytes as sent. CSV and JSON are not packed, so that is also the most
text they decode to. An XLSX is a zip: the unpacked sizes of its members are summed from the zip's
central directory (zipfile stops reading a member at its stated size, so a member that lies fails
its CRC check instead of growing), and its XML is scanned with expat, with no DTD or entity
allowed, for its rows and cells, all before openpyxl opens it. JSON is scanned for its nesting
depth before `json.loads` recurses into it. Errors name a row and a column, like every import
error (docs/catalog.md, "Import limits and safe exports")."""

import csv
import io
import json
import re
import zipfile
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.exchange.errors import CatalogImportTooLarge

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # the file as uploaded
MAX_UNPACKED_BYTES = 25 * 1024 * 1024  # an XLSX's members, unpacked, together
MAX_PACKING_RATIO = 100  # unpacked / packed, for a workbook that unpacks past RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 200  # a workbook of two sheets has about a dozen
MAX_ROWS = 2_000  # deed types (or virtues, SDGs, categories) in one file: the catalog has 34
MAX_SHEET_ROWS = 10_000  # rows of a sheet or CSV file, blank ones included
MAX_COLUMNS = 50  # cells of a row: a deed type has 25 columns
MAX_JSON_DEPTH = 20  # a kwamdee-catalog document nests 5 levels deep
MAX_JSON_CONTAINERS = 100_000  # objects and lists in one JSON file

SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_SUFFIXES = (".xml", ".rels", ".vml")
_ROW_NUMBER = re.compile(r"[0-9]{1,9}")
_COLUMN_LETTERS = re.compile(r"[A-Za-z]{1,3}")
# In JSON text: an escape (two characters, inside a string), a quote, or a bracket.
_JSON_TOKEN = re.compile(r'\\.|["\[\]{}]', re.DOTALL)

# A cell may be as long as the whole file: too long a cell is then a row and column error from
# the validation (MAX_CELL_CHARS), never the csv module's own "field larger than field limit".
csv.field_size_limit(max(csv.field_size_limit(), MAX_IMPORT_BYTES))


def _not_xlsx() -> CatalogImportInvalid:
    return CatalogImportInvalid([(1, "file", _("This is not an XLSX file."))])


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f}"


def upload_size_check(content: bytes) -> None:
    """The file as sent: `content` is read with at most MAX_IMPORT_BYTES + 1 bytes."""
    if len(content) > MAX_IMPORT_BYTES:
        raise CatalogImportTooLarge([(1, "file", _("The file is larger than 5 MB."))])


# --- JSON ----------------------------------------------------------------------------------------


def _json_nesting_check(text: str) -> None:
    """Counts brackets outside strings, without recursion, in one pass over the text."""
    depth = containers = 0
    in_string = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == '"':
            in_string = not in_string
        elif in_string or token[0] == "\\":
            continue
        elif token in "[{":
            depth += 1
            containers += 1
            if depth > MAX_JSON_DEPTH:
                raise CatalogImportInvalid([(1, "file", _(
                    "The JSON is nested deeper than %(n)s levels."
                ) % {"n": MAX_JSON_DEPTH})])  # fmt: skip
            if containers > MAX_JSON_CONTAINERS:
                raise CatalogImportTooLarge([(1, "file", _(
                    "The JSON has more than %(n)s objects and lists."
                ) % {"n": f"{MAX_JSON_CONTAINERS:,}"})])  # fmt: skip
        else:
            depth -= 1


def json_read(content: bytes) -> Any:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogImportInvalid([(1, "file", _("This is not a JSON file: %(e)s") % {"e": exc})]) from exc
    _json_nesting_check(text)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CatalogImportInvalid([(1, "file", _("This is not a JSON file: %(e)s") % {"e": exc})]) from exc


# --- CSV -----------------------------------------------------------------------------------------


def _too_many_rows(row: int) -> CatalogImportTooLarge:
    return CatalogImportTooLarge([(row, "file", _(
        "A file can hold at most %(rows)s rows (and %(lines)s lines with blank ones)."
    ) % {"rows": f"{MAX_ROWS:,}", "lines": f"{MAX_SHEET_ROWS:,}"})])  # fmt: skip


def csv_read(content: bytes) -> list[list[str]]:
    """The CSV's rows (a row is a record: a cell may hold several lines)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogImportInvalid([(1, "file", _("Save the CSV file as UTF-8."))]) from exc
    table: list[list[str]] = []
    errors: list[tuple[int | str, str, str]] = []
    filled = 0
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > MAX_SHEET_ROWS:
                raise _too_many_rows(number)
            if len(record) > MAX_COLUMNS:
                errors.append((number, str(MAX_COLUMNS + 1), _(
                    "A row can have at most %(n)s cells."
                ) % {"n": MAX_COLUMNS}))  # fmt: skip
                record = record[:MAX_COLUMNS]
            if any(cell.strip() for cell in record):
                filled += 1
                if filled > MAX_ROWS + 1:  # and the header
                    raise _too_many_rows(number)
            table.append(record)
    except csv.Error as exc:
        raise CatalogImportInvalid(
            [(len(table) + 1, "file", _("This is not a CSV file: %(e)s") % {"e": exc})]
        ) from exc
    if errors:
        raise CatalogImportInvalid(errors)
    return table


# --- XLSX ----------------------------------------------------------------------------------------


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _xml_scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Reads one XML member with expat: no DTD (so no entities), rows and cells within limits."""
    parser = expat.ParserCreate(namespace_separator=" ")
    rows = cells = strings = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal rows, cells, strings
        namespace, _sep, local = name.rpartition(" ")
        if namespace != SPREADSHEET_NS:
            return
        if local == "row":
            rows, cells = rows + 1, 0
            number = attrs.get("r", str(rows))
            if rows > MAX_SHEET_ROWS or not _ROW_NUMBER.fullmatch(number) or int(number) > MAX_SHEET_ROWS:
                raise _too_many_rows(rows)
        elif local == "c":
            cells += 1
            letters = attrs.get("r", "").rstrip("0123456789")
            wide = _COLUMN_LETTERS.fullmatch(letters) and _column_number(letters) > MAX_COLUMNS
            if cells > MAX_COLUMNS or wide:
                raise CatalogImportTooLarge([(rows, str(MAX_COLUMNS + 1), _(
                    "A row can have at most %(n)s cells."
                ) % {"n": MAX_COLUMNS})])  # fmt: skip
        elif local == "si":
            strings += 1
            if strings > MAX_SHEET_ROWS * MAX_COLUMNS:
                raise _too_many_rows(1)

    def refuse(*args: Any) -> None:
        raise _not_xlsx()

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    with archive.open(member) as stream:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def xlsx_check(content: bytes) -> None:
    """Refuses a workbook past the limits, reading only the zip's directory and its XML."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except Exception as exc:  # zipfile raises several kinds for what is not a zip
        raise _not_xlsx() from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise CatalogImportTooLarge([(1, "file", _(
                "The workbook has more than %(n)s parts."
            ) % {"n": MAX_ZIP_MEMBERS})])  # fmt: skip
        unpacked = sum(m.file_size for m in members)
        packed = max(1, sum(m.compress_size for m in members))
        if unpacked > MAX_UNPACKED_BYTES or (
            unpacked > RATIO_FROM_BYTES and unpacked > MAX_PACKING_RATIO * packed
        ):
            raise CatalogImportTooLarge([(1, "file", _(
                "The workbook unpacks to %(size)s MB: at most %(limit)s MB, and at most %(ratio)s "
                "times its packed size, can be imported."
            ) % {"size": _megabytes(unpacked), "limit": _megabytes(MAX_UNPACKED_BYTES),
                 "ratio": MAX_PACKING_RATIO})])  # fmt: skip
        for member in members:
            # An XLSX is deflated or stored; bzip2 and lzma members are read in one step,
            # without a bound on what one step unpacks to. Encrypted members are not XLSX.
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or member.flag_bits & 1:
                raise _not_xlsx()
        try:
            for member in members:
                if member.filename.lower().endswith(XML_SUFFIXES):
                    _xml_scan(archive, member)
        except CatalogImportInvalid:
            raise
        except Exception as exc:  # bad XML, a member that fails its CRC check, a broken stream
            raise _not_xlsx() from exc


def xlsx_open(content: bytes) -> "Workbook":
    """The workbook, read-only, once `xlsx_check` has passed."""
    xlsx_check(content)
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise _not_xlsx() from exc


def sheet_rows(sheet: "ReadOnlyWorksheet") -> list[list[Any]]:
    """A sheet's rows as values, each MAX_COLUMNS wide, whatever size the sheet claims to be."""
    sheet.reset_dimensions()  # the stated size is not trusted: it could say A1:XFD1048576
    rows: list[list[Any]] = []
    filled = 0
    try:
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if any(v not in (None, "") for v in values):
                filled += 1
                if filled > MAX_ROWS + 1:
                    raise _too_many_rows(number)
            rows.append(list(values))
    except CatalogImportInvalid:
        raise
    except Exception as exc:  # a cell openpyxl cannot read
        raise _not_xlsx() from exc
    return rows
