"""API of the goodness bank (issue 12, docs/loans.md): the loan products of the caller's community
with their eligibility, applying, the caller's loans, one loan (their own, or one their committee
keeps); and for the committee (`loans_kept_by`): the applications waiting, approving, declining,
paying out and recording a repayment.

A loan answers 404 to anyone but its borrower and its fund's committee, as a loan that does not
exist; a committee decision by someone without the loans permission is 403; on their own loan a
committee member is refused with 403 `loan_own`. Amounts are in satang (baht × 100)."""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema

from kwamdee.common.api_errors import errors, idempotency_key_header
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.loans.models import Loan, LoanFund, LoanProduct
from kwamdee.loans.selectors import (
    KEEP_LOANS,
    fund_of,
    loan_eligibility,
    loan_get,
    loan_owed,
    loan_reference,
    loan_schedule,
    loans_kept_by,
    loans_of,
    loans_waiting,
)
from kwamdee.loans.services import (
    MAX_SATANG,
    loan_apply,
    loan_approve,
    loan_decline,
    loan_disburse,
    loan_repayment_record,
)
from kwamdee.rewards.api_privileges import WholeNumber

router = Router(tags=["loans"])

Satang = Annotated[int, Field(ge=1, le=MAX_SATANG), WholeNumber]
Count = Annotated[int, Field(ge=0, le=10**9), WholeNumber]
Instalments = Annotated[int, Field(ge=1, le=600), WholeNumber]


# --- shapes -----------------------------------------------------------------------------------


class BandOut(Schema):
    # The part of the balance up to this amount (above the band below) bears `annual_rate`.
    up_to_satang: int
    annual_rate: str


class ConditionOut(Schema):
    # member, credit, level, member_months, recent_deeds, no_arrears, pledge
    code: str
    label: str
    needed: int
    has: int
    met: bool


class ProductOut(Schema):
    public_id: UUID
    name: str
    bands: list[BandOut]
    # monthly or quarterly
    frequency: str
    min_instalments: int
    max_instalments: int
    # Above this, two committee members approve.
    two_approvers_above_satang: int
    min_pledge_points: int
    # What happens to the pledged points if a loan defaults: release (back) or transfer (to the fund).
    default_rule: str
    # False: the caller has not given the loan-eligibility consent, and their record was not read
    # (`conditions` is empty).
    consent: bool
    eligible: bool
    conditions: list[ConditionOut]


class ApplyIn(Schema):
    principal_satang: Satang
    instalments: Instalments
    pledge_points: Count
    # What the money is for, in a sentence or two (at most 300 characters), for the committee.
    purpose: str = Field("", max_length=300)


class InstalmentOut(Schema):
    number: int
    due_on: date
    principal_satang: int
    interest_satang: int
    paid_satang: int


class RepaymentOut(Schema):
    public_id: UUID
    amount_satang: int
    principal_satang: int
    interest_satang: int
    paid_on: date
    reference: str


class LoanOut(Schema):
    public_id: UUID
    # LN-… : what the person writes on a bank transfer.
    reference: str
    product: UUID
    product_name: str
    # applied, approved, disbursed, repaying, closed, declined, defaulted
    state: str
    principal_satang: int
    instalments: int
    frequency: str
    pledge_points: int
    default_rule: str
    purpose: str
    approvals: int
    approvals_needed: int
    disbursed_on: date | None
    created_at: datetime
    # Still owed on the schedule (0 before it is paid out).
    owed_satang: int
    schedule: list[InstalmentOut]
    repayments: list[RepaymentOut]


class WaitingOut(Schema):
    loan: LoanOut
    # The applicant, for their committee.
    person: UUID
    person_name: str
    # Their goodness record behind the application, read with their consent (false: withdrawn
    # since, and not read).
    consent: bool
    conditions: list[ConditionOut]


class DeclineIn(Schema):
    reason: str = Field("", max_length=200)


class DisburseIn(Schema):
    # The day the money is paid out (default today); the schedule counts from it.
    on: date | None = None


class RepaymentIn(Schema):
    amount_satang: Satang
    paid_on: date
    reference: str = Field(..., min_length=1, max_length=64)


# --- conversions ------------------------------------------------------------------------------


def _conditions(eligibility: Any) -> list[ConditionOut]:
    return [
        ConditionOut(code=c.code, label=str(c.label), needed=c.needed, has=c.has, met=c.met)
        for c in eligibility.conditions
    ]


def product_out(person: Any, product: LoanProduct) -> ProductOut:
    eligibility = loan_eligibility(person, product)
    return ProductOut(
        public_id=product.public_id,
        name=str(product.name),
        bands=[
            BandOut(up_to_satang=b.up_to_satang, annual_rate=str(b.annual_rate)) for b in product.bands.all()
        ],
        frequency=product.frequency,
        min_instalments=product.min_instalments,
        max_instalments=product.max_instalments,
        two_approvers_above_satang=product.two_approvers_above_satang,
        min_pledge_points=product.min_pledge_points,
        default_rule=product.default_rule,
        consent=eligibility.consent,
        eligible=eligibility.eligible,
        conditions=_conditions(eligibility),
    )


def loan_out(loan: Loan) -> LoanOut:
    schedule = loan_schedule(loan)
    return LoanOut(
        public_id=loan.public_id,
        reference=loan_reference(loan),
        product=loan.product.public_id,
        product_name=str(loan.product.name),
        state=loan.state,
        principal_satang=loan.principal_satang,
        instalments=loan.instalments,
        frequency=loan.frequency,
        pledge_points=loan.pledge_points,
        default_rule=loan.default_rule,
        purpose=loan.purpose,
        approvals=loan.approvals.count(),
        approvals_needed=loan.approvals_needed,
        disbursed_on=loan.disbursed_on,
        created_at=loan.created_at,
        owed_satang=loan_owed(loan) if schedule else 0,
        schedule=[
            InstalmentOut(
                number=r.number,
                due_on=r.due_on,
                principal_satang=r.principal_satang,
                interest_satang=r.interest_satang,
                paid_satang=r.principal_paid + r.interest_paid,
            )
            for r in schedule
        ],
        repayments=[
            RepaymentOut(
                public_id=r.public_id,
                amount_satang=r.amount_satang,
                principal_satang=r.principal_satang,
                interest_satang=r.interest_satang,
                paid_on=r.paid_on,
                reference=r.reference,
            )
            for r in loan.repayments.order_by("paid_on", "id")
        ],
    )


def _visible_loan(request: Any, public_id: UUID) -> Loan:
    loan = loan_get(public_id)
    if loan is None or not (loan.person_id == request.auth.pk or loans_kept_by(request.auth, loan.fund)):
        raise NotFound()
    return loan


def _kept_loan(request: Any, public_id: UUID) -> Loan:
    """A loan the caller's committee keeps; 403 without the loans permission at all."""
    if not request.auth.has_perm(KEEP_LOANS):
        raise PermissionDenied()
    loan = loan_get(public_id)
    if loan is None or not loans_kept_by(request.auth, loan.fund):
        raise NotFound()
    return loan


# --- a person ---------------------------------------------------------------------------------


@router.get("/products", response=list[ProductOut])
def products(request: Any) -> list[ProductOut]:
    """The loan products of the caller's community's goodness bank, each with the conditions the
    caller meets and not (read only with their loan-eligibility consent). Empty when their
    community has no bank, or they belong to none."""
    community = getattr(request.auth, "community", None)
    fund = fund_of(community) if community is not None else None
    if fund is None:
        return []
    found = fund.products.filter(active=True).prefetch_related("bands").order_by("name_th", "pk")
    return [product_out(request.auth, p) for p in found]


@router.post("/products/{public_id}/apply", response={201: LoanOut, **errors(403, 404, 409)})
def apply(
    request: Any,
    public_id: UUID,
    payload: ApplyIn,
    idempotency_key: str = idempotency_key_header(),
) -> tuple[int, LoanOut]:
    """Applies for a loan of a product of the caller's community: the pledged points are set aside
    (never the lifetime credit). A retry with the same `Idempotency-Key` answers the same loan;
    the same key with other terms is refused with 422 `idempotency_conflict`.

    Refusals, nothing pledged: 400 `loan_invalid` (amount, instalments or pledge outside the
    product's terms, by field); 403 `loan_eligibility_consent_needed` (no loan-eligibility
    consent); 409 `loan_not_eligible` (the unmet conditions' codes as fields),
    `loan_not_enough_points`; 404 for no such product, or one of another community."""
    product = LoanProduct.objects.select_related("fund").filter(public_id=public_id, active=True).first()
    if product is None or getattr(request.auth, "community_id", None) != product.fund.community_id:
        raise NotFound()
    loan = loan_apply(
        actor=request.auth,
        product=product,
        principal_satang=payload.principal_satang,
        instalments=payload.instalments,
        pledge_points=payload.pledge_points,
        key=idempotency_key,
        purpose=payload.purpose,
    )
    return 201, loan_out(loan)


@router.get("/mine", response=list[LoanOut])
def mine(request: Any) -> list[LoanOut]:
    """The caller's loans, newest first, with their schedule and repayments."""
    return [loan_out(loan) for loan in loans_of(request.auth)]


# --- the committee ----------------------------------------------------------------------------


@router.get("/funds/{public_id}/waiting", response={200: list[WaitingOut], **errors(403, 404)})
def waiting(request: Any, public_id: UUID) -> list[WaitingOut]:
    """The applications waiting for the fund's committee, oldest first, each with the goodness
    record behind it. 403 without the loans permission; 404 for another community's fund."""
    if not request.auth.has_perm(KEEP_LOANS):
        raise PermissionDenied()
    fund = LoanFund.objects.filter(public_id=public_id).first()
    if fund is None or not loans_kept_by(request.auth, fund):
        raise NotFound()
    rows = []
    for loan in loans_waiting(fund):
        eligibility = loan_eligibility(loan.person, loan.product)
        rows.append(
            WaitingOut(
                loan=loan_out(loan),
                person=loan.person.public_id,
                person_name=loan.person.full_name,
                consent=eligibility.consent,
                conditions=_conditions(eligibility),
            )
        )
    return rows


@router.get("/{public_id}", response={200: LoanOut, **errors(404)})
def loan(request: Any, public_id: UUID) -> LoanOut:
    """A loan: the caller's own, or one their committee keeps; any other answers 404."""
    return loan_out(_visible_loan(request, public_id))


@router.post("/{public_id}/approve", response={200: LoanOut, **errors(403, 404, 409)})
def approve(request: Any, public_id: UUID) -> LoanOut:
    """A committee member approves an application (two different members above the product's
    threshold; the last approval needs the money free in the fund). Refusals: 403 `loan_own`
    (one's own loan), 409 `loan_already_approved_by_you`, `loan_wrong_state`, `loan_fund_too_low`."""
    return loan_out(loan_approve(actor=request.auth, loan=_kept_loan(request, public_id)))


@router.post("/{public_id}/decline", response={200: LoanOut, **errors(403, 404, 409)})
def decline(request: Any, public_id: UUID, payload: DeclineIn) -> LoanOut:
    """Declines an application (or an approved loan not paid out): the pledge goes back. Refusals:
    403 `loan_own`, 409 `loan_wrong_state`."""
    return loan_out(
        loan_decline(actor=request.auth, loan=_kept_loan(request, public_id), reason=payload.reason)
    )


@router.post("/{public_id}/disburse", response={200: LoanOut, **errors(403, 404, 409)})
def disburse(request: Any, public_id: UUID, payload: DisburseIn) -> LoanOut:
    """Pays an approved loan out; its schedule is fixed from that day. Refusals: 403 `loan_own`,
    409 `loan_wrong_state`, `loan_fund_too_low`."""
    on = payload.on or timezone.localdate()
    return loan_out(loan_disburse(actor=request.auth, loan=_kept_loan(request, public_id), on=on))


@router.post("/{public_id}/repayments", response={201: RepaymentOut, **errors(403, 404, 409)})
def repayment(request: Any, public_id: UUID, payload: RepaymentIn) -> tuple[int, RepaymentOut]:
    """Records money paid back (interest due first, then principal). The same reference with the
    same amount answers the first repayment; with another amount, 422 `idempotency_conflict`.
    Refusals: 400 `loan_repayment_invalid` (more than is owed, or a bad reference), 403
    `loan_own`, 409 `loan_wrong_state`."""
    found = _kept_loan(request, public_id)
    r = loan_repayment_record(
        actor=request.auth,
        loan=found,
        amount_satang=payload.amount_satang,
        paid_on=payload.paid_on,
        reference=payload.reference,
    )
    return 201, RepaymentOut(
        public_id=r.public_id,
        amount_satang=r.amount_satang,
        principal_satang=r.principal_satang,
        interest_satang=r.interest_satang,
        paid_on=r.paid_on,
        reference=r.reference,
    )
