"""The organizations app's refusals, each with a stable code and translated words."""

from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import NotFound, ServiceError, ValidationFailed


class RegistrationNotWaiting(ServiceError):
    code = "registration_not_waiting"
    status = 409
    message = _("This registration is not waiting for this step.")


class RegistrationNumberTaken(ValidationFailed):
    code = "registration_number_taken"
    message = _("An organization of this type is already registered with this number.")


class OrganizationNotApproved(ServiceError):
    code = "organization_not_approved"
    status = 409
    message = _("This organization is not approved yet.")


class InvitationNotFound(NotFound):
    """An invitation that is not the actor's to answer answers as one that does not exist."""

    code = "invitation_not_found"
    message = _("This invitation was not found.")


class InvitationNotWaiting(ServiceError):
    code = "invitation_not_waiting"
    status = 409
    message = _("This invitation was already answered.")


class LinkConsentRequired(ValidationFailed):
    code = "link_consent_required"
    message = _("Tick the box to agree that your good deeds count in this organization's figures.")


class AlreadyLinked(ServiceError):
    code = "already_linked"
    status = 409
    message = _("You are already linked to this organization.")


class DocumentRefused(ValidationFailed):
    code = "document_refused"
    message = _("The document could not be accepted.")
