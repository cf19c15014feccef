"""Retention rules of common's own data (common/retention.py)."""

from datetime import datetime

from django.conf import settings

from kwamdee.common.idempotency import idempotency_records_prune
from kwamdee.common.retention import retention_rule


@retention_rule("idempotency_records")
def idempotency_records(now: datetime) -> int:
    return idempotency_records_prune(days=settings.RETENTION_DAYS["idempotency_records"])
