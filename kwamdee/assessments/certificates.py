"""The certificates' renewal reminders and expiry (run daily by tasks.certificates_daily): each
certificate is its own transaction with its own audit event. Issuing one is part of scoring
(services.assessment_score)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kwamdee.assessments.choices import CertificateStatus
from kwamdee.assessments.events import AssessmentsEvent
from kwamdee.assessments.models import Certificate
from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record


def certificates_remind_due(*, actor: Actor, today: date | None = None) -> int:
    """Marks, and records (`certificate:remind`, which notifications can subscribe to), every
    valid certificate within its template's reminder days of expiry, once each. Each certificate
    is its own transaction."""
    day = today or timezone.localdate()
    reminded = 0
    candidates = Certificate.objects.filter(
        status=CertificateStatus.ACTIVE, reminded_at=None, valid_until__lte=day + timedelta(days=366)
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update()
                .select_related("assessment__template", "organization")
                .filter(pk=pk, status=CertificateStatus.ACTIVE, reminded_at=None)
                .first()
            )
            if certificate is None:
                continue
            days_left = (certificate.valid_until - day).days
            if days_left > certificate.assessment.template.reminder_days or days_left < 0:
                continue
            certificate.reminded_at = timezone.now()
            certificate.save(update_fields=["reminded_at", "updated_at"])
            audit_record(
                actor=actor, event=AssessmentsEvent.CERTIFICATE_REMIND, subject_id=certificate.public_id,
                data={
                    "organization": str(certificate.organization.public_id),
                    "valid_until": certificate.valid_until.isoformat(), "days_left": days_left,
                },
            )  # fmt: skip
            reminded += 1
    return reminded


def certificates_expire_due(*, actor: Actor, today: date | None = None) -> int:
    """Ends every valid certificate whose last day has passed (`certificate:expire`)."""
    day = today or timezone.localdate()
    expired = 0
    due = Certificate.objects.filter(status=CertificateStatus.ACTIVE, valid_until__lt=day).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update()
                .select_related("organization")
                .filter(pk=pk, status=CertificateStatus.ACTIVE)
                .first()
            )
            if certificate is None:
                continue
            certificate.status = CertificateStatus.EXPIRED
            certificate.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor, event=AssessmentsEvent.CERTIFICATE_EXPIRE, subject_id=certificate.public_id,
                data={
                    "organization": str(certificate.organization.public_id),
                    "valid_until": certificate.valid_until.isoformat(),
                },
            )  # fmt: skip
            expired += 1
    return expired
