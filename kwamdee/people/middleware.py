"""The web's second step (people/two_factor.py). After django-otp's OTPMiddleware has said whether
this session passed it (`request.user.is_verified()`):

- a signed-in person with an authenticator app whose session has not passed it goes to the code
  page, then back to where they were going;
- a person whose role needs two-step sign-in (`two_factor_required`) and who has no app yet goes
  to the setup page.

Every page is covered, Django's admin included, but those a person needs on the way: the setup
and code pages themselves (new recovery codes and turning it off are not among them), signing
out, the language switch, static files, /healthz, and the API (which signs in by bearer token:
`POST /api/v1/auth/token` asks for the code itself)."""

from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from kwamdee.people.two_factor import two_factor_enabled, two_factor_required


@cache
def _open_paths() -> tuple[str, ...]:
    """Path prefixes reached without the second step."""
    static = "/" + settings.STATIC_URL.lstrip("/")
    steps = (reverse("people:two_factor_setup"), reverse("people:two_factor_verify"))
    return (*steps, reverse("people:logout"), reverse("set_language"), static, reverse("healthz"), "/api/")


def _to(page: str, request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")


class TwoFactorMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_open_paths()):
            return self.get_response(request)
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return self.get_response(request)
        if two_factor_enabled(user):
            return _to("people:two_factor_verify", request)
        if two_factor_required(user):
            return _to("people:two_factor_setup", request)
        return self.get_response(request)
