"""Bearer-token authentication for API clients."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from kwamdee.people.services import api_token_person


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        person = api_token_person(token)
        if person is not None:
            request.user = person
        return person


def anonymous(request):
    """The fallback of endpoints open to everyone that say more to a signed-in person."""
    return AnonymousUser()
