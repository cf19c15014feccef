"""Language selection (Thai unless the person chose English or an API client asks), refusing NUL
characters, and keeping personal answers out of caches."""

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from kwamdee.common.roles import Role


class ThaiFirstLocaleMiddleware:
    """Unlike LocaleMiddleware, ignores the browser's Accept-Language on web pages, so a Thai
    site opens in Thai even on a phone set to English; the language switch sets a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = dict(settings.LANGUAGES)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported and request.path.startswith("/api/"):
            language = _first_supported(request.headers.get("Accept-Language", ""))
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


def _first_supported(accept_language: str) -> str | None:
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip()
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return None


class RejectNulMiddleware:
    """Refuses a request whose text carries a NUL character, which no field can hold (PostgreSQL
    rejects it in text columns). File uploads (multipart) are left to their own checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            message = str(_("The request contains invalid characters."))
            body = {"code": "invalid_characters", "message": message, "fields": {}}
            if request.path.startswith("/api/"):
                return JsonResponse(body, status=400)
            return HttpResponseBadRequest(body["message"])
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.content_type == "multipart/form-data":
            return False
        body = request.body
        return b"\x00" in body or b"\\u0000" in body or b"%00" in body


class NoStoreForPersonalMiddleware:
    """`Cache-Control: no-store, private` on every answer that may hold personal data: to a
    signed-in person, to an API call with a token, and to any write (the token and sign-up answers
    among them). A shared computer's browser or a proxy then keeps no copy of a passbook."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (
            request.method not in ("GET", "HEAD", "OPTIONS")
            or "HTTP_AUTHORIZATION" in request.META
            or bool(user is not None and user.is_authenticated)
        )
        if personal:
            patch_cache_control(response, no_store=True, private=True)
        return response


class PermissionsPolicyMiddleware:
    """Every answer switches off what no page uses: camera, microphone, location…
    (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionIdleMiddleware:
    """A signed-in session ends after a while unused (settings.SESSION_IDLE_SECONDS; shorter for
    people with a role, SESSION_IDLE_SECONDS_ROLES): each use pushes the end back, written at
    most every few minutes so that reading pages does not write the session each time."""

    REFRESH_EVERY = 300  # seconds

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get("_seen", 0)) > self.REFRESH_EVERY:
                request.session["_seen"] = now
                roles = user.is_staff or user.groups.exclude(name=Role.CITIZEN).exists()
                idle = settings.SESSION_IDLE_SECONDS_ROLES if roles else settings.SESSION_IDLE_SECONDS
                request.session.set_expiry(idle)
        return self.get_response(request)
