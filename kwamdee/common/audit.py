"""Writing audit events. Call inside the service's transaction, once per state change."""

from typing import Any

from django.db import transaction

from kwamdee.common.models import AuditEvent


def audit_record(*, actor: Any, event_type: str, subject_id: object = "", data: dict | None = None):
    """Records `event_type` (`subject:action`) by `actor` (a user or None for the system)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        event_type=event_type,
        subject_id=str(subject_id),
        data=data or {},
    )
