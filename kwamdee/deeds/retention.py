"""How long the deeds app keeps free text of rejected deeds (common/retention.py)."""

from datetime import datetime, timedelta

from django.conf import settings

from kwamdee.common.retention import EXPIRED_TEXT, retention_rule
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.models import Deed


@retention_rule("rejected_deed_text")
def rejected_deed_text(now: datetime) -> int:
    """A rejected deed earns nothing: what the person wrote, and the verifier's reason, are kept
    long enough for an appeal and for the person to read, then blanked. The rest (type, date,
    status) stays for the statistics."""
    cutoff = now - timedelta(days=settings.RETENTION_DAYS["rejected_deed_text"])
    old = Deed.objects.filter(status=DeedStatus.REJECTED, decided_at__lt=cutoff).exclude(
        description=EXPIRED_TEXT
    )
    return old.update(description=EXPIRED_TEXT, rejection_reason=EXPIRED_TEXT)
