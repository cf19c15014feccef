"""The verifier's desk on the web: tick deeds on the queue, verify them at once."""

import uuid

import pytest
from django.conf import settings

from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import MAX_BULK_VERIFY, deed_record
from kwamdee.ledger.models import LedgerTransaction
from tests.factories import BANGKOK_SUBDISTRICT, PASSWORD, days_ago, make_person

URL = "/deeds/queue/verify/"


def record(person, deed_type):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="เก็บกระเป๋าสตางค์ได้ ส่งคืนเจ้าของ",
    )  # fmt: skip


@pytest.fixture
def deeds(deed_types):
    """Two deeds in the verifier's subdistrict and one of a person in Bangkok (out of scope)."""
    kind = deed_types["returning-lost-property"]
    near = [record(make_person(name=name), kind) for name in ("มานี ใจงาม", "ปิติ ชูใจ")]
    far = record(make_person(name="คนกรุง ไกลบ้าน", subdistrict=BANGKOK_SUBDISTRICT), kind)
    return near, far


@pytest.fixture
def verifier_client(client, verifier):
    assert client.login(username=verifier.phone, password=PASSWORD)
    return client


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def statuses(*deeds):
    return [Deed.objects.get(pk=d.pk).status for d in deeds]


def changes():
    """What a verification writes: ledger transactions and audit events."""
    return LedgerTransaction.objects.count(), AuditEvent.objects.count()


def test_queue_offers_a_tick_box_per_deed_and_a_fresh_key(verifier_client, deeds):
    near, far = deeds
    page = english(verifier_client).get("/deeds/queue/").content.decode()
    assert page.count('name="deeds"') == 2  # the Bangkok deed is not in this verifier's queue
    assert all(f'value="{d.public_id}"' in page for d in near) and str(far.public_id) not in page
    assert f'action="{URL}"' in page and "Verify the selected deeds" in page
    assert "Select all on this page" in page and "checked>" not in page
    again = verifier_client.get("/deeds/queue/").content.decode()
    key = page.split('name="idempotency_key" value="')[1][:32]
    assert len(key) == 32 and key not in again  # each showing of the page has its own key

    ticked = verifier_client.get("/deeds/queue/", {"select": "all"}).content.decode()
    assert ticked.count(" checked>") == 2 and "Clear all ticks" in ticked


def test_queue_page_is_thai_by_default(verifier_client, deeds):
    page = verifier_client.get("/deeds/queue/").content.decode()
    assert "รับรองความดีที่เลือก" in page and "เลือกทั้งหมดในหน้านี้" in page


def test_verifier_verifies_two_and_the_out_of_scope_one_is_refused_unchanged(verifier_client, deeds):
    near, far = deeds
    key = uuid.uuid4().hex
    body = {"deeds": [str(d.public_id) for d in [*near, far]], "idempotency_key": key}

    response = english(verifier_client).post(URL, body, follow=True)

    assert response.redirect_chain == [("/deeds/queue/", 302)]
    assert statuses(*near) == ["verified", "verified"]
    assert statuses(far) == ["pending"]
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0] == "Verified 2 deeds."
    assert len(shown) == 2
    assert str(far.public_id)[:8] in shown[1]
    assert "Not found." in shown[1]  # as a deed that does not exist: nothing says it does
    assert "คนกรุง" not in shown[1]  # nothing about a person outside the verifier's area
    assert "Nothing is waiting" in response.content.decode()

    # A double click or the browser sending the form again: the first answer, nothing more.
    before = changes()
    again = verifier_client.post(URL, body, follow=True)
    assert changes() == before
    assert [str(m) for m in again.context["messages"]] == shown
    assert statuses(far) == ["pending"]


def test_a_refused_deed_the_verifier_may_see_is_named(verifier_client, deeds, verifier):
    near, _far = deeds
    verifier_client.post(URL, {"deeds": [str(near[0].public_id)]}, follow=True)  # its messages read
    response = english(verifier_client).post(URL, {"deeds": [str(d.public_id) for d in near]}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0] == "Verified 1 deed."
    assert "Returning lost property · มานี ใจงาม" in shown[1]
    assert "This deed has already been decided." in shown[1]


def test_thai_summary(verifier_client, deeds):
    near, _far = deeds
    response = verifier_client.post(URL, {"deeds": [str(d.public_id) for d in near]}, follow=True)
    assert "รับรองความดีแล้ว 2 รายการ" in response.content.decode()


def test_the_same_key_with_other_deeds_changes_nothing(verifier_client, deeds):
    near, _far = deeds
    key = uuid.uuid4().hex
    verifier_client.post(URL, {"deeds": [str(near[0].public_id)], "idempotency_key": key}, follow=True)
    before = changes()
    response = english(verifier_client).post(
        URL, {"deeds": [str(near[1].public_id)], "idempotency_key": key}, follow=True
    )
    assert changes() == before
    assert statuses(near[1]) == ["pending"]
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [
        (
            "error",
            "This page was already sent with other deeds, so nothing more was changed. Tick them again.",
        )
    ]


def test_nothing_ticked_is_a_clear_error_and_changes_nothing(verifier_client, deeds):
    near, far = deeds
    before = changes()
    response = english(verifier_client).post(URL, {"idempotency_key": uuid.uuid4().hex}, follow=True)
    assert changes() == before
    assert statuses(*near, far) == ["pending"] * 3
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [("error", "Tick at least one deed first, then press the button.")]


def test_more_than_the_most_is_refused_with_the_services_words(verifier_client, deeds):
    near, _far = deeds
    ids = [str(near[0].public_id)] + [str(uuid.uuid4()) for _ in range(MAX_BULK_VERIFY)]
    before = changes()
    response = english(verifier_client).post(URL, {"deeds": ids}, follow=True)
    assert changes() == before
    assert [str(m) for m in response.context["messages"]] == ["Choose between 1 and 200 deeds."]
    assert statuses(near[0]) == ["pending"]


def test_ids_that_are_not_deed_ids(verifier_client, deeds):
    response = english(verifier_client).post(URL, {"deeds": ["not-a-uuid"]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["These are not deed ids."]


def test_the_page_is_kept_after_verifying(verifier_client, deeds):
    near, _far = deeds
    response = verifier_client.post(URL, {"deeds": [str(near[0].public_id)], "page": "3"})
    assert response.status_code == 302 and response["Location"] == "/deeds/queue/?page=3"


def test_a_citizen_gets_403_and_changes_nothing(client, deeds):
    near, _far = deeds
    citizen = make_person(name="ชาวบ้าน ทั่วไป")
    assert client.login(username=citizen.phone, password=PASSWORD)
    response = client.post(URL, {"deeds": [str(near[0].public_id)]})
    assert response.status_code == 403
    assert statuses(near[0]) == ["pending"]


def test_anonymous_is_sent_to_sign_in(client, deeds):
    near, _far = deeds
    response = client.post(URL, {"deeds": [str(near[0].public_id)]})
    assert response.status_code == 302 and response["Location"].startswith("/people/login/")
    assert statuses(near[0]) == ["pending"]


def test_only_post(verifier_client):
    assert verifier_client.get(URL).status_code == 405


def test_select_all_ticks_only_this_page(verifier_client, deeds, monkeypatch):
    from kwamdee.deeds import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 1)
    near, _far = deeds
    first = english(verifier_client).get("/deeds/queue/").content.decode()
    assert first.count('name="deeds"') == 1 and str(near[0].public_id) in first
    assert "Next page" in first and "Page 1 of 2" in first
    second = verifier_client.get("/deeds/queue/", {"page": "2", "select": "all"}).content.decode()
    assert second.count(" checked>") == 1 and str(near[1].public_id) in second
    assert 'name="page" value="2"' in second and "Previous page" in second
