"""A bank statement imported twice at the same moment, while the treasurer records a repayment of
one of its loans by hand, on PostgreSQL: each line is recorded once, nobody deadlocks (the loans'
rows are locked in primary-key order before any ledger lock), and every balance stays whole."""

from datetime import date

import pytest

from kwamdee.loans.models import Loan, Repayment
from kwamdee.loans.selectors import loan_reference
from kwamdee.loans.services import loan_repayment_record
from kwamdee.loans.statement_import import statement_import_confirm
from kwamdee.people.models import User
from tests.concurrency import run_at_once
from tests.loans.factories import nong_sarai_product, open_bank
from tests.loans.test_services import ledger_whole
from tests.loans.test_statement_import import TODAY, csv_file, running_loan

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_the_same_statement_imported_twice_at_once_records_each_line_once(postgres_only):
    fund, first, second = open_bank(baht=100_000)
    product = nong_sarai_product(fund)
    one = running_loan(fund, product, [first, second], name="หนึ่ง")
    two = running_loan(fund, product, [first, second], name="สอง")
    content = csv_file(f"2027-02-09,1000,{loan_reference(two)}", f"2027-02-09,1000,{loan_reference(one)}",
                       f"2027-03-09,2000,{loan_reference(two)}")  # fmt: skip

    def confirm(pk):
        return lambda: statement_import_confirm(
            actor=User.objects.get(pk=pk), fund=fund, file=content, today=TODAY
        )

    def by_hand():
        loan_repayment_record(actor=User.objects.get(pk=second.pk), loan=Loan.objects.get(pk=one.pk),
                              amount_satang=500, paid_on=date(2027, 2, 10), reference="CASH-1")  # fmt: skip

    outcomes = run_at_once([confirm(first.pk), confirm(second.pk), by_hand])

    assert outcomes == ["ok", "ok", "ok"], outcomes
    amounts = sorted(Repayment.objects.values_list("amount_satang", flat=True))
    assert amounts == [500, 100_000, 100_000, 200_000]
    ledger_whole()
