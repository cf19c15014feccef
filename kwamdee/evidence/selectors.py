"""Reads about evidence. Who may see a file is the deeds app's rule (its serving view asks
`deed_visible_to`): these selectors answer what exists, not who may see it."""

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Subquery

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


def evidence_shared_with_other_deeds(deed_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """For each of these deeds, the other deeds that hold a file with exactly the same bytes, as
    (deed public id, person id), in one query (the fairness review flags a file used twice)."""
    hashes = EvidenceFile.objects.filter(deed_id__in=deed_ids).values("sha256")
    holders: dict[str, dict[int, tuple[str, int]]] = {}
    rows = EvidenceFile.objects.filter(sha256__in=Subquery(hashes)).values_list(
        "sha256", "deed_id", "deed__public_id", "deed__person_id"
    )
    for sha256, deed_id, deed_public_id, person_id in rows:
        holders.setdefault(sha256, {})[deed_id] = (str(deed_public_id), person_id)
    wanted = set(deed_ids)
    shared: dict[int, dict[int, tuple[str, int]]] = {}
    for deeds in holders.values():
        for deed_id in deeds:
            if deed_id in wanted:
                others = {k: v for k, v in deeds.items() if k != deed_id}
                shared.setdefault(deed_id, {}).update(others)
    return {deed_id: list(others.values()) for deed_id, others in shared.items() if others}


def evidence_open(evidence: EvidenceFile) -> IO[bytes]:
    """The stored bytes, opened for reading (FileNotFoundError when storage lost them)."""
    return evidence.file.storage.open(evidence.file.name or "", "rb")
