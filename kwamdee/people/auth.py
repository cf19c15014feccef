"""Bearer-token authentication for API clients (used by every app's router)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from kwamdee.people.services import api_token_person


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = api_token_person(token)
        if person is not None:
            request.user = person
        return person


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The fallback of endpoints open to everyone that say more to a signed-in person."""
    return AnonymousUser()
