"""Assisted recording: a person (often elderly, without a smartphone) gives a helper — a village
health volunteer (อสม.) or another community helper — a standing consent to record deeds on their
behalf. The person sees and revokes it at any time; a deed so recorded says "recorded by … on
behalf of …", and its helper may not decide it (deeds.selectors.deed_decision_refusal)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.deeds.errors import NoAssistConsent
from kwamdee.deeds.events import DeedsEvent
from kwamdee.deeds.models import AssistConsent
from kwamdee.people.selectors import consent_active, contact_confirmed, person_by_login
from kwamdee.people.services import person_lock

HELPER_FIELD = "helper"


def assist_consents_given(*, person: Any) -> QuerySet[AssistConsent]:
    """The person's consents to helpers, active first, then revoked ones (the record)."""
    return (
        AssistConsent.objects.filter(person=person)
        .select_related("helper")
        .order_by("revoked_at", "-given_at")
    )


def assist_people_of(*, helper: Any) -> list[Any]:
    """The people who let `helper` record deeds for them now."""
    rows = AssistConsent.objects.filter(helper=helper, revoked_at__isnull=True).select_related("person")
    return [row.person for row in rows if row.person.is_active]


def assist_person_for(*, helper: Any, person_public_id: Any, lock: bool = False) -> Any:
    """The person `helper` records for, if that person's consent is active; else refused. With
    `lock` (inside the recording's transaction, after the person's lock), the consent row is
    locked: a revocation either commits first, and this refuses, or waits for the deed."""
    try:
        consents = AssistConsent.objects.filter(
            helper=helper, person__public_id=person_public_id, revoked_at__isnull=True
        )
        consents = consents.select_related("person")
        if lock:  # one active consent per person and helper (a unique constraint)
            locked = rows_lock(consents, of=("self",))
            row = locked[0] if locked else None
        else:
            row = consents.first()
    except (ValueError, DjangoValidationError):
        row = None
    if row is None or not row.person.is_active:
        raise NoAssistConsent()
    return row.person


@transaction.atomic
def assist_consent_give(*, actor: Any, helper_login: str) -> AssistConsent:
    """The person lets a helper (named by phone or e-mail) record deeds on their behalf."""
    helper = person_by_login(helper_login or "")
    problem = None
    if helper is None or not helper.is_active or consent_active(person=helper) is None:
        problem = _("No member signs in with this phone number or e-mail. Your helper must be a member.")
    elif helper.pk == actor.pk:
        problem = _("Choose someone else as your helper.")
    elif not contact_confirmed(helper):
        problem = _("Your helper has not yet proved their phone number or e-mail.")
    elif AssistConsent.objects.filter(person=actor, helper=helper, revoked_at__isnull=True).exists():
        problem = _("This helper may already record deeds for you.")
    if problem or helper is None:
        raise ValidationFailed(fields={HELPER_FIELD: [problem]})
    try:
        with transaction.atomic():
            row = AssistConsent.objects.create(person=actor, helper=helper, given_at=timezone.now())
    except IntegrityError:  # the same consent given twice at once
        raise ValidationFailed(
            fields={HELPER_FIELD: [_("This helper may already record deeds for you.")]}
        ) from None
    audit_record(
        actor=actor, event=DeedsEvent.ASSIST_CONSENT_GIVE, subject_id=actor.public_id,
        data={"consent": row.pk, "helper": helper.pk},
    )  # fmt: skip
    return row


@transaction.atomic
def assist_consent_revoke(*, actor: Any, consent_id: Any) -> AssistConsent:
    """The person withdraws a helper's consent; deeds already recorded stay as they are. The
    person's row is locked first (common/locks.py), as a recording on their behalf locks it
    before the consent: the two queue instead of deadlocking."""
    if not getattr(actor, "pk", None):
        raise NotFound()
    person_lock(actor)
    try:
        locked = rows_lock(AssistConsent.objects.filter(pk=int(consent_id), person=actor))
    except (TypeError, ValueError):
        locked = []
    row = locked[0] if locked else None
    if row is None:
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor, event=DeedsEvent.ASSIST_CONSENT_REVOKE, subject_id=actor.public_id,
            data={"consent": row.pk, "helper": row.helper_id},
        )  # fmt: skip
    return row
