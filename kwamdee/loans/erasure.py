"""The loans app's part of erasure (common/erasure.py). A person's loans are the community fund's
financial records, so erasure keeps them, de-identified, and never erases a debt:

- A loan still being repaid (paid out or repaying) **refuses the erasure** (a defaulted one
  cannot be repaid or closed yet — a write-off is not built — so it does not block: it is kept,
  de-identified, with what it owes) with a translated reason (`loan_blocks_erasure`, 409): the fund
  must know who repays it (PDPA §33 allows keeping data needed for a legal claim). The erasure is
  one transaction, so nothing at all is erased; the person can erase once the loan is closed.
  This eraser runs first, so that the refusal comes before any other app has worked.
- An application still waiting, or approved and not paid out, is withdrawn
  (`services.loans_settle_for_erasure`): declined with no decider, its pledge back on the
  person's pseudonymous points through the ledger, one `loan:withdraw` event each.
- Every loan of the person then stays, linked to the tombstone (the person's row, which the
  people app's eraser empties of everything personal): product, amount, terms, state, dates,
  schedule, repayments, the pledge and the pseudonymous ledger references are the fund's
  accounts and say nothing about who borrowed. The idempotency key the person's app sent is
  replaced by the loan's own public id (it is free text), and what the person wrote the loan was
  for is emptied.
- What the person did as a committee member (approvals, decisions, repayments and deposits they
  recorded) stays, naming the tombstone: it is the fund's record of who decided. Loan.person,
  LoanApproval.approver are PROTECT, but erasure deletes no person and no loan, so they never
  fire."""

from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from kwamdee.common.erasure import personal_data_eraser
from kwamdee.loans.models import Loan
from kwamdee.loans.services import loans_settle_for_erasure


@personal_data_eraser("loans", order=20)  # first: a loan still owed refuses the whole erasure
def loans_erase(person: Any) -> int:
    withdrawn = loans_settle_for_erasure(person)
    changed = Loan.objects.filter(person=person).update(
        idempotency_key=Cast("public_id", output_field=CharField()), purpose="", updated_at=timezone.now()
    )
    return withdrawn + changed
