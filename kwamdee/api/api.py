"""The HTTP API under /api/v1: one NinjaAPI, each app's router, one error shape."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema

from kwamdee.api.errors import error_message
from kwamdee.common.api_errors import ErrorOut
from kwamdee.common.errors import ServiceError
from kwamdee.people.auth import TokenAuth

# The refusals every operation shares, documented here once (each router names its own others,
# kwamdee/common/api_errors.py): the words of each, and whether an operation has it.
SHARED_ERRORS = {
    400: "The request cannot be read (a NUL character, a body that is not JSON), or a value breaks "
    "a rule of the service; `fields` names the values.",
    401: "No token, or a token that is not valid (revoked, expired, unknown).",
    422: "A value does not have the documented type or form; `fields` names each.",
}


def _shared_errors(operation: dict[str, Any]) -> list[int]:
    codes = [400]  # any request may carry a NUL character, refused before the operation runs
    security = operation.get("security") or []
    if security and {} not in security:  # a token is needed (not one that is optional)
        codes.append(401)
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append(422)
    return codes


class KwamdeeAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's document, with the errors every operation shares and their one shape."""
        schema = super().get_openapi_schema(**kwargs)
        ref = REF_TEMPLATE.format(model=ErrorOut.__name__)
        content = {"application/json": {"schema": {"$ref": ref}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code in _shared_errors(operation):
                    operation["responses"].setdefault(
                        code, {"description": SHARED_ERRORS[code], "content": content}
                    )
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault(
            ErrorOut.__name__,
            ErrorOut.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema),
        )
        return schema


api = KwamdeeAPI(
    title="Kwamdee API",
    version="1",
    description=(
        "Kwamdee (ความดี): record good deeds, verify them, read the passbook. "
        "Authenticate with `POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`. "
        'Errors are `{"code", "message", "fields"}` with a 4xx status.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "query", "path")]
        key = ".".join(loc[1:] if loc and loc[0] in ("payload", "data") else loc) or "request"
        # Our own words in the request's language, never pydantic's English (kwamdee/api/errors.py).
        fields.setdefault(key, []).append(error_message(error))
    body = {
        "code": "validation_failed",
        "message": _("Some fields are not valid."),
        "fields": fields,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    body = {"code": "not_found", "message": _("Not found."), "fields": {}}
    return api.create_response(request, body, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # Ninja's own refusals, such as a body that is not JSON.
    body = {"code": "malformed_request", "message": _("The request could not be read."), "fields": {}}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    body = {"code": "not_authenticated", "message": _("Please sign in."), "fields": {}}
    return api.create_response(request, body, status=401)


def _register_routers() -> None:
    from kwamdee.appeals.api import router as appeals_router
    from kwamdee.areas.api import router as areas_router
    from kwamdee.assessments.api import router as assessments_router
    from kwamdee.catalog.api import router as catalog_router
    from kwamdee.deeds.api import router as deeds_router
    from kwamdee.exchange.api import router as exchange_router
    from kwamdee.exchange.api import templates_router
    from kwamdee.impact.api import router as directory_router
    from kwamdee.ledger.api import router as ledger_router
    from kwamdee.loans.api import router as loans_router
    from kwamdee.notifications.api import router as notifications_router
    from kwamdee.organizations.api import router as organizations_router
    from kwamdee.passbook.api import router as passbook_router
    from kwamdee.people.api import membership_router
    from kwamdee.people.api import router as people_router
    from kwamdee.rewards.api import router as rewards_router
    from kwamdee.rewards.api_privileges import (
        levels_router,
        partners_router,
        privileges_router,
        redemptions_router,
    )
    from kwamdee.timebank.api import router as timebank_router

    api.add_router("/auth", people_router)
    api.add_router("/communities", membership_router)
    api.add_router("/geo", areas_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/catalog", exchange_router)
    api.add_router("/sponsorships", rewards_router)
    api.add_router("/privileges", privileges_router)
    api.add_router("/redemptions", redemptions_router)
    api.add_router("/levels", levels_router)
    api.add_router("/partners", partners_router)
    api.add_router("/deeds", deeds_router)
    api.add_router("/appeals", appeals_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/passbook", passbook_router)
    api.add_router("/ledger", ledger_router)
    api.add_router("/loans", loans_router)
    api.add_router("/organizations", organizations_router)
    # Templates as XLSX (exchange) first: their paths are literal, the app's start with an id.
    api.add_router("/assessments", templates_router)
    api.add_router("/assessments", assessments_router)
    api.add_router("/timebank", timebank_router)
    api.add_router("/directory", directory_router)


_register_routers()
