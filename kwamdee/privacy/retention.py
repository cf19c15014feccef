"""Applying every app's retention rules (common/retention.py), once a day."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from kwamdee.common.actors import SystemActor
from kwamdee.common.audit import audit_record
from kwamdee.common.retention import retention_rules
from kwamdee.privacy.events import PrivacyEvent

RETENTION_ACTOR = SystemActor("retention")


@transaction.atomic
def retention_apply() -> dict[str, Any]:
    """Runs every rule now; one audit event with what each rule touched (counts, no data)."""
    now = timezone.now()
    counts = {key: rule(now) for key, rule in sorted(retention_rules().items())}
    audit_record(actor=RETENTION_ACTOR, event=PrivacyEvent.RETENTION_APPLY, data={"counts": counts})
    return counts
