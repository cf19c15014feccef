"""Language selection: Thai unless the person chose English (cookie) or an API client asks."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
