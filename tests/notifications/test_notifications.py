"""Notifications: made from the audit events of decisions, in the deciding transaction; sent by
e-mail or SMS by a background task after commit; read, counted, erased and expired."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from kwamdee.common.audit import audit_record
from kwamdee.common.event_hooks import event_subscribe, event_subscribers
from kwamdee.common.events import EventType
from kwamdee.deeds.services import deed_reject, deed_verify, deeds_verify_bulk
from kwamdee.notifications.models import Notification, NotificationPreference
from kwamdee.notifications.retention import read_notifications
from kwamdee.notifications.selectors import unread_count
from kwamdee.notifications.services import notifications_deliver
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.services import consent_withdraw
from kwamdee.privacy.services import person_erase
from tests.deeds.test_services import record
from tests.factories import PASSWORD, days_ago, make_person
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    settings.TASKS = IMMEDIATE


def deliveries(callbacks):
    """The after-commit callbacks that queue the delivery task (others: the rules cache)."""
    return [c for c in callbacks if "notifications_deliver" in repr(c)]


@pytest.fixture
def mailer(db):
    """A person who signs in with a confirmed e-mail address."""
    return PersonFactory(full_name="มาลี อีเมล", phone="", email="malee@example.org")


def test_verify_makes_one_notification_and_sends_after_commit(deed_types, mailer, verifier,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    deed = record(mailer, deed_types["tree-planting"], quantity=2)
    with django_capture_on_commit_callbacks() as callbacks:
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
        assert mail.outbox == []  # nothing leaves before the commit
    [row] = Notification.objects.filter(person=mailer)
    assert row.kind == "deed_verified" and row.read_at is None and row.link == f"/deeds/{deed.public_id}/"
    assert len(deliveries(callbacks)) == 1 and mail.outbox == []
    deliveries(callbacks)[0]()  # the commit: the delivery task runs
    [message] = mail.outbox
    assert message.to == ["malee@example.org"]
    assert "ได้รับการรับรองแล้ว" in message.subject and "ความดี tree-planting" in message.subject
    row.refresh_from_db()
    assert row.delivered_at is not None and row.delivered_by == "email"
    notifications_deliver([row.pk])  # a retried task sends nothing twice
    assert len(mail.outbox) == 1


def test_a_rolled_back_verification_tells_nobody(
    deed_types, mailer, verifier, django_capture_on_commit_callbacks
):
    deed = record(mailer, deed_types["tree-planting"], quantity=2)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            deed_verify(actor=verifier, deed_public_id=deed.public_id)
            raise RuntimeError("something after the verification failed")
    assert not Notification.objects.exists()
    assert deliveries(callbacks) == [] and mail.outbox == []


def test_bulk_verification_makes_one_notification_per_deed(deed_types, citizen, verifier,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    others = [make_person(name=f"คนที่ {n}") for n in (1, 2)]
    deeds = [
        record(p, deed_types["returning-lost-property"], performed_on=days_ago(1)) for p in (citizen, *others)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcomes = deeds_verify_bulk(actor=verifier, deed_public_ids=[str(d.public_id) for d in deeds])
    assert all(o.verified for o in outcomes)
    rows = Notification.objects.all()
    assert sorted(r.person_id for r in rows) == sorted(p.pk for p in (citizen, *others))
    assert {r.kind for r in rows} == {"deed_verified"}
    assert len(deliveries(callbacks)) == 1  # one delivery task for the whole batch
    assert all(r.delivered_at is not None for r in Notification.objects.all())


def test_reject_tells_the_reason(deed_types, citizen, verifier, client):
    deed = record(citizen, deed_types["tree-planting"], quantity=2)
    deed_reject(
        actor=verifier,
        deed_public_id=deed.public_id,
        reason_code="not_enough_evidence",
        reason="ไม่มีรูปถ่ายต้นไม้",
    )
    [row] = Notification.objects.filter(person=citizen)
    assert row.kind == "deed_rejected" and row.params["reason"] == "ไม่มีรูปถ่ายต้นไม้"
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.get("/notifications/").content.decode()
    assert "ยังไม่ได้รับการรับรอง" in page and "ไม่มีรูปถ่ายต้นไม้" in page


def test_email_only_with_a_confirmed_address_and_the_choice_on(deed_types, mailer, citizen, verifier,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    NotificationPreference.objects.create(person=mailer, email=False)
    unconfirmed = PersonFactory(full_name="ยังไม่ยืนยัน", phone="", email="new@example.org")
    deeds = [record(p, deed_types["returning-lost-property"]) for p in (mailer, unconfirmed, citizen)]
    with django_capture_on_commit_callbacks(execute=True):
        deeds_verify_bulk(actor=verifier, deed_public_ids=[str(d.public_id) for d in deeds])
        # a new e-mail, not yet proved, by the time the messages go out (an unproved person's
        # deeds are not verified at all: tests/deeds/test_second_approval.py)
        unconfirmed.contact_confirmed_at = None
        unconfirmed.save(update_fields=["contact_confirmed_at"])
    assert Notification.objects.count() == 3  # the in-app list always
    assert mail.outbox == []  # the choice off, an unproved address, a phone with SMS off by default


def test_sms_when_chosen(deed_types, citizen, verifier, settings, django_capture_on_commit_callbacks):
    from kwamdee.people import messaging

    settings.KWAMDEE_MESSAGE_BACKENDS = {"sms": "kwamdee.people.messaging.MemoryBackend"}
    messaging.outbox.clear()
    NotificationPreference.objects.create(person=citizen, email=True, sms=True)
    deed = record(citizen, deed_types["returning-lost-property"])
    with django_capture_on_commit_callbacks(execute=True):
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    [sms] = messaging.outbox
    assert sms.channel == "sms" and sms.to == citizen.phone and "ได้รับการรับรองแล้ว" in sms.body


def test_nothing_is_sent_after_consent_is_withdrawn(
    deed_types, mailer, verifier, django_capture_on_commit_callbacks
):
    deed = record(mailer, deed_types["tree-planting"], quantity=2)
    with django_capture_on_commit_callbacks() as callbacks:
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    consent_withdraw(person=mailer, purpose=ConsentPurpose.MEMBERSHIP, actor=mailer)
    for callback in deliveries(callbacks):
        callback()
    assert mail.outbox == []
    row = Notification.objects.get(person=mailer)
    assert row.delivered_at is not None and row.delivered_by == ""


def test_the_header_counts_unread_and_reading_clears_it(deed_types, citizen, verifier, client):
    deeds = [
        record(citizen, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in (1, 2, 3)
    ]
    deeds_verify_bulk(actor=verifier, deed_public_ids=[str(d.public_id) for d in deeds])
    client.login(username=citizen.phone, password=PASSWORD)
    home = client.get("/").content.decode()
    assert "การแจ้งเตือน 3 รายการที่ยังไม่ได้อ่าน" in home
    first = Notification.objects.filter(person=citizen).first()
    response = client.post(f"/notifications/{first.public_id}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == first.link
    assert unread_count(person=citizen) == 2
    assert "การแจ้งเตือน 2 รายการที่ยังไม่ได้อ่าน" in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert unread_count(person=citizen) == 0
    page = client.get("/").content.decode()
    assert "รายการที่ยังไม่ได้อ่าน" not in page and 'data-testid="notifications-bell"' in page


def test_the_count_is_one_query_and_only_for_people_signed_in(client, citizen, django_assert_num_queries):
    from django.test import RequestFactory

    from kwamdee.site.navigation import navigation

    request = RequestFactory().get("/")
    request.user = citizen
    count = navigation(request)["notifications_unread"]
    with django_assert_num_queries(1):
        assert count() == 0
    assert 'data-testid="notifications-bell"' not in client.get("/").content.decode()


def test_another_persons_notification_is_not_found(deed_types, citizen, verifier, client):
    deed = record(citizen, deed_types["returning-lost-property"])
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    row = Notification.objects.get(person=citizen)
    other = make_person(name="คนอื่น")
    client.login(username=other.phone, password=PASSWORD)
    assert client.post(f"/notifications/{row.public_id}/read/").status_code == 404
    assert client.post(f"/notifications/{uuid.uuid4()}/read/").status_code == 404
    assert str(row.public_id) not in client.get("/notifications/").content.decode()
    row.refresh_from_db()
    assert row.read_at is None


def test_erasure_removes_them(deed_types, citizen, verifier):
    deed = record(citizen, deed_types["returning-lost-property"])
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    NotificationPreference.objects.create(person=citizen, email=False)
    person_erase(actor=citizen, person=citizen, password=PASSWORD)
    assert not Notification.objects.filter(person=citizen).exists()
    assert not NotificationPreference.objects.filter(person=citizen).exists()


def test_read_notifications_expire_unread_stay(deed_types, citizen, verifier):
    deeds = [
        record(citizen, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in (1, 2, 3)
    ]
    deeds_verify_bulk(actor=verifier, deed_public_ids=[str(d.public_id) for d in deeds])
    old, recent, unread = Notification.objects.order_by("id")
    now = timezone.now()
    Notification.objects.filter(pk=old.pk).update(read_at=now - timedelta(days=181))
    Notification.objects.filter(pk=recent.pk).update(read_at=now - timedelta(days=10))
    assert read_notifications(now) == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {recent.pk, unread.pk}


class _SiblingEvent(EventType):  # what the appeals app writes; notifications import none of it
    UPHOLD = "appeal:uphold"
    OVERTURN = "appeal:overturn"


def test_a_siblings_events_are_covered_by_their_names(deed_types, citizen, verifier):
    deed = record(citizen, deed_types["tree-planting"], quantity=2)
    deed_reject(actor=verifier, deed_public_id=deed.public_id, reason_code="other", reason="ไม่มีรูป")
    with transaction.atomic():
        audit_record(actor=verifier, event=_SiblingEvent.OVERTURN, subject_id=uuid.uuid4(),
                     data={"deed": str(deed.public_id)})  # fmt: skip
    row = Notification.objects.filter(person=citizen).first()
    assert row.kind == "appeal_overturned" and row.link == f"/deeds/{deed.public_id}/"


def test_a_failing_subscriber_never_blocks_the_decision(deed_types, citizen, verifier):
    def broken(events):
        raise ValueError("a bug in a subscriber")

    event_subscribe("deed:verify")(broken)
    try:
        deed = record(citizen, deed_types["returning-lost-property"])
        verified = deed_verify(actor=verifier, deed_public_id=deed.public_id)
    finally:
        from kwamdee.common import event_hooks

        event_hooks._SUBSCRIBERS["deed:verify"].remove(broken)
    assert verified.status == "verified"
    assert Notification.objects.filter(person=citizen).count() == 1
    assert broken not in event_subscribers("deed:verify")


def test_a_subscriber_without_a_savepoint_that_fails_in_python_never_blocks_the_decision(
    deed_types, citizen, verifier
):
    # given a subscriber that promised one INSERT built in Python (savepoint=False) and fails first
    def broken(events):
        raise ValueError("a bug before the INSERT")

    event_subscribe("deed:verify", savepoint=False)(broken)
    try:
        deed = record(citizen, deed_types["returning-lost-property"])
        verified = deed_verify(actor=verifier, deed_public_id=deed.public_id)
    finally:
        from kwamdee.common import event_hooks

        event_hooks._SUBSCRIBERS["deed:verify"].remove(broken)
        event_hooks._WITHOUT_SAVEPOINT.discard(broken)
    # then the error is logged, the deed is verified, and the person is told as ever
    assert verified.status == "verified"
    assert Notification.objects.filter(person=citizen, kind="deed_verified").count() == 1


def test_a_verifications_notification_is_built_from_the_deed_in_hand(
    deed_types, citizen, verifier, django_assert_num_queries
):
    from kwamdee.common.models import AuditEvent
    from kwamdee.notifications.services import notifications_from_events

    deed = record(citizen, deed_types["returning-lost-property"])
    event = AuditEvent(
        event_type="deed:verify", subject_id=str(deed.public_id), data={"credit": 20, "points": 20}
    )
    event.subject_in_hand = deed  # as audit_records(subjects=…) hands it over
    with transaction.atomic(), django_assert_num_queries(1):  # the INSERT: no read, no savepoint
        [row] = notifications_from_events([event])
    assert (row.person_id, row.params["credit"]) == (citizen.pk, 20)
    assert row.link == f"/deeds/{deed.public_id}/"


def test_preferences_page_saves_the_choice(client, mailer):
    client.login(username=mailer.email, password=PASSWORD)
    page = client.get("/notifications/settings/").content.decode()
    assert "malee@example.org" in page and "checked" in page  # e-mail on by default
    response = client.post("/notifications/settings/", {"sms": "on"})
    assert response.status_code == 302
    row = NotificationPreference.objects.get(person=mailer)
    assert row.email is False and row.sms is True


def test_seed_demo_notifies_the_demo_citizen_through_the_real_path():
    from django.core.management import call_command

    from kwamdee.people.models import User

    call_command("seed_demo", verbosity=0, two_factor=False)
    citizen = User.objects.get(phone="0810000002")
    rows = list(Notification.objects.filter(person=citizen))
    assert len(rows) >= 2 and {r.kind for r in rows} >= {"deed_verified"}
    assert unread_count(person=citizen) == len(rows) - 1  # the oldest is read
    call_command("seed_demo", verbosity=0, two_factor=False)  # idempotent
    assert Notification.objects.filter(person=citizen).count() == len(rows)
