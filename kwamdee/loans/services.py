"""Writes of the goodness bank (docs/loans.md): the fund and its deposits, products, and a loan's
steps: apply (the pledge is held) → approve (one or two committee members, never the applicant)
→ disburse → repayments → close (the pledge goes back); or decline (it goes back), or default
(the product's rule: back, or to the fund).

Each step is one database transaction with one audit event, and at most one ledger transaction.
Locks, in the project's order (common/locks.py): the applicant (applying: their loans and their
redemptions queue), the fund's row (approvals and disbursements of one fund queue, so the fund
never promises or pays out more than it holds), the loan's row, then the ledger's chain head and
accounts. Money never goes below zero in the fund (the ledger's overdraft check under its lock,
and the database's CHECK); pledged points are never spendable (they are in another account)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied
from kwamdee.common.idempotency import MAX_KEY_LENGTH, IdempotencyConflict
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_fields_problems, text_problems
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.errors import InsufficientBalance
from kwamdee.ledger.services import AccountKey, Leg, accounts_get_or_create, ledger_transaction_post
from kwamdee.loans.choices import (
    FREQUENCY_MONTHS,
    OUTSTANDING_STATES,
    DefaultRule,
    DepositSource,
    LoanState,
    RepaymentFrequency,
)
from kwamdee.loans.errors import (
    AlreadyApproved,
    ConsentNeeded,
    DepositInvalid,
    FundTooLow,
    LoanBlocksErasure,
    LoanInvalid,
    NotEligible,
    NotEnoughPointsToPledge,
    OwnLoan,
    ProductInvalid,
    RepaymentInvalid,
    StillOwed,
    WrongState,
)
from kwamdee.loans.events import LoansEvent
from kwamdee.loans.ledger import (
    FUND_SOURCE_KINDS,
    LOAN_DISBURSE,
    LOAN_FUND,
    LOAN_FUND_DEPOSIT,
    LOAN_FUND_POINTS,
    LOAN_FUND_SOURCE,
    LOAN_INTEREST,
    LOAN_PLEDGE_HOLD,
    LOAN_PLEDGE_RELEASE,
    LOAN_PLEDGE_TRANSFER,
    LOAN_RECEIVABLE,
    LOAN_REPAYMENT,
    PERSON_POINTS_PLEDGED,
    deposit_source,
    fund_chain_key,
    loan_source,
)
from kwamdee.loans.models import (
    FundDeposit,
    Loan,
    LoanApproval,
    LoanBand,
    LoanFund,
    LoanProduct,
    Repayment,
    ScheduledInstalment,
)
from kwamdee.loans.selectors import (
    fund_balance,
    fund_committed,
    loan_eligibility,
    loan_in_arrears,
    loan_owed,
    loan_principal_owed,
    loan_schedule_preview,
    loans_kept_by,
    product_max_satang,
)
from kwamdee.people.services import person_lock
from kwamdee.rewards.holds import (
    person_chain_key,
    person_points,
    points_hold_legs,
    points_pay_legs,
    points_release_legs,
    points_split,
)

PURPOSE_MAX = 300  # what the loan is for, in a sentence or two
MAX_SATANG = 10**13  # a hundred billion baht: beyond any community fund


def _require_keeper(actor: Actor, fund: LoanFund) -> None:
    if not loans_kept_by(actor, fund):
        raise PermissionDenied()


def _require_not_own(actor: Actor, loan: Loan) -> None:
    if getattr(actor, "pk", None) is not None and actor.pk == loan.person_id:
        raise OwnLoan()


# --- the fund -----------------------------------------------------------------------------------


@transaction.atomic
def loan_fund_open(*, actor: Actor, community: Any) -> LoanFund:
    """Opens the community's goodness bank (its committee, or the system); the one it has if open."""
    if not loans_kept_by(actor, LoanFund(community=community)):
        raise PermissionDenied()
    fund, created = LoanFund.objects.get_or_create(community=community)
    if created:
        audit_record(actor=actor, event=LoansEvent.FUND_OPEN, subject_id=fund.public_id,
                     data={"community": str(community.public_id)})  # fmt: skip
    return fund


@transaction.atomic
def fund_deposit(
    *, actor: Actor, fund: LoanFund, source: str, amount_satang: int, reference: str, received_on: date
) -> FundDeposit:
    """Records money the fund received from one of its sources: a ledger transaction from the
    source (a sub-account per kind of source) into the fund. The same reference again with the
    same amount and source returns the first deposit; with others it is refused."""
    _require_keeper(actor, fund)
    reference = str(reference or "").strip()
    fields: dict[str, list[Any]] = {}
    if source not in DepositSource.values:
        fields["source"] = [DepositInvalid.message]
    if not isinstance(amount_satang, int) or not 0 < amount_satang <= MAX_SATANG:
        fields["amount_satang"] = [DepositInvalid.message]
    if not reference or len(reference) > 64 or text_problems(reference):
        fields["reference"] = [DepositInvalid.message]
    if fields:
        raise DepositInvalid(fields=fields)
    earlier = FundDeposit.objects.filter(fund=fund, reference=reference).first()
    if earlier is not None:
        if (earlier.source, earlier.amount_satang) != (source, amount_satang):
            raise IdempotencyConflict()
        return earlier
    deposit = FundDeposit.objects.create(
        fund=fund, source=source, amount_satang=amount_satang, reference=reference, received_on=received_on,
        recorded_by=person_or_none(actor),
    )  # fmt: skip
    source_key = AccountKey(fund.ledger_ref, LOAN_FUND_SOURCE, Unit.SATANG, source)
    fund_key = AccountKey(fund.ledger_ref, LOAN_FUND, Unit.SATANG, "")
    accounts = accounts_get_or_create([source_key, fund_key], negative_kinds=FUND_SOURCE_KINDS)
    ledger_transaction_post(
        chain_key=fund_chain_key(fund.public_id), kind=LOAN_FUND_DEPOSIT,
        idempotency_key=f"loan_fund_deposit:{deposit.public_id}",
        legs=[Leg(accounts[source_key], -amount_satang), Leg(accounts[fund_key], amount_satang)],
        source=deposit_source(deposit.public_id), memo={"source": source},
    )  # fmt: skip
    audit_record(actor=actor, event=LoansEvent.FUND_DEPOSIT, subject_id=deposit.public_id,
                 data={"fund": str(fund.public_id), "source": source, "satang": amount_satang})  # fmt: skip
    return deposit


# --- products -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductIn:
    """A product as data. `bands`: (up to, in satang; yearly rate) from the lowest up."""

    name_th: str
    name_en: str
    bands: list[tuple[int, Decimal]]
    frequency: str = RepaymentFrequency.MONTHLY
    min_instalments: int = 1
    max_instalments: int = 24
    two_approvers_above_satang: int = 0
    min_pledge_points: int = 0
    default_rule: str = DefaultRule.RELEASE
    min_credit: int = 0
    min_level: int = 0
    min_member_months: int = 0
    min_recent_deeds: int = 0
    no_arrears: bool = True


def _product_problems(data: ProductIn) -> dict[str, list[Any]]:
    fields: dict[str, list[Any]] = {}
    if not data.name_th.strip() or text_problems(data.name_th) or text_problems(data.name_en):
        fields["name_th"] = [ProductInvalid.message]
    bounds = [int(up_to) for up_to, _rate in data.bands]
    rates = [Decimal(str(rate)) for _up_to, rate in data.bands]
    if (
        not bounds
        or bounds != sorted(set(bounds))
        or bounds[0] <= 0
        or bounds[-1] > MAX_SATANG
        or any(not Decimal(0) <= r < 1 or r.as_tuple().exponent < -4 for r in rates)  # type: ignore[operator]
    ):
        fields["bands"] = [ProductInvalid.message]
    if data.frequency not in RepaymentFrequency.values:
        fields["frequency"] = [ProductInvalid.message]
    if not 1 <= data.min_instalments <= data.max_instalments <= 600:
        fields["max_instalments"] = [ProductInvalid.message]
    if data.default_rule not in DefaultRule.values:
        fields["default_rule"] = [ProductInvalid.message]
    return fields


@transaction.atomic
def loan_product_create(*, actor: Actor, fund: LoanFund, data: ProductIn) -> LoanProduct:
    """A product the fund offers, with its bands, as its committee sets it."""
    _require_keeper(actor, fund)
    fields = _product_problems(data)
    if fields:
        raise ProductInvalid(fields=fields)
    product = LoanProduct.objects.create(
        fund=fund, name_th=data.name_th.strip(), name_en=data.name_en.strip(), frequency=data.frequency,
        min_instalments=data.min_instalments, max_instalments=data.max_instalments,
        two_approvers_above_satang=data.two_approvers_above_satang, min_pledge_points=data.min_pledge_points,
        default_rule=data.default_rule, min_credit=data.min_credit, min_level=data.min_level,
        min_member_months=data.min_member_months, min_recent_deeds=data.min_recent_deeds,
        no_arrears=data.no_arrears,
    )  # fmt: skip
    LoanBand.objects.bulk_create(
        [LoanBand(product=product, up_to_satang=int(u), annual_rate=Decimal(str(r))) for u, r in data.bands]
    )
    audit_record(actor=actor, event=LoansEvent.PRODUCT_CREATE, subject_id=product.public_id,
                 data={"fund": str(fund.public_id), "bands": [[int(u), str(r)] for u, r in data.bands],
                       "default_rule": data.default_rule})  # fmt: skip
    return product


# --- a loan -------------------------------------------------------------------------------------


def _event_data(loan: Loan, **extra: Any) -> dict[str, Any]:
    """What a loan's events carry: whom it is for (the person's internal id, never their name),
    the amount and the state, so that a notification can tell the person without reading loans."""
    return {"person": loan.person_id, "fund": str(loan.fund.public_id), "satang": loan.principal_satang,
            "state": loan.state, **extra}  # fmt: skip


@transaction.atomic
def loan_apply(
    *,
    actor: Actor,
    product: LoanProduct,
    principal_satang: int,
    instalments: int,
    pledge_points: int,
    key: str,
    purpose: str = "",
) -> Loan:
    """The person applies: checked against the product and their goodness record (with their
    loan-eligibility consent), their pledge held in the ledger (spendable points → pledged; their
    lifetime credit is never touched). Retried with the same `key`, returns the first loan."""
    person = person_or_none(actor)
    if person is None:
        raise PermissionDenied()
    key = str(key or "").strip()[:MAX_KEY_LENGTH]
    if not key:
        raise IdempotencyConflict()
    person_lock(person)
    earlier = Loan.objects.filter(person=person, idempotency_key=key).first()
    if earlier is not None:
        if (earlier.product_id, earlier.principal_satang, earlier.instalments, earlier.pledge_points) != (
            product.pk, principal_satang, instalments, pledge_points,
        ):  # fmt: skip
            raise IdempotencyConflict()
        return earlier
    product = LoanProduct.objects.select_related("fund__community").get(pk=product.pk)
    fields: dict[str, list[Any]] = {}
    if not product.active:
        raise LoanInvalid()
    if not isinstance(principal_satang, int) or not 0 < principal_satang <= product_max_satang(product):
        fields["principal_satang"] = [LoanInvalid.message]
    if (
        not isinstance(instalments, int)
        or not product.min_instalments <= instalments <= product.max_instalments
    ):
        fields["instalments"] = [LoanInvalid.message]
    if not isinstance(pledge_points, int) or pledge_points < product.min_pledge_points:
        fields["pledge_points"] = [LoanInvalid.message]
    purpose = str(purpose or "").strip()
    fields.update(text_fields_problems({"purpose": purpose}, max_chars={"purpose": PURPOSE_MAX}))
    if fields:
        raise LoanInvalid(fields=fields)
    eligibility = loan_eligibility(person, product)
    if not eligibility.consent:
        raise ConsentNeeded()
    if not eligibility.eligible:
        raise NotEligible(fields={c.code: [c.label] for c in eligibility.conditions if not c.met})
    split = points_split(person_points(person), pledge_points)
    if sum(split.values()) < pledge_points:
        raise NotEnoughPointsToPledge()
    loan = Loan.objects.create(
        fund=product.fund, product=product, person=person, principal_satang=principal_satang,
        instalments=instalments, frequency=product.frequency,
        approvals_needed=2 if principal_satang > product.two_approvers_above_satang else 1,
        default_rule=product.default_rule, pledge_points=pledge_points, pledge_split=split, purpose=purpose,
        holder_ref=person.ledger_ref, ledger_chain=person_chain_key(person), idempotency_key=key,
    )  # fmt: skip
    if pledge_points:
        try:
            ledger_transaction_post(
                chain_key=loan.ledger_chain, kind=LOAN_PLEDGE_HOLD,
                idempotency_key=f"loan:{loan.public_id}:hold",
                legs=points_hold_legs(loan.holder_ref, split, held_kind=PERSON_POINTS_PLEDGED),
                source=loan_source(loan.public_id),
            )  # fmt: skip
        except InsufficientBalance:
            raise NotEnoughPointsToPledge() from None
    audit_record(actor=actor, event=LoansEvent.LOAN_APPLY, subject_id=loan.public_id,
                 data=_event_data(loan, instalments=instalments, pledge_points=pledge_points,
                                  default_rule=loan.default_rule))  # fmt: skip
    return loan


def _locked(loan: Loan, *, with_fund: bool = False) -> Loan:
    """The loan's row locked (after its fund's row, when asked: approvals and disbursements)."""
    if with_fund:
        rows_lock(LoanFund.objects.filter(pk=loan.fund_id))
    [locked] = rows_lock(Loan.objects.filter(pk=loan.pk).select_related("fund__community"), of=("self",))
    return locked


def _pledge_move(loan: Loan, *, kind: str, legs: list[Leg], state: str) -> None:
    if loan.pledge_points:
        ledger_transaction_post(
            chain_key=loan.ledger_chain, kind=kind, idempotency_key=f"loan:{loan.public_id}:{kind}",
            legs=legs, source=loan_source(loan.public_id), memo={"state": state},
        )  # fmt: skip


def _pledge_release(loan: Loan, *, state: str) -> None:
    if loan.pledge_points:
        legs = points_release_legs(loan.holder_ref, loan.pledge_split, held_kind=PERSON_POINTS_PLEDGED)
        _pledge_move(loan, kind=LOAN_PLEDGE_RELEASE, legs=legs, state=state)


def _decided(loan: Loan, *, actor: Actor, state: str, fields: tuple[str, ...] = ()) -> None:
    loan.state = state
    loan.decided_at = timezone.now()
    loan.decided_by = person_or_none(actor)
    loan.save(update_fields=["state", "decided_at", "decided_by", "updated_at", *fields])


@transaction.atomic
def loan_approve(*, actor: Actor, loan: Loan) -> Loan:
    """A committee member approves. Above the product's threshold it takes two different members;
    never the applicant. The last approval promises the money: refused unless the fund holds it,
    beyond what it has already promised to approved loans not yet paid out."""
    _require_keeper(actor, loan.fund)
    _require_not_own(actor, loan)
    loan = _locked(loan, with_fund=True)
    if loan.state != LoanState.APPLIED:
        raise WrongState()
    if getattr(actor, "pk", None) is not None and loan.approvals.filter(approver_id=actor.pk).exists():
        raise AlreadyApproved()
    approver = person_or_none(actor)
    if approver is not None:
        LoanApproval.objects.create(loan=loan, approver=approver)
    approvals = loan.approvals.count()
    final = approver is None or approvals >= loan.approvals_needed
    if final:
        if fund_balance(loan.fund) - fund_committed(loan.fund) < loan.principal_satang:
            raise FundTooLow()
        loan.approved_at = timezone.now()
        _decided(loan, actor=actor, state=LoanState.APPROVED, fields=("approved_at",))
    audit_record(actor=actor, event=LoansEvent.LOAN_APPROVE, subject_id=loan.public_id,
                 data=_event_data(loan, approvals=approvals, needed=loan.approvals_needed))  # fmt: skip
    return loan


@transaction.atomic
def loan_decline(*, actor: Actor, loan: Loan, reason: str = "") -> Loan:
    """The committee declines an application (or an approved loan not paid out): the pledge goes back."""
    _require_keeper(actor, loan.fund)
    _require_not_own(actor, loan)
    loan = _locked(loan)
    if loan.state not in (LoanState.APPLIED, LoanState.APPROVED):
        raise WrongState()
    _decided(loan, actor=actor, state=LoanState.DECLINED)
    _pledge_release(loan, state=LoanState.DECLINED)
    data = (
        _event_data(loan, reason=reason[:200]) if reason and not text_problems(reason) else _event_data(loan)
    )
    audit_record(actor=actor, event=LoansEvent.LOAN_DECLINE, subject_id=loan.public_id, data=data)
    return loan


@transaction.atomic
def loan_disburse(*, actor: Actor, loan: Loan, on: date | None = None) -> Loan:
    """Pays an approved loan out: the fund's money moves to the loan's receivable (refused if the
    fund does not hold it), and the schedule is fixed from the day it is paid."""
    _require_keeper(actor, loan.fund)
    _require_not_own(actor, loan)
    loan = _locked(loan, with_fund=True)
    if loan.state != LoanState.APPROVED:
        raise WrongState()
    on = on or timezone.localdate()
    fund = loan.fund
    fund_key = AccountKey(fund.ledger_ref, LOAN_FUND, Unit.SATANG, "")
    receivable_key = AccountKey(loan.ledger_ref, LOAN_RECEIVABLE, Unit.SATANG, "")
    accounts = accounts_get_or_create([fund_key, receivable_key])
    try:
        ledger_transaction_post(
            chain_key=fund_chain_key(fund.public_id), kind=LOAN_DISBURSE,
            idempotency_key=f"loan:{loan.public_id}:disburse",
            legs=[Leg(accounts[fund_key], -loan.principal_satang),
                  Leg(accounts[receivable_key], loan.principal_satang)],
            source=loan_source(loan.public_id),
        )  # fmt: skip
    except InsufficientBalance:
        raise FundTooLow() from None
    rows = loan_schedule_preview(loan.product, principal=loan.principal_satang, instalments=loan.instalments,
                                 start=on)  # fmt: skip
    ScheduledInstalment.objects.bulk_create([_instalment_row(loan, r, on) for r in rows])
    loan.disbursed_on = on
    _decided(loan, actor=actor, state=LoanState.DISBURSED, fields=("disbursed_on",))
    audit_record(actor=actor, event=LoansEvent.LOAN_DISBURSE, subject_id=loan.public_id,
                 data=_event_data(loan, on=on.isoformat(),
                                  months_between=FREQUENCY_MONTHS[loan.frequency]))  # fmt: skip
    return loan


def _instalment_row(loan: Loan, row: Any, on: date) -> ScheduledInstalment:
    return ScheduledInstalment(
        loan=loan, number=row.number, due_on=row.due_on or on, principal_satang=row.principal,
        interest_satang=row.interest,
    )  # fmt: skip


def _allocate(loan: Loan, amount: int) -> tuple[int, int]:
    """Spreads a payment over the schedule in order: each instalment's interest, then its
    principal. Returns (principal, interest) paid; the rows are saved."""
    principal = interest = 0
    left = amount
    for row in loan.schedule.order_by("number"):
        if left <= 0:
            break
        pay_interest = min(left, row.interest_satang - row.interest_paid)
        left -= pay_interest
        pay_principal = min(left, row.principal_satang - row.principal_paid)
        left -= pay_principal
        if pay_interest or pay_principal:
            row.interest_paid += pay_interest
            row.principal_paid += pay_principal
            row.save(update_fields=["interest_paid", "principal_paid"])
            interest += pay_interest
            principal += pay_principal
    return principal, interest


@transaction.atomic
def loan_repayment_record(
    *, actor: Actor, loan: Loan, amount_satang: int, paid_on: date, reference: str
) -> Repayment:
    """The committee's treasurer records money paid back: the principal part leaves the loan's
    receivable and the interest part is the fund's income, both into the fund. No more than is
    owed. The same reference again with the same amount returns the first repayment. The last
    repayment closes the loan (its pledge goes back)."""
    _require_keeper(actor, loan.fund)
    _require_not_own(actor, loan)
    reference = str(reference or "").strip()
    loan = _locked(loan)
    earlier = Repayment.objects.filter(loan=loan, reference=reference).first()
    if earlier is not None:
        if earlier.amount_satang != amount_satang:
            raise IdempotencyConflict()
        return earlier
    if loan.state not in OUTSTANDING_STATES:
        raise WrongState()
    if not reference or len(reference) > 64 or text_problems(reference):
        raise RepaymentInvalid(fields={"reference": [RepaymentInvalid.message]})
    if not isinstance(amount_satang, int) or not 0 < amount_satang <= loan_owed(loan):
        raise RepaymentInvalid(fields={"amount_satang": [RepaymentInvalid.message]})
    principal, interest = _allocate(loan, amount_satang)
    repayment = Repayment.objects.create(
        loan=loan, amount_satang=amount_satang, principal_satang=principal, interest_satang=interest,
        paid_on=paid_on, reference=reference, recorded_by=person_or_none(actor),
    )  # fmt: skip
    fund = loan.fund
    fund_key = AccountKey(fund.ledger_ref, LOAN_FUND, Unit.SATANG, "")
    receivable_key = AccountKey(loan.ledger_ref, LOAN_RECEIVABLE, Unit.SATANG, "")
    interest_key = AccountKey(fund.ledger_ref, LOAN_INTEREST, Unit.SATANG, "")
    accounts = accounts_get_or_create(
        [fund_key, receivable_key, interest_key], negative_kinds=FUND_SOURCE_KINDS
    )
    legs = [Leg(accounts[fund_key], amount_satang)]
    if principal:
        legs.append(Leg(accounts[receivable_key], -principal))
    if interest:
        legs.append(Leg(accounts[interest_key], -interest))
    ledger_transaction_post(
        chain_key=fund_chain_key(fund.public_id), kind=LOAN_REPAYMENT,
        idempotency_key=f"loan_repayment:{repayment.public_id}", legs=legs,
        source=loan_source(loan.public_id), memo={"principal": principal, "interest": interest},
    )  # fmt: skip
    if loan.state == LoanState.DISBURSED:
        loan.state = LoanState.REPAYING
        loan.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, event=LoansEvent.LOAN_REPAY, subject_id=repayment.public_id,
                 data=_event_data(loan, loan_id=str(loan.public_id), paid=amount_satang, principal=principal,
                                  interest=interest))  # fmt: skip
    if loan_owed(loan) == 0:
        _close(loan, actor=actor)
    return repayment


def _close(loan: Loan, *, actor: Actor) -> None:
    if loan_owed(loan) or loan_principal_owed(loan):
        raise StillOwed()
    _decided(loan, actor=actor, state=LoanState.CLOSED)
    _pledge_release(loan, state=LoanState.CLOSED)
    audit_record(actor=actor, event=LoansEvent.LOAN_CLOSE, subject_id=loan.public_id, data=_event_data(loan))


@transaction.atomic
def loan_close(*, actor: Actor, loan: Loan) -> Loan:
    """Closes a fully repaid loan (the last repayment does it too): the pledge goes back."""
    _require_keeper(actor, loan.fund)
    _require_not_own(actor, loan)
    loan = _locked(loan)
    if loan.state not in OUTSTANDING_STATES:
        raise WrongState()
    _close(loan, actor=actor)
    return loan


@transaction.atomic
def loan_default(*, actor: Actor, loan: Loan, today: date | None = None) -> Loan:
    """The committee declares a loan in arrears defaulted. The pledge follows the rule the person
    saw when they applied: back to them, or to the community's fund. Their lifetime credit is
    never touched, and nothing is published."""
    _require_keeper(actor, loan.fund)
    _require_not_own(actor, loan)
    loan = _locked(loan)
    if loan.state not in OUTSTANDING_STATES or not loan_in_arrears(loan, today=today):
        raise WrongState()
    _decided(loan, actor=actor, state=LoanState.DEFAULTED)
    if loan.default_rule == DefaultRule.TRANSFER and loan.pledge_points:
        to = AccountKey(loan.fund.ledger_ref, LOAN_FUND_POINTS, Unit.POINTS, "")
        legs = points_pay_legs(loan.holder_ref, loan.pledge_split, held_kind=PERSON_POINTS_PLEDGED, to=to)
        _pledge_move(loan, kind=LOAN_PLEDGE_TRANSFER, legs=legs, state=LoanState.DEFAULTED)
    else:
        _pledge_release(loan, state=LoanState.DEFAULTED)
    audit_record(actor=actor, event=LoansEvent.LOAN_DEFAULT, subject_id=loan.public_id,
                 data=_event_data(loan, rule=loan.default_rule, owed=loan_owed(loan)))  # fmt: skip
    return loan


# --- erasure (loans/erasure.py) ---------------------------------------------------------------

ERASURE_REASON = "erasure"


def loans_settle_for_erasure(person: Any) -> int:
    """The person erases their account (common/erasure.py). Runs inside the erasure's transaction,
    which holds the person's lock; their funds' rows and their loans are locked first (so a
    committee paying one out at the same moment either wins, and erasure is refused, or finds it
    withdrawn).

    - A loan still being repaid (paid out or repaying; a defaulted one cannot be repaid, so it
      does not block and is kept de-identified) refuses the whole erasure (`LoanBlocksErasure`):
      the fund must know who repays it.
    - An application still waiting, or approved and not paid out, is withdrawn: it becomes
      declined with no decider, its pledge goes back to the person's (pseudonymous) points, one
      `loan:withdraw` event (reason "erasure") each.

    Returns how many loans were withdrawn."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("loans_settle_for_erasure must run inside the erasure's transaction")
    # In the project's order: the funds' rows before the loans' (as approvals and disbursements
    # take them), with FOR NO KEY UPDATE, so that the foreign-key checks of a repayment or a
    # close at commit (KEY SHARE on the fund) never wait on the erasure.
    rows_lock(
        LoanFund.objects.filter(pk__in=Loan.objects.filter(person=person).values("fund_id")), no_key=True
    )
    loans = rows_lock(Loan.objects.filter(person=person).select_related("fund"), of=("self",))
    if any(_owes_the_fund(loan) for loan in loans):
        raise LoanBlocksErasure()
    withdrawn = 0
    for loan in loans:
        if loan.state not in (LoanState.APPLIED, LoanState.APPROVED):
            continue
        loan.state = LoanState.DECLINED
        loan.decided_at = timezone.now()
        loan.decided_by = None
        loan.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
        _pledge_release(loan, state=LoanState.DECLINED)
        audit_record(actor=person, event=LoansEvent.LOAN_WITHDRAW, subject_id=loan.public_id,
                     data=_event_data(loan, reason=ERASURE_REASON))  # fmt: skip
        withdrawn += 1
    return withdrawn


def _owes_the_fund(loan: Loan) -> bool:
    """A loan still being repaid. A defaulted one does not block: nothing can repay or close it
    yet (a write-off is not built), so blocking would refuse the erasure for good; it is kept,
    de-identified, with what it still owes, as the fund's record."""
    return loan.state in OUTSTANDING_STATES
