"""Recording reads of one person's personal data by someone else (PDPA: the person can see who
looked at their record). Called where such a read happens: a deed's page or API answer opened by
a verifier, an admin page of a person or their deed."""

from typing import Any

from kwamdee.common.models import AccessRecord

DEED_VIEW = "deed:view"
EVIDENCE_VIEW = "evidence:view"  # a photo or document of a deed, opened by its verifier
ADMIN_VIEW = "admin:view"
DATA_REQUEST_VIEW = "data_request:view"  # staff opened the person's request about their data
NATIONAL_ID_CONFIRM = "national_id:confirm"


def access_record(*, viewer: Any, person: Any, what: str, subject_id: object = "") -> None:
    """Records that `viewer` read `person`'s data; nothing when they are the same person, or when
    the system itself (a SystemActor, no account) did the reading."""
    if person is None or getattr(viewer, "pk", None) is None or viewer.pk == person.pk:
        return
    AccessRecord.objects.create(
        viewer=viewer, person_ref=str(person.public_id), what=what, subject_id=str(subject_id)
    )
