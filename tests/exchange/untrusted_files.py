"""Hostile and broken catalog files, made for real in the tests (issue 9: untrusted files)."""

import io
import json
import struct
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook

from kwamdee.catalog.validation import COLUMNS

SHEET = "xl/worksheets/sheet1.xml"  # the deed_types sheet of `workbook_bytes()`
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
MIB = 1024 * 1024


def workbook_bytes(edit=None) -> bytes:
    """A workbook with a deed_types sheet holding the header row; `edit(sheet)` may add cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "deed_types"
    sheet.append(COLUMNS)
    if edit is not None:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_member(content: bytes, member: str, chunks: Iterable[bytes]) -> bytes:
    """The zip `content` with `member` replaced by `chunks`, deflated as they are written (a
    200 MB member never sits in memory)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
        with target.open(member, "w") as stream:
            for chunk in chunks:
                stream.write(chunk)
    return buffer.getvalue()


def zip_bomb(unpacked_mib: int) -> bytes:
    """A real XLSX whose sheet XML is `unpacked_mib` MiB of one repeated byte inside sheetData."""
    block = b" " * MIB
    return with_member(workbook_bytes(), SHEET, [SHEET_HEAD, *([block] * unpacked_mib), SHEET_TAIL])


def understated(content: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s size in the central directory changed to `size` (a lie)."""
    data = bytearray(content)
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            data[at + 24 : at + 28] = struct.pack("<I", size)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise ValueError(member)


def nested_json(levels: int) -> bytes:
    """A kwamdee-catalog document whose one deed type holds a list nested `levels` deep."""
    return (
        b'{"format": "kwamdee-catalog", "deed_types": [{"code": "deep", "name_th": '
        + b"[" * levels
        + b"]" * levels
        + b"}]}"
    )


def catalog_json(**parts) -> bytes:
    return json.dumps({"format": "kwamdee-catalog", **parts}, ensure_ascii=False).encode()
