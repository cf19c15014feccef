"""Applying every app's retention rules (common/retention.py), once a day; and the privacy app's
own rule: what people and staff wrote in a request."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone

from kwamdee.common.actors import SystemActor
from kwamdee.common.audit import audit_record
from kwamdee.common.erasure import ERASED_TEXT
from kwamdee.common.retention import EXPIRED_TEXT, retention_rule, retention_rules
from kwamdee.privacy.choices import RequestStatus
from kwamdee.privacy.events import PrivacyEvent
from kwamdee.privacy.models import REQUEST_TEXT_FIELDS, DataSubjectRequest

RETENTION_ACTOR = SystemActor("retention")


@transaction.atomic
def retention_apply() -> dict[str, Any]:
    """Runs every rule now; one audit event with what each rule touched (counts, no data)."""
    now = timezone.now()
    counts = {key: rule(now) for key, rule in sorted(retention_rules().items())}
    audit_record(actor=RETENTION_ACTOR, event=PrivacyEvent.RETENTION_APPLY, data={"counts": counts})
    return counts


@retention_rule("data_request_text")
def data_request_text(now: datetime) -> int:
    """A request's text (what the person said is wrong, what it should be, staff's answer) is kept
    for a while after the answer, for a complaint about how it was handled, then blanked. The
    request stays (its kind, status and dates), as the record that the right was honoured."""
    cutoff = now - timedelta(days=settings.RETENTION_DAYS["data_request_text"])
    answered = DataSubjectRequest.objects.exclude(status=RequestStatus.OPEN).filter(done_at__lt=cutoff)
    gone = ["", EXPIRED_TEXT, ERASED_TEXT]  # nothing left of what anyone wrote
    text: TextField = TextField()
    expired = Value(EXPIRED_TEXT)
    still_written = Q()
    for field in REQUEST_TEXT_FIELDS:
        still_written |= ~Q(**{f"{field}__in": gone})
    blanks = {
        field: Case(When(**{f"{field}__in": gone}, then=F(field)), default=expired, output_field=text)
        for field in REQUEST_TEXT_FIELDS
    }
    return answered.filter(still_written).update(**blanks, updated_at=now)
