"""The error every service raises: a stable code, a translated message, per-field details."""

from typing import Any

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """Base of all expected refusals. Subclasses set `code`, `status` and `message`."""

    code = "invalid"
    status = 400
    message: Any = _("The request could not be completed.")

    def __init__(self, message: Any = None, *, fields: dict[str, Any] | None = None):
        self.message = message if message is not None else type(self).message
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {k: [str(m) for m in v] for k, v in self.fields.items()},
        }


class ValidationFailed(ServiceError):
    code = "validation_failed"
    status = 400
    message = _("Some fields are not valid.")


class FileRowsInvalid(ValidationFailed):
    """An uploaded file with errors, carried as (row, column, message); nothing was written.
    Each app's file error (an attendance file, a bank statement) is one of these, with its own
    code and words."""

    code = "file_rows_invalid"
    message = _("The file has errors; nothing was saved.")

    def __init__(self, errors: list[tuple[int | str, str, Any]]):
        self.errors = errors
        fields: dict[str, list[Any]] = {}
        for row, column, text in errors:
            fields.setdefault(f"row {row}: {column}", []).append(text)
        super().__init__(fields=fields)

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["errors"] = [{"row": r, "column": c, "message": str(m)} for r, c, m in self.errors]
        return body


class PermissionDenied(ServiceError):
    code = "permission_denied"
    status = 403
    message = _("You are not allowed to do this.")


class NotFound(ServiceError):
    code = "not_found"
    status = 404
    message = _("Not found.")
