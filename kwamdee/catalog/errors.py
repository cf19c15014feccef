from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError, ValidationFailed


class CatalogInvalid(ValidationFailed):
    code = "catalog_invalid"
    message = _("The catalog data is not valid.")


class CatalogImportInvalid(ValidationFailed):
    """Carries every error of the file as (row, column, message); nothing was imported."""

    code = "catalog_import_invalid"
    message = _("The file has errors; nothing was imported.")

    def __init__(self, errors: list[tuple[int | str, str, str]]):
        self.errors = errors
        fields: dict[str, list] = {}
        for row, column, text in errors:
            fields.setdefault(f"row {row}: {column}", []).append(text)
        super().__init__(fields=fields)

    def as_dict(self):
        body = super().as_dict()
        body["errors"] = [{"row": r, "column": c, "message": str(m)} for r, c, m in self.errors]
        return body


class DeedTypeCodeTaken(ServiceError):
    code = "deed_type_code_taken"
    status = 409
    message = _("A deed type with this code already exists.")


class AdjustmentOutOfBounds(ValidationFailed):
    code = "adjustment_out_of_bounds"
    message = _("The adjustment is outside the bounds set by national staff.")


class SponsorshipInvalid(ValidationFailed):
    code = "sponsorship_invalid"
    message = _("The pledge is not valid.")


class LocalRuleOutOfBounds(ValidationFailed):
    code = "local_rule_out_of_bounds"
    message = _("A community's own deed type must stay within the national bounds.")


class ProposalWaiting(ServiceError):
    code = "proposal_waiting"
    status = 409
    message = _("A change of points or limits is already waiting for a second approval.")


class ProposalNotApprovable(ServiceError):
    code = "proposal_not_approvable"
    status = 403
    message = _("A proposal needs a second approver: another admin of the community, or national staff.")
