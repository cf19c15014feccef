"""The organization's admins are told: its self-assessment scored (a link to the result), its
certificate to renew soon and its certificate run out (links to its assessments' page). Nobody
else is: not the assessor, not the organization's other officers."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from kwamdee.assessments.models import Certificate
from kwamdee.assessments.selectors import certificate_current
from kwamdee.assessments.tasks import certificates_daily
from kwamdee.notifications.choices import NotificationKind
from kwamdee.notifications.models import Notification
from kwamdee.notifications.texts import notification_text
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.services import membership_grant
from tests.assessments.helpers import SYSTEM, make_admin, make_assessor, make_organization
from tests.assessments.test_flow import _assessed
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_the_admins_are_told_of_the_result_the_reminder_and_the_expiry():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()
    verifier = make_person(name="ผู้ตรวจสอบ ในองค์กร")
    membership_grant(actor=SYSTEM, organization=organization, person=verifier, role=MembershipRole.VERIFIER)
    assessment = _assessed(organization, admin, assessor)

    scored = Notification.objects.get(kind=NotificationKind.ASSESSMENT_SCORED)
    assert scored.person == admin and scored.link == f"/assessments/{assessment.public_id}/"
    with translation.override("th"):
        title = notification_text(scored.kind, scored.params).title
    assert organization.name_th in title

    certificate = certificate_current(organization)
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=today + timedelta(days=30))
    certificates_daily.call()
    reminder = Notification.objects.get(kind=NotificationKind.CERTIFICATE_REMINDER)
    assert reminder.person == admin
    assert reminder.link == f"/assessments/organization/{organization.public_id}/"
    with translation.override("en"):
        text = notification_text(reminder.kind, reminder.params)
    assert "runs out on" in text.title and organization.name_th in text.title

    Certificate.objects.filter(pk=certificate.pk).update(
        valid_from=today - timedelta(days=3 * 365), valid_until=today - timedelta(days=1)
    )
    certificates_daily.call()
    assert Notification.objects.get(kind=NotificationKind.CERTIFICATE_EXPIRED).person == admin
    assert not Notification.objects.filter(person__in=[assessor, verifier]).exists()
