"""Notifications of rewards: the person whose code the counter confirmed (points spent) or whose
code expired (points back), and a partner's staff when it is approved or declined. Made from the
audit events in the deciding transaction, like every notification; rewards is never imported."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from kwamdee.areas.services import community_admin_grant
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.notifications.models import Notification
from kwamdee.notifications.texts import notification_text
from kwamdee.people.models import User
from kwamdee.rewards.errors import CodeExpired
from kwamdee.rewards.partners import (
    partner_decide,
    partner_register,
    partner_staff_add,
    partner_token_actor,
    partner_token_issue,
)
from kwamdee.rewards.redemptions import (
    redemption_cancel,
    redemption_confirm,
    redemption_create,
    redemption_expire,
)
from tests.factories import NONG_SARAI, PASSWORD, SYSTEM, make_community, make_person
from tests.people.factories import PersonFactory
from tests.rewards.factories import give, make_partner, make_privilege

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    settings.TASKS = IMMEDIATE


def _text(row):
    """The notification as an English reader sees it (the Thai words come from the .po file)."""
    with translation.override("en"):
        return notification_text(row.kind, row.params)


def _staff_of(partner):
    return User.objects.get(pk=partner.staff.order_by("pk").first().pk)


def _national_staff():
    person = make_person(name="เจ้าหน้าที่ ส่วนกลาง")
    with transaction.atomic():
        role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return User.objects.get(pk=person.pk)


@pytest.fixture
def shop():
    return make_partner()


@pytest.fixture
def redeemer():
    person = make_person(name="สมพร แลกสิทธิ์")
    give(person, points=100)
    return person


def test_a_code_confirmed_at_the_counter_tells_the_person_what_they_received_and_spent(
    shop, redeemer, client
):
    code = redemption_create(actor=redeemer, privilege=make_privilege(shop, cost=20), key="k").code
    assert not Notification.objects.filter(person=redeemer).exists()  # a code given tells nothing

    redemption = redemption_confirm(actor=_staff_of(shop), partner=shop, code=code)

    [row] = Notification.objects.filter(person=redeemer)
    assert row.kind == "redemption_confirmed" and row.event_type == "redemption:confirm"
    assert row.link == f"/redemptions/{redemption.public_id}/"
    assert row.params["points"] == 20 and row.params["privilege_th"] == "ส่วนลด 20 บาท"
    assert code not in str(row.params)  # never the code
    text = _text(row)
    assert text.title == "You received ‘20 baht off’; 20 points spent"
    assert "Nong Sarai community shop" in text.body
    # the staff member at the counter is told nothing
    assert not Notification.objects.filter(person=_staff_of(shop)).exists()
    # the person reads it on their notifications page
    client.login(username=redeemer.phone, password=PASSWORD)
    assert "ส่วนลด 20 บาท" in client.get("/notifications/").content.decode()


def test_a_code_confirmed_by_the_partners_own_system_tells_the_person_too(shop, redeemer):
    raw = partner_token_issue(actor=_staff_of(shop), partner=shop, label="ลิ้นชักเก็บเงิน")
    code = redemption_create(actor=redeemer, privilege=make_privilege(shop, cost=15), key="k").code

    redemption_confirm(actor=partner_token_actor(raw), partner=shop, code=code)

    [row] = Notification.objects.filter(person=redeemer)
    assert row.kind == "redemption_confirmed" and row.params["points"] == 15


def test_a_privilege_for_a_level_only_says_no_points_were_spent(shop, redeemer):
    privilege = make_privilege(shop, cost=0, min_level=1, title_th="รับบริการก่อน")
    code = redemption_create(actor=redeemer, privilege=privilege, key="k").code

    redemption_confirm(actor=_staff_of(shop), partner=shop, code=code)

    [row] = Notification.objects.filter(person=redeemer)
    with translation.override("en"):
        assert _text(row).title == "You received ‘20 baht off’"  # the English title of the privilege
    with translation.override("th"):
        assert "รับบริการก่อน" in notification_text(row.kind, row.params).title


def test_an_expired_code_tells_the_person_their_points_are_back(shop, redeemer):
    redemption = redemption_create(actor=redeemer, privilege=make_privilege(shop, cost=30), key="k")

    assert redemption_expire(redemption=redemption, now=redemption.expires_at + timedelta(minutes=1))

    [row] = Notification.objects.filter(person=redeemer)
    assert row.kind == "redemption_expired" and row.event_type == "redemption:expire"
    assert row.link == f"/redemptions/{redemption.public_id}/"
    text = _text(row)
    assert text.title == "Your code for ‘20 baht off’ expired; 30 points are back"
    assert "Nong Sarai community shop" in text.body


def test_a_code_found_past_its_time_at_the_counter_tells_the_person_it_expired(shop, redeemer):
    redemption = redemption_create(actor=redeemer, privilege=make_privilege(shop, cost=30), key="k")
    redemption.expires_at -= timedelta(hours=2)
    redemption.save(update_fields=["expires_at"])

    with pytest.raises(CodeExpired):
        redemption_confirm(actor=_staff_of(shop), partner=shop, code=redemption.code)

    assert list(Notification.objects.filter(person=redeemer).values_list("kind", flat=True)) == [
        "redemption_expired"
    ]


def test_a_cancel_by_the_person_tells_nobody(shop, redeemer):
    redemption = redemption_create(actor=redeemer, privilege=make_privilege(shop, cost=30), key="k")

    redemption_cancel(actor=redeemer, redemption=redemption)

    assert not Notification.objects.exists()


def test_the_notice_goes_by_e_mail_after_commit(shop, django_capture_on_commit_callbacks):
    mailer = PersonFactory(full_name="มาลี อีเมล", phone="", email="malee@example.org")
    give(mailer, points=50)
    code = redemption_create(actor=mailer, privilege=make_privilege(shop, cost=20), key="k").code

    with django_capture_on_commit_callbacks(execute=True):
        redemption_confirm(actor=_staff_of(shop), partner=shop, code=code)

    [message] = mail.outbox
    assert message.to == ["malee@example.org"] and "ส่วนลด 20 บาท" in message.subject
    assert Notification.objects.get(person=mailer).delivered_by == "email"


def test_an_approval_tells_every_staff_member_of_the_partner():
    # Given: a partner registered by its owner, with a colleague at the counter
    owner = make_person(name="เจ้าของ ร้าน")
    partner = partner_register(
        actor=owner, name_th="ร้านกาแฟริมคลอง", name_en="Canal-side Coffee", kind="shop",
        subdistrict_code=NONG_SARAI, contact_phone="0345550303",
    )  # fmt: skip
    staff = _national_staff()

    # When: national staff approve it with a note
    partner_decide(actor=staff, partner=partner, approve=True, note="ตรวจสถานที่แล้ว ร้านสะอาด")

    # Then: its staff member is told, with a link to the partner's page; the note stays there
    [row] = Notification.objects.all()
    assert row.person_id == owner.pk and row.kind == "partner_approved"
    assert row.link == f"/partners/{partner.public_id}/"
    assert "ตรวจสถานที่" not in str(row.params) and row.params["note"] is True
    text = _text(row)
    assert text.title == "Canal-side Coffee is approved as a partner"
    assert "read the note of those who approved it" in text.body
    # the audit event names the staff by internal id and the note by its length only
    event = AuditEvent.objects.get(event_type="partner:decide")
    assert event.data["staff"] == [owner.pk] and event.data["note_length"] == len("ตรวจสถานที่แล้ว ร้านสะอาด")
    assert "ตรวจสถานที่" not in str(event.data)


def test_a_decline_by_the_committee_tells_each_staff_member_where_to_read_why():
    community = make_community()
    committee = make_person(name="กรรมการ ชุมชน")
    community_admin_grant(actor=SYSTEM, community=community, person=committee)
    committee = User.objects.get(pk=committee.pk)
    owner, colleague = make_person(name="เจ้าของ ร้าน"), make_person(name="ลูกจ้าง ร้าน")
    partner = partner_register(
        actor=owner, name_th="ร้านกาแฟริมคลอง", name_en="Canal-side Coffee", kind="shop",
        subdistrict_code=NONG_SARAI, contact_phone="0345550303",
    )  # fmt: skip
    assert partner.community == community
    partner.staff.add(colleague)  # (a waiting partner cannot add staff itself: the counter is closed)

    partner_decide(actor=committee, partner=partner, approve=False, note="ยังไม่มีที่อยู่ร้าน")

    rows = Notification.objects.order_by("person_id")
    assert [(r.person_id, r.kind) for r in rows] == [
        (owner.pk, "partner_declined"), (colleague.pk, "partner_declined"),
    ]  # fmt: skip
    assert {r.link for r in rows} == {"/partners/"}
    text = _text(rows[0])
    assert text.title == "Canal-side Coffee was not approved as a partner"
    assert "register again" in text.body and "ยังไม่มีที่อยู่ร้าน" not in text.body


def test_a_decision_the_system_made_tells_nobody():
    partner = make_partner(approve=False)

    partner_decide(actor=SYSTEM, partner=partner, approve=True)

    assert not Notification.objects.exists()


def test_a_staff_member_added_later_is_not_told_of_the_old_decision(shop):
    newcomer = make_person(name="พนักงาน ใหม่")

    partner_staff_add(actor=_staff_of(shop), partner=shop, login=newcomer.phone)

    assert not Notification.objects.exists()
