"""The committee's page: requests to join the communities a person administers, each approved or
declined with an optional note (people/membership.py)."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import NotFound, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.choices import MembershipState
from kwamdee.people.forms import MembershipDecisionForm
from kwamdee.people.membership import membership_approve, membership_decline
from kwamdee.people.selectors import (
    membership_decision_refusal,
    membership_get,
    membership_requests_waiting,
    memberships_decided_recently,
)

# The committees' permission: the one `areas.selectors.community_administered_by` asks for.
COMMITTEE_PERMISSION = "catalog.adapt_catalog"
DECISIONS = {"approve": membership_approve, "decline": membership_decline}


def _page(
    request: HttpRequest, bound: MembershipDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    waiting = []
    for membership in membership_requests_waiting(request.user):
        prefix = str(membership.public_id)
        form = (
            bound if bound is not None and bound.prefix == prefix else MembershipDecisionForm(prefix=prefix)
        )
        waiting.append((membership, form, membership.person_id != request.user.pk))
    context: dict[str, Any] = {
        "waiting": waiting,
        "decided": memberships_decided_recently(request.user),
        "form": bound,  # the one that came back with a problem, for the page title
    }
    return render(request, "people/membership_requests.html", context, status=status)


@permission_required(COMMITTEE_PERMISSION)
def membership_requests(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@permission_required(COMMITTEE_PERMISSION)
def membership_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    decide = DECISIONS.get(request.POST.get("decision", ""))
    if decide is None:
        raise SuspiciousOperation("unknown decision")  # the site's 400 page
    membership = membership_get(public_id)
    # Another community's request answers as one that does not exist.
    if membership is None or isinstance(membership_decision_refusal(request.user, membership), NotFound):
        raise Http404
    form = MembershipDecisionForm(request.POST, prefix=str(public_id))
    if not form.is_valid():
        return _page(request, form)
    try:
        decided = decide(actor=request.user, membership_public_id=public_id, note=form.cleaned_data["note"])
    except ServiceError as exc:
        if exc.fields:
            form_add_service_error(form, exc)
            return _page(request, form)
        messages.error(request, str(exc.message))
        return redirect("people:membership_requests")
    names = {"name": decided.person.full_name, "community": decided.community.name}
    if decided.state == MembershipState.APPROVED:
        messages.success(request, _("%(name)s is now a member of %(community)s.") % names)
    else:
        messages.success(request, _("The request of %(name)s to join %(community)s was declined.") % names)
    return redirect("people:membership_requests")
