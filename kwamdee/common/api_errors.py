"""The API's one error shape, for each router to name the errors its operations answer.

Every 4xx of /api/v1 is `{"code", "message", "fields"}` (kwamdee/api/api.py makes them). An
operation names the statuses its services may refuse with (`response={200: X, **errors(403,
404)}`); the ones every operation shares are added to the OpenAPI document in one place,
kwamdee/api/api.py: 400 (a request the API cannot read, or a value a service refuses), 401 where
a token is needed, 422 where the operation takes input (tests/security/test_api_schema.py checks
that each answer is one its operation documents). And the one parameter routers share, the
`Idempotency-Key` header of an operation that needs one."""

from typing import Any

from ninja import Header, Schema

from kwamdee.common.idempotency import IDEMPOTENCY_HEADER, MAX_KEY_LENGTH


class ErrorOut(Schema):
    """What went wrong: a stable `code`, a message in the request's language, and the messages
    of each field that was refused (by name; empty when the refusal is not about one field)."""

    code: str
    message: str
    fields: dict[str, list[str]]


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The `response` entries of an operation's refusals: `{**errors(403, 404)}`."""
    return dict.fromkeys(statuses, ErrorOut)


def idempotency_key_header() -> Any:
    """The `Idempotency-Key` header an operation needs (a redemption, a loan's application): a key
    of the client's choosing, visible ASCII, that makes a retry answer as the first time. Used as
    the parameter's default: `idempotency_key: str = idempotency_key_header()`."""
    return Header(
        ...,
        alias=IDEMPOTENCY_HEADER,
        max_length=MAX_KEY_LENGTH,
        pattern=r"^[!-~]+$",
        description="Needed: a key of the client's choosing (visible ASCII, up to 80 characters) "
        "that makes a retry safe.",
    )
