"""The goodness bank's pages for a person (thin: forms in, services for writes, selectors for
reads): their community's bank with each product's conditions met and not, a product's terms with
a schedule preview and the application, and a loan's page (also the committee's, with its
decisions: views_fund.py), its printable statement and receipts.

Who sees a loan: its borrower, and the committee of its fund (`loans_kept_by`); to anyone else it
answers 404, as a loan that does not exist. The borrower sees how many committee members approved,
never who (the committee decides together; naming one invites pressure on them)."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.loans.choices import OUTSTANDING_STATES, LoanState
from kwamdee.loans.forms import ApplyForm, DecideForm, PreviewForm, RepaymentForm
from kwamdee.loans.models import Loan, LoanProduct, Repayment, ScheduledInstalment
from kwamdee.loans.reports import loan_statement
from kwamdee.loans.schedule import Instalment, baht, to_satang
from kwamdee.loans.selectors import (
    Eligibility,
    fund_of,
    loan_arrears,
    loan_eligibility,
    loan_get,
    loan_owed,
    loan_reference,
    loan_schedule,
    loan_schedule_preview,
    loans_kept_by,
    loans_of,
)
from kwamdee.loans.services import loan_apply
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.selectors import consent_active


def money(satang: int) -> str:
    """Satang as baht for reading: "20,000.00"."""
    return f"{baht(satang):,.2f}"


def band_words(product: LoanProduct) -> list[str]:
    """The product's bands in plain words: "Up to 20,000.00 baht: no interest" …"""
    words = []
    below = 0
    for band in product.bands.all():
        rate = band.annual_rate * 100
        rate_text = f"{rate.normalize():f}"
        if band.annual_rate:
            text = _("From %(low)s to %(high)s baht: %(rate)s%% a year on this part") % {
                "low": money(below),
                "high": money(band.up_to_satang),
                "rate": rate_text,
            }
        else:
            text = _("From %(low)s to %(high)s baht: no interest") % {
                "low": money(below),
                "high": money(band.up_to_satang),
            }
        words.append(text)
        below = band.up_to_satang
    return words


@dataclass(frozen=True)
class ProductCard:
    product: LoanProduct
    eligibility: Eligibility
    max_satang: int


def _card(person: Any, product: LoanProduct) -> ProductCard:
    top = max((b.up_to_satang for b in product.bands.all()), default=0)
    return ProductCard(product, loan_eligibility(person, product), top)


def next_due(loan: Loan) -> ScheduledInstalment | None:
    """The first instalment not fully paid, of a loan being repaid."""
    if loan.state not in OUTSTANDING_STATES:
        return None
    for row in loan.schedule.order_by("number"):
        if row.owed > 0:
            return row
    return None


def _has_consent(person: Any) -> bool:
    return consent_active(person=person, purpose=ConsentPurpose.LOAN_ELIGIBILITY) is not None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's community's goodness bank: each product with the conditions they meet and
    not, and their own loans with their state and next due."""
    person = request.user
    community = getattr(person, "community", None)
    fund = fund_of(community) if community is not None else None
    products = (
        list(fund.products.filter(active=True).prefetch_related("bands").order_by("name_th", "pk"))
        if fund
        else []
    )
    cards = [_card(person, p) for p in products]
    mine = [(loan, next_due(loan)) for loan in loans_of(person)]
    return render(
        request,
        "loans/home.html",
        {
            "fund": fund,
            "community": community,
            "cards": cards,
            "consent": _has_consent(person),
            "mine": mine,
        },
    )


def _product_or_404(public_id: uuid.UUID) -> LoanProduct:
    product = (
        LoanProduct.objects.select_related("fund__community")
        .prefetch_related("bands")
        .filter(public_id=public_id, active=True)
        .first()
    )
    if product is None:
        raise Http404
    return product


def _preview_rows(product: LoanProduct, form: PreviewForm) -> list[Instalment]:
    if not form.is_bound or not form.is_valid():
        return []
    return loan_schedule_preview(
        product,
        principal=to_satang(form.cleaned_data["amount"]),
        instalments=form.cleaned_data["instalments"],
        start=timezone.localdate(),
    )


def _product_page(
    request: HttpRequest, product: LoanProduct, apply_form: ApplyForm, *, status: int = 200
) -> HttpResponse:
    person = request.user
    if "p-amount" in request.GET:  # the preview's own form (GET, writes nothing)
        preview = PreviewForm(request.GET, product=product, prefix="p")
    elif apply_form.is_bound and not {"amount", "instalments"} & set(apply_form.errors):
        # the schedule of what they asked for, beside the form that came back
        data = {"p-amount": request.POST.get("amount"), "p-instalments": request.POST.get("instalments")}
        preview = PreviewForm(data, product=product, prefix="p")
    else:
        preview = PreviewForm(product=product, prefix="p")
    rows = _preview_rows(product, preview)
    card = _card(person, product)
    in_community = getattr(person, "community_id", None) == product.fund.community_id
    return render(
        request,
        "loans/product.html",
        {
            "product": product,
            "card": card,
            "bands": band_words(product),
            "preview": preview,
            "rows": rows,
            "total_interest": sum(r.interest for r in rows),
            "total_principal": sum(r.principal for r in rows),
            "form": apply_form,
            "consent": card.eligibility.consent,
            "in_community": in_community,
        },
        status=status,
    )


@login_required
def product(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A product's conditions and terms (the default rule among them, before anyone signs), a
    schedule for an amount they type (GET, writes nothing), and the application (POST)."""
    found = _product_or_404(public_id)
    if request.method != "POST":
        initial = {"key": uuid.uuid4().hex, "pledge_points": found.min_pledge_points}
        return _product_page(request, found, ApplyForm(product=found, initial=initial))
    form = ApplyForm(request.POST, product=found)
    if form.is_valid():
        data = form.cleaned_data
        try:
            loan = loan_apply(
                actor=request.user,
                product=found,
                principal_satang=to_satang(data["amount"]),
                instalments=data["instalments"],
                pledge_points=data["pledge_points"],
                key=data["key"] or uuid.uuid4().hex,
                purpose=data["purpose"],
            )
        except IdempotencyConflict:
            form = ApplyForm(request.POST.copy() | {"key": uuid.uuid4().hex}, product=found)
            form.is_valid()
            form.add_error(None, _("Nothing was sent. Please press the button again."))
        except ServiceError as exc:
            form_add_service_error(
                form, exc, aliases={"principal_satang": "amount", "instalments": "instalments"}
            )
        else:
            messages.success(request, _("Your application is sent. The committee will look at it."))
            return redirect("loans:loan", public_id=loan.public_id)
    return _product_page(request, found, form)


# --- a loan ----------------------------------------------------------------------------------


def loan_visible_to(user: Any, loan: Loan) -> bool:
    """Its borrower, and its fund's committee."""
    return loan.person_id == getattr(user, "pk", None) or loans_kept_by(user, loan.fund)


def _loan_or_404(user: Any, public_id: uuid.UUID) -> Loan:
    loan = loan_get(public_id)
    if loan is None or not loan_visible_to(user, loan):
        raise Http404
    return loan


def loan_context(user: Any, loan: Loan) -> dict[str, Any]:
    keeper = loans_kept_by(user, loan.fund)
    own = loan.person_id == getattr(user, "pk", None)
    approvals = list(loan.approvals.select_related("approver").order_by("created_at", "id"))
    schedule = loan_schedule(loan)
    preview: list[Instalment] = []
    if not schedule and loan.state in (LoanState.APPLIED, LoanState.APPROVED):
        preview = loan_schedule_preview(
            loan.product,
            principal=loan.principal_satang,
            instalments=loan.instalments,
            start=timezone.localdate(),
        )
    arrears = loan_arrears(loan) if loan.state in (*OUTSTANDING_STATES, LoanState.DEFAULTED) else 0
    return {
        "loan": loan,
        "reference": loan_reference(loan),
        "own": own,
        "keeper": keeper and not own,
        "approvals": approvals,
        "approvals_count": len(approvals),
        "schedule": schedule,
        "preview": preview,
        "repayments": list(loan.repayments.order_by("paid_on", "id")),
        "owed": loan_owed(loan) if schedule else 0,
        "arrears": arrears,
        "next_due": next_due(loan),
        "today": timezone.localdate(),
        "outstanding": loan.state in OUTSTANDING_STATES,
        "can_decide": loan.state == LoanState.APPLIED,
        "can_disburse": loan.state == LoanState.APPROVED,
        "can_default": loan.state in OUTSTANDING_STATES and arrears > 0,
        "can_close": loan.state in OUTSTANDING_STATES and schedule and loan_owed(loan) == 0,
    }


def render_loan(
    request: HttpRequest,
    loan: Loan,
    *,
    repay_form: RepaymentForm | None = None,
    decide_form: DecideForm | None = None,
) -> HttpResponse:
    context = loan_context(request.user, loan)
    context["repay_form"] = repay_form or RepaymentForm(initial={"paid_on": timezone.localdate()})
    context["decide_form"] = decide_form or DecideForm(initial={"action": "decline"})
    context["form"] = (repay_form if repay_form is not None and repay_form.errors else None) or (
        decide_form if decide_form is not None and decide_form.errors else None
    )
    return render(request, "loans/loan.html", context)


@login_required
def loan(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A loan: its state, approvals so far, schedule, repayments, statement and receipts. To its
    fund's committee, also the decisions it waits for (views_fund.py takes them)."""
    return render_loan(request, _loan_or_404(request.user, public_id))


def _print_context(request: HttpRequest, loan: Loan) -> dict[str, Any]:
    return {
        "loan": loan,
        "community": loan.fund.community,
        "printed_on": timezone.localdate(),
        "borrower": loan.person,
    }


@login_required
def statement(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The loan's statement, printable (reports.loan_statement): for its borrower and committee."""
    found = _loan_or_404(request.user, public_id)
    context = _print_context(request, found)
    context["statement"] = loan_statement(request.user, found)
    return render(request, "loans/statement.html", context)


@login_required
def receipt(request: HttpRequest, public_id: uuid.UUID, repayment_id: uuid.UUID) -> HttpResponse:
    """A repayment's receipt, printable: for its borrower and committee."""
    found = _loan_or_404(request.user, public_id)
    repayment = Repayment.objects.filter(loan=found, public_id=repayment_id).first()
    if repayment is None:
        raise Http404
    # What was still owed just after it: owed now, plus what later repayments paid.
    later = sum(r.amount_satang for r in found.repayments.filter(pk__gt=repayment.pk))
    owed_after = loan_owed(found) + later
    context = _print_context(request, found)
    context.update({"repayment": repayment, "reference": loan_reference(found), "owed_after": owed_after})
    return render(request, "loans/receipt.html", context)
