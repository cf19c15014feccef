"""Pages for verifiers acting for their organization."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.organizations.forms import NationalIdConfirmForm
from kwamdee.organizations.selectors import organizations_verified_by, person_within_verification_scope
from kwamdee.people.identity import national_id_confirm
from kwamdee.people.selectors import person_by_login


@sensitive_post_parameters("national_id")
@login_required
def national_id_confirm_view(request):
    """A verifier confirms a person's national ID from the card, face to face: from then on that
    number belongs to that account only (people/identity.py)."""
    if not organizations_verified_by(request.user):
        raise PermissionDenied
    form = NationalIdConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = person_by_login(form.cleaned_data["login"])
        # One answer for "no such person" and "not in your area": the form finds nobody beyond
        # the verifier's own area.
        if (
            person is None
            or not person.is_active
            or not person_within_verification_scope(request.user, person)
        ):
            form.add_error("login", _("Nobody with this phone number or e-mail lives in your area."))
        else:
            number = form.cleaned_data["national_id"]
            try:
                national_id_confirm(actor=request.user, person=person, national_id=number)
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                done = _("The national ID of %(name)s is confirmed.") % {"name": person.full_name}
                messages.success(request, done)
                return redirect("organizations:confirm_national_id")
    return render(request, "organizations/confirm_national_id.html", {"form": form})
