"""The pages of two-step sign-in (people/two_factor.py): set it up, type the code after the
password, make new recovery codes, turn it off. My account says where it stands (views.account).
In a module of their own, beside views.py, which they would take past 400 lines."""

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.errors import TwoFactorTooManyCodes
from kwamdee.people.forms import TwoFactorDisableForm, TwoFactorSetupForm, TwoFactorVerifyForm
from kwamdee.people.two_factor import (
    recovery_code_for_reading,
    recovery_codes_regenerate,
    totp_key_for_typing,
    two_factor_confirm,
    two_factor_disable,
    two_factor_enabled,
    two_factor_required,
    two_factor_setup_start,
    two_factor_verify,
)

QR_DARK = "#1d2b24"  # the site's ink colour, on white: what every authenticator app reads


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _next(request: HttpRequest) -> str:
    """Where the person was going (the middleware passes it on), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else ""


def _with_next(page: str, next_url: str) -> str:
    return f"{reverse(page)}?{urlencode({'next': next_url})}" if next_url else reverse(page)


def _session_verified(request: HttpRequest, device) -> None:
    """This session passed the second step: first a new session key and CSRF token (whoever knew
    the old ones gets no verified session), as Django's own sign-in does, then django-otp's mark on
    the session (`django_otp.login` sets it, but keeps the key)."""
    request.session.cycle_key()
    rotate_token(request)
    django_otp.login(request, device)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "people/too_many.html", {"message": TwoFactorTooManyCodes.message}, status=429)


def _codes_page(request: HttpRequest, codes: list[str], *, next_url: str, first: bool) -> HttpResponse:
    """The recovery codes, shown this once (the answer is never cached: NoStoreForPersonal)."""
    context = {
        "codes": [recovery_code_for_reading(code) for code in codes],
        "next": next_url or reverse("people:account"),
        "first": first,
    }
    return render(request, "people/two_factor_recovery_codes.html", context)


@login_required
@sensitive_post_parameters("code")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Step 1 install an app, step 2 scan the picture (or type the key), step 3 type its code;
    then the recovery codes, once."""
    person = request.user
    next_url = _next(request)
    if two_factor_enabled(person):
        if person.is_verified():  # type: ignore[union-attr]
            messages.info(request, _("Two-step sign-in is already on."))
            return redirect("people:account")
        return redirect(_with_next("people:two_factor_verify", next_url))
    form = TwoFactorSetupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor_confirm(person=person, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except TwoFactorTooManyCodes:
            return _too_many(request)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            _session_verified(request, device)
            return _codes_page(request, codes, next_url=next_url, first=True)
    device = two_factor_setup_start(person=person)  # type: ignore[arg-type]
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "key": totp_key_for_typing(device),
        "qr": qr.svg_data_uri(scale=5, border=2, dark=QR_DARK),
        "qr_size": qr.symbol_size(scale=5, border=2)[0],
        "required": two_factor_required(person),
    }
    return render(request, "people/two_factor_setup.html", context)


@login_required
@sensitive_post_parameters("code", "recovery_code")
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step, after the password: the app's code, or a recovery code."""
    person = request.user
    next_url = _next(request)
    if not two_factor_enabled(person):
        if two_factor_required(person):
            return redirect(_with_next("people:two_factor_setup", next_url))
        return redirect("people:account")
    if person.is_verified():  # type: ignore[union-attr]
        return redirect(next_url or "passbook:passbook")
    form = TwoFactorVerifyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        code, field = form.typed()
        try:
            device = two_factor_verify(person=person, code=code)  # type: ignore[arg-type]
        except TwoFactorTooManyCodes:
            return _too_many(request)
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"code": field})
        else:
            _session_verified(request, device)
            if field == "recovery_code":
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code: it will not work again. If you lost your "
                        "phone, make new recovery codes on My account."
                    ),
                )
            return redirect(next_url or "passbook:passbook")
    recovery_open = bool(form.is_bound and (form.data.get("recovery_code") or form["recovery_code"].errors))
    return render(
        request,
        "people/two_factor_verify.html",
        {"form": form, "next": next_url, "recovery_open": recovery_open},
    )


@login_required
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working): a page that says so, and its button."""
    person = request.user
    if not two_factor_enabled(person):
        return redirect("people:account")
    if request.method == "POST":
        codes = recovery_codes_regenerate(person=person)  # type: ignore[arg-type]
        return _codes_page(request, codes, next_url="", first=False)
    return render(request, "people/two_factor_recovery_new.html")


@login_required
@sensitive_post_parameters("password")
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    """Turning two-step sign-in off, with the password; for a citizen only (a role needs it)."""
    person = request.user
    if not two_factor_enabled(person):
        return redirect("people:account")
    required = two_factor_required(person)
    form = TwoFactorDisableForm(_posted(request))
    if request.method == "POST" and not required and form.is_valid():
        try:
            two_factor_disable(person=person, password=form.cleaned_data["password"])  # type: ignore[arg-type]
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Two-step sign-in is off. You sign in with your password only."))
            return redirect("people:account")
    return render(request, "people/two_factor_disable.html", {"form": form, "required": required})
