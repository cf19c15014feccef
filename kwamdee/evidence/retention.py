"""How long the evidence app keeps the files of rejected deeds (common/retention.py)."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction

from kwamdee.common.retention import retention_rule
from kwamdee.evidence.models import EvidenceFile
from kwamdee.evidence.services import evidence_files_delete


@retention_rule("rejected_deed_evidence")
def rejected_deed_evidence(now: datetime) -> int:
    """A rejected deed earns nothing: its photos and documents are kept long enough for an appeal,
    then deleted (rows and files). Evidence of verified deeds stays with the deed."""
    cutoff = now - timedelta(days=settings.RETENTION_DAYS["rejected_deed_evidence"])
    old = EvidenceFile.objects.filter(deed__status="rejected", deed__decided_at__lt=cutoff)
    names = [name for name in old.values_list("file", flat=True) if name]
    count, _by_model = old.delete()
    transaction.on_commit(partial(evidence_files_delete, names))
    return count
