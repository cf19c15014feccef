from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See my data")
    CORRECTION = "correction", _("Correct my data")
    ERASURE = "erasure", _("Erase my data")


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("data request", "open")
    DONE = "done", pgettext_lazy("data request", "done")
    REFUSED = "refused", pgettext_lazy("data request", "refused")


class ErasureReason(models.TextChoices):
    """Why a person leaves, if they say: a fixed choice, never free text, so that the record of
    the request holds nothing the person wrote."""

    NOT_USED = "not_used", _("I no longer use Kwamdee")
    PRIVACY = "privacy", _("I do not want my data kept")
    OTHER = "other", _("Another reason")
