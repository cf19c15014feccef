"""Reads of appeals, and the rules of who may appeal and who may decide an appeal."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from kwamdee.appeals.choices import AppealStatus
from kwamdee.appeals.errors import AlreadyAppealed, AppealAlreadyDecided, AppealWindowClosed, NotRejected
from kwamdee.appeals.models import Appeal
from kwamdee.common.errors import ServiceError
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.errors import NotAppealable
from kwamdee.deeds.selectors import deed_appeal_decision_refusal, deed_visible_to, deeds_appeal_decidable_by


def _with_relations(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.select_related("deed__deed_type", "deed__person", "deed__decided_by", "person", "decided_by")


def appeal_of_deed(deed: Any) -> Appeal | None:
    return _with_relations(Appeal.objects.filter(deed_id=deed.pk)).first()


def appeal_deadline(deed: Any) -> Any:
    """Until when the rejection of `deed` may be appealed (APPEAL_WINDOW_DAYS after it)."""
    if deed.decided_at is None:
        return None
    return deed.decided_at + timedelta(days=settings.APPEAL_WINDOW_DAYS)


def appeal_create_refusal(person: Any, deed: Any) -> ServiceError | None:
    """Why `person` may not appeal the decision on their own `deed` now, or None: the deed must be
    rejected, the window open, and no appeal made before (one per deed)."""
    if Appeal.objects.filter(deed_id=deed.pk).exists():
        return AlreadyAppealed()
    if deed.status != DeedStatus.REJECTED:
        return NotRejected()
    deadline = appeal_deadline(deed)
    if deadline is None or timezone.now() > deadline:
        return AppealWindowClosed()
    return None


def appeal_decision_refusal(actor: Any, appeal: Appeal) -> ServiceError | None:
    """Who may decide an appeal: who may decide the deed, minus the verifier who rejected it
    (deeds.selectors.deed_appeal_decision_refusal, the one rule); an appeal decides once."""
    refusal = deed_appeal_decision_refusal(actor, appeal.deed)
    if appeal.status != AppealStatus.OPEN and (refusal is None or isinstance(refusal, NotAppealable)):
        return AppealAlreadyDecided()  # overturned, the deed is no longer rejected: said plainly
    return refusal


def appeal_decidable_by(actor: Any, appeal: Appeal) -> bool:
    return appeal_decision_refusal(actor, appeal) is None


def appeals_queue(*, verifier: Any) -> QuerySet[Appeal]:
    """Open appeals `verifier` may decide, oldest first (never of a deed they rejected)."""
    return _with_relations(
        Appeal.objects.filter(status=AppealStatus.OPEN, deed__in=deeds_appeal_decidable_by(verifier))
    ).order_by("created_at", "id")


def appeal_visible_to(*, viewer: Any, appeal_public_id: Any) -> Appeal | None:
    """An appeal its person may see, or anyone who may see its deed (deeds' rule)."""
    try:
        appeal = _with_relations(Appeal.objects.filter(public_id=appeal_public_id)).first()
    except (ValueError, ValidationError):
        return None
    if appeal is None:
        return None
    if appeal.person_id == viewer.pk or deed_visible_to(viewer=viewer, deed_public_id=appeal.deed.public_id):
        return appeal
    return None


def appeals_of_person(*, person: Any) -> QuerySet[Appeal]:
    return _with_relations(Appeal.objects.filter(person=person))
