"""Reads about evidence. Who may see a file is the deeds app's rule (its serving view asks
`deed_visible_to`): these selectors answer what exists, not who may see it."""

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from kwamdee.evidence.models import EvidenceFile


def evidence_of_deed(deed: Any) -> list[EvidenceFile]:
    return list(EvidenceFile.objects.filter(deed=deed))


def evidence_of_deeds(deed_ids: list[int]) -> dict[int, list[EvidenceFile]]:
    """The files of many deeds in one query (the verifier's queue), by deed primary key."""
    found: dict[int, list[EvidenceFile]] = {}
    for evidence in EvidenceFile.objects.filter(deed_id__in=deed_ids):
        found.setdefault(evidence.deed_id, []).append(evidence)
    return found


def evidence_get(public_id: Any) -> EvidenceFile | None:
    try:
        return EvidenceFile.objects.select_related("deed").filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def evidence_uploaded_by(person: Any) -> QuerySet[EvidenceFile]:
    """Files of the person's own deeds (what erasure removes, what "my data" lists)."""
    return EvidenceFile.objects.filter(deed__person=person)


def evidence_same_hash(sha256: str) -> QuerySet[EvidenceFile]:
    """Every file with these bytes (the fairness review flags a file used twice)."""
    return EvidenceFile.objects.filter(sha256=sha256)


def evidence_open(evidence: EvidenceFile) -> IO[bytes]:
    """The stored bytes, opened for reading (FileNotFoundError when storage lost them)."""
    return evidence.file.storage.open(evidence.file.name or "", "rb")
