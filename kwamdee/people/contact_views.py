"""Web pages of contact confirmation (people/contact_confirmation.py): what a sign-up answers,
the page that asks for the code (`/people/confirm/`) and "send again".

After a sign-up the browser holds, in its session, where the code went (`SIGNUP_PENDING`). A new
person is signed in as well; for a phone or e-mail that already had an account nobody is, and the
owner was told by a message instead. The page looks the same either way: just after a sign-up its
menu shows the catalog only (a signed-in menu would tell the two apart), and a wrong code gets the
same answer as a code nobody sent."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kwamdee.common.client import client_address
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.codes import Destination, code_minutes
from kwamdee.people.contact_confirmation import (
    SignupAnswer,
    contact_code_resend,
    contact_confirm,
    person_destination,
)
from kwamdee.people.errors import ChannelNotAvailable, RateLimited
from kwamdee.people.forms import OneTimeCodeForm
from kwamdee.people.selectors import contact_confirmed

SIGNUP_PENDING = "contact_confirm_pending"


def signup_answered(request: HttpRequest, answer: SignupAnswer) -> HttpResponse:
    """The answer to a sign-up, for a new phone or e-mail and a known one alike: a new session (a
    sign-in for a new person, as Django's sign-in makes it: a new session key and CSRF token),
    where the code went kept in it, and the confirm page."""
    if answer.person is not None:
        login(request, answer.person, backend="kwamdee.people.backends.PhoneOrEmailBackend")
    else:
        if request.user.is_authenticated:
            logout(request)  # as a sign-up of a new person would have replaced them
        else:
            request.session.cycle_key()
        rotate_token(request)
    request.session[SIGNUP_PENDING] = {"channel": answer.sent.channel, "to": answer.sent.to}
    return redirect("people:contact_confirm")


def _destination(request: HttpRequest) -> tuple[Destination | None, bool]:
    """Where the code went, and whether the page is shown just after a sign-up. A signed-in
    person's own contact decides (they may have corrected it since); else the sign-up's."""
    pending = request.session.get(SIGNUP_PENDING)
    just_joined = isinstance(pending, dict) and {"channel", "to"} <= pending.keys()
    if request.user.is_authenticated:
        return person_destination(request.user), just_joined  # type: ignore[arg-type]
    if just_joined:
        return Destination(str(pending["channel"]), str(pending["to"])), True  # type: ignore[index]
    return None, False


def _next(request: HttpRequest) -> str:
    """Where to go once confirmed: a page of this site named in `next` (the deed page), else the
    passbook."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and safe else reverse("passbook:passbook")


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "people/too_many.html", {"message": RateLimited.message}, status=429)


def _not_for_this_visit(request: HttpRequest, destination: Destination | None, just_joined: bool) -> Any:
    """The answer when there is no code to ask for: sign in first, or nothing left to confirm."""
    if not request.user.is_authenticated and destination is None:
        return redirect_to_login(request.get_full_path())
    if request.user.is_authenticated and contact_confirmed(request.user) and not just_joined:
        messages.info(request, _("Your phone number or e-mail address is already confirmed."))
        return redirect(_next(request))
    if destination is None:  # signed in, with a contact no code can reach (SMS unavailable)
        messages.error(request, ChannelNotAvailable.message)
        return redirect("people:account")
    return None


@sensitive_post_parameters("code")
def contact_confirm_page(request: HttpRequest) -> HttpResponse:
    destination, just_joined = _destination(request)
    elsewhere = _not_for_this_visit(request, destination, just_joined)
    if elsewhere is not None:
        return elsewhere
    assert destination is not None
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person = contact_confirm(
                login=destination.to, code=form.cleaned_data["code"], client=client_address(request)
            )
        except RateLimited:
            return _too_many(request)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            request.session.pop(SIGNUP_PENDING, None)
            if request.user.pk == person.pk:
                messages.success(
                    request, _("Thank you. It is confirmed: you can now record your good deeds.")
                )
                return redirect(_next(request))
            # The code alone is not a sign-in: whoever joined in another browser signs in.
            messages.success(request, _("Thank you. It is confirmed. Please sign in."))
            return redirect("people:login")
    context = {
        "form": form,
        "channel": destination.channel,
        "sent_to": destination.masked,
        "just_joined": just_joined,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "minutes": code_minutes(),
    }
    return render(request, "people/contact_confirm.html", context)


@require_POST
def contact_code_resend_page(request: HttpRequest) -> HttpResponse:
    """ "Send a new code": the same answer whether or not a code was due (contact_code_resend)."""
    destination, just_joined = _destination(request)
    elsewhere = _not_for_this_visit(request, destination, just_joined)
    if elsewhere is not None:
        return elsewhere
    assert destination is not None
    try:
        contact_code_resend(login=destination.to, client=client_address(request))
    except RateLimited:
        return _too_many(request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("We sent a new code to %(to)s.") % {"to": destination.masked})
    target = reverse("people:contact_confirm")
    following = request.POST.get("next")
    return redirect(f"{target}?{urlencode({'next': following})}" if following else target)
