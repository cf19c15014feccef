"""The goodness bank's desk for its committee (`loans_kept_by`): the fund's balance and deposits,
its products, the applications waiting with the goodness record behind each, decisions on a loan
(approve, decline, pay out, close, default) and repayments, a bank statement's import, and the
report.

A person without the loans permission gets 403 (they may never keep a fund); a committee member
of another community gets 404 for this fund and its loans, as for none."""

import base64
import binascii
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.areas.selectors import communities_administered_by
from kwamdee.common.errors import FileRowsInvalid, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.loans.choices import LoanState
from kwamdee.loans.forms import DecideForm, DepositForm, ProductForm, RepaymentForm, StatementForm
from kwamdee.loans.models import Loan, LoanFund
from kwamdee.loans.reports import fund_report
from kwamdee.loans.schedule import to_satang
from kwamdee.loans.selectors import (
    KEEP_LOANS,
    Condition,
    fund_balance,
    fund_committed,
    fund_of,
    in_arrears,
    loan_eligibility,
    loan_get,
    loans_kept_by,
    loans_waiting,
)
from kwamdee.loans.services import (
    ProductIn,
    fund_deposit,
    loan_approve,
    loan_close,
    loan_decline,
    loan_default,
    loan_disburse,
    loan_fund_open,
    loan_product_create,
    loan_repayment_record,
)
from kwamdee.loans.statement_import import statement_import_confirm, statement_preview
from kwamdee.loans.views import render_loan
from kwamdee.rewards.levels import level_status


def _require_permission(user: Any) -> None:
    if not user.has_perm(KEEP_LOANS):
        raise PermissionDenied


def _fund_or_404(request: HttpRequest, public_id: uuid.UUID) -> LoanFund:
    _require_permission(request.user)
    fund = LoanFund.objects.select_related("community").filter(public_id=public_id).first()
    if fund is None or not loans_kept_by(request.user, fund):
        raise Http404
    return fund


def _kept_loan_or_404(request: HttpRequest, public_id: uuid.UUID) -> Loan:
    _require_permission(request.user)
    loan = loan_get(public_id)
    if loan is None or not loans_kept_by(request.user, loan.fund):
        raise Http404
    return loan


@login_required
def fund_home(request: HttpRequest) -> HttpResponse:
    """The committee's way in: their community's fund's desk, or opening the fund (POST)."""
    _require_permission(request.user)
    communities = communities_administered_by(request.user)
    if request.method == "POST":
        chosen = next((c for c in communities if str(c.public_id) == request.POST.get("community")), None)
        if chosen is None:
            raise Http404
        fund = loan_fund_open(actor=request.user, community=chosen)
        messages.success(request, _("The goodness bank is open. Record the money it holds first."))
        return redirect("loans:fund", public_id=fund.public_id)
    funds = [(community, fund_of(community)) for community in communities]
    if len(funds) == 1 and funds[0][1] is not None:
        return redirect("loans:fund", public_id=funds[0][1].public_id)
    return render(request, "loans/fund_home.html", {"funds": funds})


@dataclass(frozen=True)
class Applicant:
    """What the committee sees behind an application: the goodness record (read only with the
    person's consent, which applying needed; withdrawn since, it is not shown)."""

    loan: Loan
    consent: bool
    credit: int
    level: str
    conditions: list[Condition]
    approvals: int


def _applicant(loan: Loan) -> Applicant:
    eligibility = loan_eligibility(loan.person, loan.product)
    status = level_status(loan.person) if eligibility.consent else None
    return Applicant(
        loan=loan,
        consent=eligibility.consent,
        credit=status.credit if status else 0,
        level=status.level.name if status and status.level else "",
        conditions=eligibility.conditions,
        approvals=loan.approvals.count(),
    )


def _desk(request: HttpRequest, fund: LoanFund, deposit_form: DepositForm, status: int = 200) -> HttpResponse:
    loans = Loan.objects.filter(fund=fund).select_related("product", "person")
    balance, committed = fund_balance(fund), fund_committed(fund)
    return render(
        request,
        "loans/fund.html",
        {
            "fund": fund,
            "balance": balance,
            "committed": committed,
            "available": balance - committed,
            "deposits": list(fund.deposits.order_by("-received_on", "-id")[:20]),
            "products": list(fund.products.prefetch_related("bands").order_by("name_th", "pk")),
            "waiting": [_applicant(loan) for loan in loans_waiting(fund)],
            "approved": list(loans.filter(state=LoanState.APPROVED).order_by("approved_at", "id")),
            "running": list(
                loans.filter(state__in=(LoanState.DISBURSED, LoanState.REPAYING)).order_by(
                    "disbursed_on", "id"
                )
            ),
            "arrears": set(in_arrears(loans).values_list("pk", flat=True)),
            "form": deposit_form,
        },
        status=status,
    )


@login_required
def fund(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The desk; a deposit (POST) records money the fund received from one of its sources."""
    found = _fund_or_404(request, public_id)
    if request.method != "POST":
        return _desk(request, found, DepositForm(initial={"received_on": timezone.localdate()}))
    form = DepositForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            fund_deposit(
                actor=request.user,
                fund=found,
                source=data["source"],
                amount_satang=to_satang(data["amount"]),
                reference=data["reference"],
                received_on=data["received_on"],
            )
        except IdempotencyConflict:
            form.add_error(
                "reference", _("A deposit with this reference is already recorded, with another amount.")
            )
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"amount_satang": "amount"})
        else:
            messages.success(request, _("The deposit is recorded."))
            return redirect("loans:fund", public_id=found.public_id)
    return _desk(request, found, form)


@login_required
def product_new(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A new product: its bands, terms, the two-approver threshold, the pledge, the default rule
    and the eligibility conditions."""
    found = _fund_or_404(request, public_id)
    form = ProductForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        product_in = ProductIn(
            name_th=data["name_th"],
            name_en=data["name_en"],
            bands=form.bands(),
            frequency=data["frequency"],
            min_instalments=data["min_instalments"],
            max_instalments=data["max_instalments"],
            two_approvers_above_satang=to_satang(data["two_approvers_above"]),
            min_pledge_points=data["min_pledge_points"],
            default_rule=data["default_rule"],
            min_credit=data["min_credit"],
            min_level=data["min_level"],
            min_member_months=data["min_member_months"],
            min_recent_deeds=data["min_recent_deeds"],
            no_arrears=data["no_arrears"],
        )
        try:
            loan_product_create(actor=request.user, fund=found, data=product_in)
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"bands": "band1_up_to"})
        else:
            messages.success(request, _("The product is offered to the community's members."))
            return redirect("loans:fund", public_id=found.public_id)
    return render(request, "loans/product_form.html", {"fund": found, "form": form})


@login_required
@require_POST
def decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Approve, decline (with a reason), pay out, close or default a loan. Never one's own loan:
    the service refuses, and the refusal is shown."""
    loan = _kept_loan_or_404(request, public_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return render_loan(request, loan, decide_form=form)
    action = form.cleaned_data["action"]
    try:
        if action == "approve":
            loan = loan_approve(actor=request.user, loan=loan)
            if loan.state == LoanState.APPROVED:
                messages.success(request, _("Approved. The loan can be paid out."))
            else:
                messages.success(
                    request, _("Your approval is recorded. Another committee member must approve too.")
                )
        elif action == "decline":
            loan_decline(actor=request.user, loan=loan, reason=form.cleaned_data["reason"])
            messages.success(request, _("The application is declined; the pledged points went back."))
        elif action == "disburse":
            loan_disburse(actor=request.user, loan=loan, on=form.cleaned_data["disbursed_on"] or None)
            messages.success(request, _("Paid out. The schedule is fixed from today."))
        elif action == "close":
            loan_close(actor=request.user, loan=loan)
            messages.success(request, _("The loan is closed; the pledged points went back."))
        else:
            loan_default(actor=request.user, loan=loan)
            messages.success(
                request, _("The loan is marked as defaulted; the pledge follows the product's rule.")
            )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("loans:loan", public_id=loan.public_id)


@login_required
@require_POST
def repay(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Records money the person paid back (amount, day, reference); a refusal comes back on the
    loan's page with what was typed."""
    loan = _kept_loan_or_404(request, public_id)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            repayment = loan_repayment_record(
                actor=request.user,
                loan=loan,
                amount_satang=to_satang(data["amount"]),
                paid_on=data["paid_on"],
                reference=data["reference"],
            )
        except IdempotencyConflict:
            form.add_error(
                "reference", _("A repayment with this reference is already recorded, with another amount.")
            )
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"amount_satang": "amount"})
        else:
            messages.success(request, _("The repayment is recorded."))
            return redirect("loans:receipt", public_id=loan.public_id, repayment_id=repayment.public_id)
    return render_loan(request, loan, repay_form=form)


@login_required
def statement_import(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A bank statement: upload → preview (writes nothing) → confirm. The preview page carries the
    file back, encoded, so that confirming reads and matches the same file again."""
    found = _fund_or_404(request, public_id)
    form = StatementForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"fund": found, "form": form}
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            content = base64.b64decode(request.POST.get("content", ""), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        form = StatementForm()
        context["form"] = form
        try:
            done = statement_import_confirm(actor=request.user, fund=found, file=content)
        except ServiceError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("%(n)s repayments are recorded.") % {"n": len(done.recorded)})
            context["imported"] = done
            return render(request, "loans/statement_import.html", context)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = statement_preview(actor=request.user, fund=found, file=upload)
        except FileRowsInvalid as exc:
            form.add_error("file", str(exc.message))
            for row, column, text in exc.errors[:20]:
                form.add_error(
                    "file",
                    _("Row %(row)s, %(column)s: %(message)s")
                    % {
                        "row": row,
                        "column": column,
                        "message": text,
                    },
                )
        else:
            upload.seek(0)
            context["preview"] = preview
            context["content"] = base64.b64encode(upload.read()).decode()
    return render(request, "loans/statement_import.html", context)


@login_required
def report(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The committee's report: the fund's balance, and per product lent, owed, repaid, arrears."""
    found = _fund_or_404(request, public_id)
    result = fund_report(request.user, found)
    return render(
        request, "loans/report.html", {"fund": found, "report": result, "lent": result.total("lent_satang")}
    )
