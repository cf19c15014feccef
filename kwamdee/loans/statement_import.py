"""Repayments imported from a bank statement (docs/loans.md, "Repayments from a bank statement").

The committee's treasurer exports the fund's account statement from the bank as CSV and uploads
it. `statement_preview` reads it and writes nothing: each row is matched to a loan of the fund,
or not (with the reason, translated), or found already recorded. `statement_import_confirm`
reads the same file again, under the matched loans' locks, and records each matched row through
`loan_repayment_record` (its own `loan:repay` event each), plus one `loan_fund:statement_import`
event. Importing the same file again, or a later statement that repeats some of its rows,
records nothing twice: each row's repayment reference is a hash of its date, amount, reference
and how many identical rows came before it in the file (`row_key`), and the repayment service
returns the first repayment for a reference it has seen.

The file: checked for its size as sent (1 MB) and sniffed for text before it is parsed
(common/uploads.py, as the attendance file is), decoded as UTF-8 (with or without a byte-order
mark) or else as TIS-620 / Windows-874 (Thai banks' exports), read with the csv module within a
number of rows and cells. The first row names the columns, in any order; other columns (the
bank's balance, channel…) are ignored:

- `date` (or `วันที่`): 2027-01-31, or 31/01/2027 (a year above 2400 is Buddhist era: 31/01/2570);
- `amount` (or `จำนวนเงิน`): baht, at most two decimals, commas between thousands allowed
  (1,250.50);
- `reference` (or `อ้างอิง`, `รายละเอียด`): must contain the loan's reference, `LN-` and 8 hex
  digits (`loans.selectors.loan_reference`), in any case, with or without the hyphen, among other
  text. The borrower's phone is not matched: a person may have several loans, a phone may be
  shared or changed, and matching on it would read personal data for every row."""

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied, ServiceError
from kwamdee.common.locks import rows_lock
from kwamdee.common.uploads import looks_like_text, upload_read, upload_too_large
from kwamdee.loans.choices import OUTSTANDING_STATES
from kwamdee.loans.errors import StatementInvalid, StatementTooLarge
from kwamdee.loans.events import LoansEvent
from kwamdee.loans.models import Loan, LoanFund, Repayment
from kwamdee.loans.schedule import baht, to_satang
from kwamdee.loans.selectors import loan_owed, loan_reference, loans_kept_by
from kwamdee.loans.services import loan_repayment_record

MAX_FILE_BYTES = 1024 * 1024  # a year of a fund's statement lines fits in a small part of it
MAX_ROWS = 5000  # statement lines in one file
MAX_LINES = 10_000  # records of the file, blank ones included
MAX_COLUMNS = 30  # a bank's export has about a dozen
ENCODINGS = ("utf-8-sig", "cp874")  # UTF-8 (with or without BOM), then TIS-620 / Windows-874

DATE = "date"
AMOUNT = "amount"
REFERENCE = "reference"
COLUMNS = [DATE, AMOUNT, REFERENCE]
ALIASES = {"วันที่": DATE, "จำนวนเงิน": AMOUNT, "อ้างอิง": REFERENCE, "รายละเอียด": REFERENCE}
KEY_PREFIX = "stmt:"

_LOAN_REFERENCE = re.compile(r"LN-?([0-9A-F]{8})", re.IGNORECASE)
_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_THAI_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
BUDDHIST_ERA_FROM = 2400
BUDDHIST_ERA_OFFSET = 543

MATCHED = "matched"
UNMATCHED = "unmatched"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class StatementRow:
    """One line of the statement as the preview shows it."""

    number: int  # the row of the file (the header is row 1)
    paid_on: date | None
    amount_satang: int | None
    reference: str  # the cell, as written
    status: str  # matched, unmatched or duplicate
    loan: Loan | None = None
    reason: Any = ""  # why unmatched (translated), or what it duplicates
    key: str = ""  # the repayment reference it is recorded under


@dataclass(frozen=True)
class StatementPreview:
    file_sha256: str
    rows: list[StatementRow]

    def of(self, status: str) -> list[StatementRow]:
        return [r for r in self.rows if r.status == status]

    @property
    def matched(self) -> list[StatementRow]:
        return self.of(MATCHED)

    @property
    def unmatched(self) -> list[StatementRow]:
        return self.of(UNMATCHED)

    @property
    def duplicates(self) -> list[StatementRow]:
        return self.of(DUPLICATE)

    @property
    def matched_satang(self) -> int:
        return sum(r.amount_satang or 0 for r in self.matched)


@dataclass(frozen=True)
class StatementImported:
    file_sha256: str
    recorded: list[Repayment]
    duplicates: list[StatementRow]
    unmatched: list[StatementRow]
    # Rows matched in the preview but refused when recorded (the loan changed meanwhile).
    refused: list[StatementRow] = field(default_factory=list)


# --- the file ------------------------------------------------------------------------------------


def _file_error(message: Any, *, too_large: bool = False) -> StatementInvalid:
    kind = StatementTooLarge if too_large else StatementInvalid
    return kind([(1, "file", message)])


def _content(file: IO[bytes] | bytes) -> bytes:
    return file if isinstance(file, bytes) else upload_read(file, MAX_FILE_BYTES)


def _text(content: bytes) -> str:
    if upload_too_large(content, MAX_FILE_BYTES):
        raise _file_error(_("The file is larger than 1 MB."), too_large=True)
    if not content.strip():
        raise _file_error(_("The file is empty."))
    if not looks_like_text(content):
        raise _file_error(_("This is not a CSV file. Export the bank statement as CSV."))
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error(_("Save the CSV file as UTF-8 or TIS-620 (Thai)."))


def _table(text: str) -> list[tuple[int, list[str]]]:
    """The file's non-blank records with their row numbers."""
    table: list[tuple[int, list[str]]] = []
    too_many = _("A statement can list at most %(n)s rows.") % {"n": f"{MAX_ROWS:,}"}
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > MAX_LINES:
                raise StatementTooLarge([(number, "file", too_many)])
            if len(record) > MAX_COLUMNS:
                raise StatementInvalid(
                    [(number, "file", _("A row can have at most %(n)s cells.") % {"n": MAX_COLUMNS})]
                )
            if any(cell.strip() for cell in record):
                table.append((number, record))
                if len(table) > MAX_ROWS + 1:  # and the header
                    raise StatementTooLarge([(number, "file", too_many)])
    except csv.Error as exc:
        raise StatementInvalid(
            [(len(table) + 1, "file", _("This is not a CSV file: %(e)s") % {"e": exc})]
        ) from None
    return table


def _header(number: int, row: list[str]) -> dict[str, int]:
    names = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in row]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise StatementInvalid(
            [
                (number, c, _("The first row must name the columns date, amount and reference."))
                for c in missing
            ]
        )
    twice = [c for c in COLUMNS if names.count(c) > 1]
    if twice:
        raise StatementInvalid([(number, c, _("This column is named twice.")) for c in twice])
    return {c: names.index(c) for c in COLUMNS}


def parse_date(cell: str) -> date | None:
    """2027-01-31, or 31/01/2027 (31/01/2570 in the Buddhist era); None if neither."""
    cell = cell.strip()
    try:
        if m := _ISO_DATE.fullmatch(cell):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _THAI_DATE.fullmatch(cell):
            year = int(m[3])
            if year > BUDDHIST_ERA_FROM:
                year -= BUDDHIST_ERA_OFFSET
            return date(year, int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def parse_amount(cell: str) -> int | None:
    """Baht with at most two decimals, commas between thousands allowed, as satang; None if not."""
    cell = cell.strip()
    if not _AMOUNT.fullmatch(cell):
        return None
    try:
        return to_satang(Decimal(cell.replace(",", "")))
    except (InvalidOperation, ValueError):
        return None


def row_key(paid_on: date, amount_satang: int, reference: str, occurrence: int) -> str:
    """The repayment reference a row is recorded under: the same line in a later file (or the
    same file again) gives the same key; identical lines in one file differ by their occurrence."""
    normal = " ".join(reference.split()).upper()
    text = f"{paid_on.isoformat()}|{amount_satang}|{normal}|{occurrence}"
    return KEY_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:40]


# --- matching ----------------------------------------------------------------------------------


def _require_keeper(actor: Actor, fund: LoanFund) -> None:
    if not loans_kept_by(actor, fund):
        raise PermissionDenied()


def _read(content: bytes) -> list[tuple[int, str, str, str]]:
    """(row number, date, amount, reference) cells of every line under the header."""
    table = _table(_text(content))
    if not table:
        raise _file_error(_("The file is empty."))
    (header_number, header), lines = table[0], table[1:]
    at = _header(header_number, header)

    def cell(record: list[str], column: str) -> str:
        index = at[column]
        return record[index] if index < len(record) else ""

    return [(n, cell(r, DATE), cell(r, AMOUNT), cell(r, REFERENCE)) for n, r in lines]


def _match(
    actor: Actor, fund: LoanFund, lines: list[tuple[int, str, str, str]], *, today: date
) -> list[StatementRow]:
    by_reference: dict[str, list[Loan]] = {}
    for loan in Loan.objects.filter(fund=fund).order_by("pk"):
        by_reference.setdefault(loan_reference(loan)[3:], []).append(loan)
    owed: dict[int, int] = {}
    seen: Counter[tuple[date, int, str]] = Counter()
    rows: list[StatementRow] = []
    for number, date_cell, amount_cell, reference in lines:
        paid_on, amount = parse_date(date_cell), parse_amount(amount_cell)

        def unmatched(reason: Any, loan: Loan | None = None) -> StatementRow:
            return StatementRow(number, paid_on, amount, reference, UNMATCHED, loan, reason)  # noqa: B023

        if paid_on is None:
            rows.append(unmatched(_("The date is not one (write 2027-01-31 or 31/01/2027).")))
            continue
        if paid_on > today:
            rows.append(unmatched(_("The date is in the future.")))
            continue
        if not amount:
            rows.append(unmatched(_("The amount is not baht above 0 with at most two decimals.")))
            continue
        normal = " ".join(reference.split()).upper()
        seen[(paid_on, amount, normal)] += 1
        key = row_key(paid_on, amount, reference, seen[(paid_on, amount, normal)])
        found = {m.upper() for m in _LOAN_REFERENCE.findall(reference)}
        loans = [loan for ref in found for loan in by_reference.get(ref, [])]
        if not loans:
            rows.append(unmatched(_("No loan of this fund has the reference in this row.")))
            continue
        if len(loans) > 1:
            rows.append(unmatched(_("More than one loan matches the reference in this row.")))
            continue
        [loan] = loans
        earlier = Repayment.objects.filter(loan=loan, reference=key).first()
        if earlier is not None:
            rows.append(StatementRow(
                number, paid_on, amount, reference, DUPLICATE, loan,
                _("Already recorded on %(on)s.") % {"on": earlier.created_at.date().isoformat()}, key,
            ))  # fmt: skip
            continue
        if getattr(actor, "pk", None) is not None and actor.pk == loan.person_id:
            rows.append(unmatched(_("This is your own loan: another committee member records it."), loan))
            continue
        if loan.state not in OUTSTANDING_STATES:
            not_repaid = _("This loan is not being repaid (it is: %(state)s).")
            rows.append(unmatched(not_repaid % {"state": loan.get_state_display()}, loan))
            continue
        left = owed.setdefault(loan.pk, loan_owed(loan))
        if amount > left:
            rows.append(unmatched(
                _("More than is still owed on this loan (%(owed)s baht).") % {"owed": f"{baht(left):,}"}, loan
            ))  # fmt: skip
            continue
        owed[loan.pk] = left - amount
        rows.append(StatementRow(number, paid_on, amount, reference, MATCHED, loan, "", key))
    return rows


# --- the services ---------------------------------------------------------------------------------


def statement_preview(
    *, actor: Actor, fund: LoanFund, file: IO[bytes] | bytes, today: date | None = None
) -> StatementPreview:
    """What importing the statement would record, and what it would not and why. Writes nothing."""
    _require_keeper(actor, fund)
    content = _content(file)
    lines = _read(content)
    rows = _match(actor, fund, lines, today=today or timezone.localdate())
    return StatementPreview(hashlib.sha256(content).hexdigest(), rows)


@transaction.atomic
def statement_import_confirm(
    *, actor: Actor, fund: LoanFund, file: IO[bytes] | bytes, today: date | None = None
) -> StatementImported:
    """Records the statement's matched rows as repayments (the file is read and matched again,
    with the matched loans locked, so that what is recorded is what is owed now). A row the
    repayment service refuses meanwhile is listed, not recorded; the others are."""
    _require_keeper(actor, fund)
    content = _content(file)
    lines = _read(content)
    today = today or timezone.localdate()
    first = _match(actor, fund, lines, today=today)
    # The loans' rows in primary-key order before any ledger lock, as every repayment takes them.
    rows_lock(Loan.objects.filter(pk__in={r.loan.pk for r in first if r.loan is not None}), of=("self",))
    preview = StatementPreview(hashlib.sha256(content).hexdigest(), _match(actor, fund, lines, today=today))
    recorded: list[Repayment] = []
    refused: list[StatementRow] = []
    for row in preview.matched:
        assert row.loan is not None and row.amount_satang and row.paid_on
        try:
            recorded.append(loan_repayment_record(
                actor=actor, loan=row.loan, amount_satang=row.amount_satang, paid_on=row.paid_on,
                reference=row.key,
            ))  # fmt: skip
        except ServiceError as refusal:
            refused.append(StatementRow(row.number, row.paid_on, row.amount_satang, row.reference, UNMATCHED,
                                        row.loan, refusal.message, row.key))  # fmt: skip
    audit_record(actor=actor, event=LoansEvent.STATEMENT_IMPORT, subject_id=fund.public_id, data={
        "file_sha256": preview.file_sha256, "rows": len(preview.rows), "recorded": len(recorded),
        "recorded_satang": sum(r.amount_satang for r in recorded), "duplicates": len(preview.duplicates),
        "unmatched": len(preview.unmatched) + len(refused),
    })  # fmt: skip
    return StatementImported(preview.file_sha256, recorded, preview.duplicates, preview.unmatched, refused)
