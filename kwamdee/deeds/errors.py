from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import PermissionDenied, ServiceError


class DeedAlreadyDecided(ServiceError):
    code = "deed_already_decided"
    status = 409
    message = _("This deed has already been decided.")


class OwnDeed(PermissionDenied):
    code = "own_deed"
    message = _("You cannot verify your own deed.")


class OutOfScope(PermissionDenied):
    code = "out_of_scope"
    message = _("This deed is outside your organization's area.")


class NoRuleInForce(ServiceError):
    code = "no_rule_in_force"
    status = 409
    message = _("No point rule of this deed type was in force on the deed's date.")


class LimitReached(ServiceError):
    code = "limit_reached"
    status = 409
    message = _("You have reached the limit for this deed type.")


class ConsentWithdrawn(ServiceError):
    code = "consent_withdrawn"
    status = 409
    message = _("The person has withdrawn their consent; their deeds wait until they give it again.")


class CommitteeVerifies(PermissionDenied):
    code = "committee_verifies"
    message = _("This kind of deed is verified by the community's committee.")
