from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ValidationFailed

# The form field (and API field) that evidence errors are shown on.
EVIDENCE_FIELD = "evidence_files"


class EvidenceRefused(ValidationFailed):
    """A file that is not accepted: its type, its size, or too many files. The message names the
    file and says to choose the files again (a browser never sends a file back)."""

    code = "evidence_refused"
    message = _("A file could not be accepted.")


class EvidenceRequired(ValidationFailed):
    code = "evidence_required"
    message = _("This deed type needs a photo or a document.")
