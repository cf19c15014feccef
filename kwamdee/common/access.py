"""Recording reads of one person's personal data by someone else (PDPA: the person can see who
looked at their record). Called where such a read happens: a deed's page or API answer opened by
a verifier, an admin page of a person or their deed."""

from typing import Any

from kwamdee.common.models import AccessRecord

DEED_VIEW = "deed:view"
ADMIN_VIEW = "admin:view"


def access_record(*, viewer: Any, person: Any, what: str, subject_id: object = "") -> None:
    """Records that `viewer` read `person`'s data; nothing when they are the same person."""
    if person is None or not getattr(viewer, "is_authenticated", False) or viewer.pk == person.pk:
        return
    AccessRecord.objects.create(
        viewer=viewer, person_ref=str(person.public_id), what=what, subject_id=str(subject_id)
    )
