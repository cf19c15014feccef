"""Repayments imported from a bank statement CSV (loans/statement_import.py): the file checked
before it is parsed, UTF-8 or TIS-620, rows matched to loans by their LN- reference, a preview that
writes nothing, and a confirmation that records each matched row once, whatever is imported again."""

import uuid
from datetime import date

import pytest
from django.utils import translation

from kwamdee.common.errors import PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.ledger.verification import ledger_verify
from kwamdee.loans.errors import StatementInvalid, StatementTooLarge
from kwamdee.loans.models import Repayment
from kwamdee.loans.selectors import fund_balance, loan_owed, loan_reference
from kwamdee.loans.services import loan_apply, loan_approve, loan_disburse
from kwamdee.loans.statement_import import (
    DUPLICATE,
    MATCHED,
    UNMATCHED,
    parse_amount,
    parse_date,
    statement_import_confirm,
    statement_preview,
)
from tests.factories import make_person
from tests.loans.factories import borrower, nong_sarai_product, open_bank
from tests.stateful import ledger_consistent

pytestmark = pytest.mark.django_db

TODAY = date(2027, 6, 1)


def running_loan(fund, product, committee, *, name="สมชาย ใจบุญ", baht=30_000, n=3):
    """A loan of `baht` in `n` months paid out on 10 January 2027 (30,000 in 3: 10,058.33 then
    10,000 twice)."""
    person = borrower(name=name)
    loan = loan_apply(actor=person, product=product, principal_satang=baht * 100, instalments=n,
                      pledge_points=10, key=str(uuid.uuid4()))  # fmt: skip
    for member in committee:
        if loan.approvals_needed > loan.approvals.count():
            loan_approve(actor=member, loan=loan)
    return loan_disburse(actor=committee[0], loan=loan, on=date(2027, 1, 10))


def csv_file(*lines, header="date,amount,reference", encoding="utf-8-sig"):
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


@pytest.fixture
def bank():
    fund, first, second = open_bank(baht=100_000)
    product = nong_sarai_product(fund)
    return fund, first, second, product


def statuses(preview):
    return [(r.number, r.status) for r in preview.rows]


def test_amounts_and_dates_as_banks_write_them():
    assert parse_amount("1,005.50") == 100_550 and parse_amount("20000") == 2_000_000
    assert parse_amount("1,0050.00") is None and parse_amount("1.005") is None and parse_amount("-5") is None
    assert parse_date("2027-02-09") == date(2027, 2, 9) == parse_date("09/02/2027") == parse_date("9/2/2570")
    assert parse_date("31/02/2027") is None and parse_date("Feb 9") is None


def test_the_preview_matches_rows_by_the_loans_reference_and_writes_nothing(bank):
    fund, first, second, product = bank
    loan = running_loan(fund, product, [first, second])
    other = running_loan(fund, product, [first, second], name="สมศรี มีใจ", baht=10_000, n=1)
    ref, short = loan_reference(loan), loan_reference(other)[3:].lower()
    content = csv_file(
        f'2027-02-09,"10,058.33",โอนเงิน {ref} ค่างวด',  # 2: matched
        f"10/03/2570,10000.00,ln{short}",  # 3: the other loan, lower case, no hyphen
        "2027-03-10,100.00,LN-00000000",  # 4: no loan has it
        f"2027-13-10,100.00,{ref}",  # 5: not a date
        f"2027-03-10,1.005,{ref}",  # 6: not baht
        f'2027-03-11,"30,000.00",{ref}',  # 7: more than is left after row 2
        f"2099-01-01,100.00,{ref}",  # 8: in the future
        ",,",  # blank: skipped
    )
    events_before = AuditEvent.objects.count()

    preview = statement_preview(actor=first, fund=fund, file=content, today=TODAY)

    assert statuses(preview) == [(2, MATCHED), (3, MATCHED), (4, UNMATCHED), (5, UNMATCHED), (6, UNMATCHED),
                                 (7, UNMATCHED), (8, UNMATCHED)]  # fmt: skip
    assert [r.loan for r in preview.matched] == [loan, other]
    assert preview.matched_satang == 1_005_833 + 1_000_000
    assert "20,000.00" in str(preview.rows[5].reason)  # what is still owed after row 2
    assert all(str(r.reason) for r in preview.unmatched)
    assert Repayment.objects.count() == 0 and AuditEvent.objects.count() == events_before


def test_confirming_records_each_matched_row_once_with_its_events(bank):
    fund, first, second, product = bank
    loan = running_loan(fund, product, [first, second])
    ref = loan_reference(loan)
    content = csv_file(f'2027-02-09,"10,058.33",{ref}', f"2027-03-10,10000,{ref}", "2027-03-10,5,nothing")
    balance = fund_balance(fund)

    done = statement_import_confirm(actor=second, fund=fund, file=content, today=TODAY)

    assert len(done.recorded) == 2 and len(done.unmatched) == 1 and not done.duplicates
    assert loan_owed(loan) == 1_000_000 and fund_balance(fund) == balance + 2_005_833
    assert [r.paid_on for r in loan.repayments.order_by("pk")] == [date(2027, 2, 9), date(2027, 3, 10)]
    kinds = list(AuditEvent.objects.filter(event_type__in=["loan:repay", "loan_fund:statement_import"])
                 .order_by("pk").values_list("event_type", flat=True))  # fmt: skip
    assert kinds == ["loan:repay", "loan:repay", "loan_fund:statement_import"]
    data = AuditEvent.objects.get(event_type="loan_fund:statement_import").data
    assert (data["recorded"], data["recorded_satang"], data["unmatched"]) == (2, 2_005_833, 1)

    # The same file again, and a later statement repeating those lines: nothing twice.
    again = statement_import_confirm(actor=first, fund=fund, file=content, today=TODAY)
    assert not again.recorded and [r.status for r in again.duplicates] == [DUPLICATE, DUPLICATE]
    later = csv_file("2027-01-31,1.00,fee", f"2027-02-09,10058.33,{ref}", f"2027-03-10,10000,{ref}",
                     f"2027-04-09,\"10,000.00\",{ref}")  # fmt: skip
    preview = statement_preview(actor=first, fund=fund, file=later, today=TODAY)
    assert statuses(preview) == [(2, UNMATCHED), (3, DUPLICATE), (4, DUPLICATE), (5, MATCHED)]
    statement_import_confirm(actor=first, fund=fund, file=later, today=TODAY)
    loan.refresh_from_db()
    assert loan.state == "closed" and loan.repayments.count() == 3
    ledger_consistent()
    assert ledger_verify().ok


def test_identical_lines_in_one_file_are_two_payments(bank):
    fund, first, second, product = bank
    loan = running_loan(fund, product, [first, second])
    ref = loan_reference(loan)
    content = csv_file(f"2027-02-09,500,{ref}", f"2027-02-09,500,{ref}")

    done = statement_import_confirm(actor=first, fund=fund, file=content, today=TODAY)

    assert len(done.recorded) == 2 and len({r.reference for r in done.recorded}) == 2
    assert not statement_import_confirm(actor=first, fund=fund, file=content, today=TODAY).recorded


def test_a_thai_bank_export_in_tis_620_with_thai_column_names(bank):
    fund, first, second, product = bank
    loan = running_loan(fund, product, [first, second])
    content = csv_file(f"09/02/2570,\"1,000.00\",ชำระ {loan_reference(loan)}", header="วันที่,เวลา,จำนวนเงิน,อ้างอิง",
                       encoding="cp874")  # fmt: skip
    content = content.replace(b',"1,000.00"', b',10:00,"1,000.00"')

    preview = statement_preview(actor=first, fund=fund, file=content, today=TODAY)

    assert [(r.status, r.amount_satang, r.paid_on) for r in preview.rows] == [
        (MATCHED, 100_000, date(2027, 2, 9))
    ]
    assert "ชำระ" in preview.rows[0].reference


def test_only_the_committee_imports_and_a_closed_loan_is_not_matched(bank):
    fund, first, second, product = bank
    running = running_loan(fund, product, [first, second], baht=5_000, n=1)
    closed = running_loan(fund, product, [first, second], name="สมศรี มีใจ", baht=5_000, n=1)
    statement_import_confirm(actor=first, fund=fund, today=TODAY,
                             file=csv_file(f"2027-02-01,5000,{loan_reference(closed)}"))  # fmt: skip
    content = csv_file(
        f"2027-02-01,100,{loan_reference(running)}", f"2027-02-02,100,{loan_reference(closed)}"
    )

    with pytest.raises(PermissionDenied):
        statement_preview(actor=running.person, fund=fund, file=content, today=TODAY)
    with pytest.raises(PermissionDenied):
        statement_import_confirm(actor=make_person(name="คนนอก"), fund=fund, file=content, today=TODAY)
    preview = statement_preview(actor=first, fund=fund, file=content, today=TODAY)
    assert statuses(preview) == [(2, MATCHED), (3, UNMATCHED)]  # the second loan is closed
    assert "ไม่ได้อยู่ระหว่างชำระคืน" in str(preview.rows[1].reason)  # Thai, the site's default
    with translation.override("en"):
        english = statement_preview(actor=first, fund=fund, file=content, today=TODAY)
    assert "not being repaid" in str(english.rows[1].reason)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", StatementInvalid),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, StatementInvalid),
        (b"date,amount\r\n2027-01-01,5\r\n", StatementInvalid),
        (b"   \r\n", StatementInvalid),
        (b"date,amount,reference\r\n" + b"2027-01-01,5,x\r\n" * 80_000, StatementTooLarge),
        (b"date,amount,reference\r\n2027-01-01,5,\xff\xfe\xfd\r\n", StatementInvalid),
    ],
    ids=["pdf", "xlsx", "no-reference-column", "empty", "over-1-MB", "neither-utf8-nor-tis620"],
)
def test_a_file_that_is_not_a_statement_is_refused_before_anything_is_read(bank, content, error):
    fund, first, _second, _product = bank
    with pytest.raises(error) as refused:
        statement_preview(actor=first, fund=fund, file=content, today=TODAY)
    assert refused.value.errors and Repayment.objects.count() == 0


def test_an_uploaded_file_is_read_only_up_to_the_limit(bank):
    import io

    fund, first, _second, _product = bank
    with pytest.raises(StatementTooLarge) as refused:
        statement_preview(actor=first, fund=fund, file=io.BytesIO(b"a,b,c\r\n" * 400_000), today=TODAY)
    assert refused.value.status == 413
