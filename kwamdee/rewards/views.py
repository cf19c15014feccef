"""Web pages of rewards: sponsors' pledges and reports, and registering sponsors (staff)."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.selectors import person_by_login
from kwamdee.rewards import selectors
from kwamdee.rewards.forms import FundingForm, PledgeForm, SponsorForm
from kwamdee.rewards.services import sponsor_register, sponsorship_fund, sponsorship_pledge


@permission_required("catalog.manage_catalog")
def sponsors(request: HttpRequest) -> HttpResponse:
    form = SponsorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = person_by_login(data["member"])
        if member is None:
            form.add_error("member", _("No registered person has this phone number or e-mail."))
        else:
            try:
                sponsor_register(
                    actor=request.user, name_th=data["name_th"], name_en=data["name_en"],
                    kind=data["kind"], members=[member], organization=data["organization"],
                )  # fmt: skip
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("The sponsor is registered."))
                return redirect("rewards:sponsors")
    return render(request, "rewards/sponsors.html", {"form": form, "sponsors": selectors.sponsors_all()})


@permission_required("rewards.pledge_sponsorship")
def sponsorships(request: HttpRequest) -> HttpResponse:
    form = PledgeForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sponsorship_pledge(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your pledge is recorded; its budget pays bonuses once national staff "
                    "record the funding received."
                ),
            )
            return redirect("rewards:sponsorships")
    pledges = list(selectors.sponsorships_of(request.user))
    for pledge in pledges:
        pledge.budget_left_display = selectors.budget_left_display(pledge)  # type: ignore[attr-defined]
    return render(request, "rewards/sponsorships.html", {"form": form, "sponsorships": pledges})


@permission_required("rewards.pledge_sponsorship")
def sponsorship_report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    sponsorship = get_object_or_404(selectors.sponsorships_of(request.user), public_id=public_id)
    report = selectors.sponsorship_report(sponsorship)
    return render(request, "rewards/report.html", {"s": sponsorship, "report": report})


@permission_required("rewards.record_funding")
def funding(request: HttpRequest) -> HttpResponse:
    """National staff record the funding a sponsor paid for a pledge, with its payment reference."""
    form = FundingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sponsorship_fund(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The funding is recorded; the pledge's budget can pay bonuses."))
            return redirect("rewards:funding")
    context = {"form": form, "awaiting": selectors.sponsorships_awaiting_funding()}
    return render(request, "rewards/funding.html", context)
