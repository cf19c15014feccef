"""Bearer-token authentication for a partner's own system (its till): a partner token ("kwp_…")
acts for the partner, never for a person. Operations that a partner's counter does take it beside
a person's token: `auth=[TokenAuth(), PartnerTokenAuth()]`."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from kwamdee.rewards.partners import partner_token_actor


class PartnerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        actor = partner_token_actor(token)
        if actor is not None:
            request.user = actor  # type: ignore[assignment]
        return actor
