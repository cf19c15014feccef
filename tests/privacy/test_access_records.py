"""Who looked at my data (issue 9, staff access audit): a read of one person's deed or record by
someone else is recorded, append-only, and shown to that person on their own page."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection

from kwamdee.common.models import AccessRecord
from kwamdee.deeds.services import deed_record
from tests.factories import PASSWORD, days_ago, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def deed(deed_types):
    person = make_person(name="ชบา ใจงาม")
    return deed_record(
        actor=person, deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1), description="เก็บกระเป๋าได้ ส่งคืนเจ้าของ",
    )  # fmt: skip


def test_a_verifier_opening_a_deed_is_shown_to_its_person(client, deed, verifier):
    client.login(username=deed.person.phone, password=PASSWORD)
    assert client.get(f"/deeds/{deed.public_id}/").status_code == 200
    assert not AccessRecord.objects.exists()  # one's own deed is not "someone else"
    client.logout()
    client.login(username=verifier.phone, password=PASSWORD)
    assert client.get(f"/deeds/{deed.public_id}/").status_code == 200
    record = AccessRecord.objects.get()
    assert record.viewer == verifier and record.person_ref == str(deed.person.public_id)
    assert record.what == "deed:view" and record.subject_id == str(deed.public_id)
    client.logout()
    client.login(username=deed.person.phone, password=PASSWORD)
    page = client.get("/privacy/my-data/").content.decode()
    section = page.split('data-section="access"')[1].split("</section>")[0]
    assert verifier.full_name in section and "เปิดดูความดีของคุณ" in section


def test_an_api_read_and_an_admin_look_are_recorded_too(client, deed, verifier):
    token = client.post(
        "/api/v1/auth/token", {"login": verifier.phone, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    answer = client.get(f"/api/v1/deeds/{deed.public_id}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200
    admin = get_user_model().objects.create_superuser(
        username="admin-access", password=PASSWORD, email="x@kwamdee.invalid", full_name="ผู้ดูแลระบบ"
    )
    client.force_login(admin)
    assert client.get(f"/admin/deeds/deed/{deed.pk}/change/").status_code == 200
    assert sorted(AccessRecord.objects.values_list("what", flat=True)) == ["admin:view", "deed:view"]


def test_access_records_cannot_be_changed(deed, verifier):
    from kwamdee.common.access import access_record

    access_record(viewer=verifier, person=deed.person, what="deed:view", subject_id=deed.public_id)
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE common_accessrecord SET what = 'nothing'")


def test_after_a_withdrawal_a_verifier_cannot_open_the_deed(client, deed, verifier):
    from kwamdee.people.services import consent_withdraw

    consent_withdraw(person=deed.person, purpose="membership", actor=deed.person)
    client.login(username=verifier.phone, password=PASSWORD)
    assert client.get(f"/deeds/{deed.public_id}/").status_code == 404
    assert not AccessRecord.objects.exists()
    client.logout()
    client.login(username=deed.person.phone, password=PASSWORD)
    assert client.get(f"/deeds/{deed.public_id}/").status_code == 200  # the person still sees it
