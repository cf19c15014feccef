"""Asking for a correction (PDPA §35): a person writes what is wrong from their own pages; staff
open the request from the queue and mark it done or refused with an answer the person reads on
My data. One audit event per change, never with what anyone wrote."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.common.erasure import ERASED_TEXT
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.models import AccessRecord, AuditEvent
from kwamdee.common.retention import EXPIRED_TEXT
from kwamdee.common.roles import Role, role_grant
from kwamdee.privacy.errors import RequestAlreadyAnswered, TooManyOpenRequests
from kwamdee.privacy.models import DataSubjectRequest
from kwamdee.privacy.retention import retention_apply
from kwamdee.privacy.services import (
    OPEN_CORRECTIONS_MAX,
    correction_request_create,
    data_request_answer,
    person_erase,
)
from tests.factories import PASSWORD, SYSTEM, make_person

pytestmark = pytest.mark.django_db
PAGE = "/privacy/my-data/correction/"
WRONG = "วันที่ของความดี “ปลูกต้นไม้” เมื่อ 3 มี.ค. ไม่ถูก"
RIGHT = "ที่ถูกคือ 2 มี.ค. 🌳"


@pytest.fixture
def staff():
    person = make_person(name="เจ้าหน้าที่ คุ้มครองข้อมูล")
    role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return person


def ask(person, what_is_wrong=WRONG, what_it_should_be=RIGHT):
    return correction_request_create(
        actor=person, person=person, what_is_wrong=what_is_wrong, what_it_should_be=what_it_should_be
    )


# --- the person's side ---------------------------------------------------------------------------


def test_my_data_and_my_account_lead_to_the_correction_form(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    for page in ("/privacy/my-data/", "/people/account/"):
        assert f'href="{PAGE}"' in client.get(page).content.decode(), page


def test_the_form_points_first_to_what_the_person_can_change_themselves(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    response = client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert page.index('href="/people/account/profile/"') < page.index('name="what_is_wrong"')
    assert '<form method="post" novalidate>' in page and 'name="what_it_should_be"' in page
    assert "ขอให้แก้ไขข้อมูล" in page  # in Thai


def test_a_request_is_recorded_open_for_30_days_and_shown_on_my_data(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    response = client.post(PAGE, {"what_is_wrong": WRONG, "what_it_should_be": RIGHT})
    assert response.status_code == 302 and response["Location"] == "/privacy/my-data/"
    request = DataSubjectRequest.objects.get()
    assert (request.person, request.kind, request.status) == (citizen, "correction", "open")
    assert request.what_is_wrong == WRONG and request.what_it_should_be == RIGHT
    assert timedelta(days=29) < request.due_at - timezone.now() <= timedelta(days=30)
    event = AuditEvent.objects.get(event_type="data_request:create")
    assert event.actor_id == citizen.pk and event.subject_id == str(citizen.public_id)
    assert event.data == {"request": str(request.public_id), "kind": "correction"}
    assert WRONG not in json.dumps(event.data, ensure_ascii=False)  # the audit log keeps no text
    page = client.get("/privacy/my-data/").content.decode()
    assert 'data-section="data_requests"' in page and "วันที่ของความดี" in page
    assert "รอดำเนินการ" in page  # open


def test_an_empty_form_comes_back_with_its_error_and_nothing_is_recorded(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.post(PAGE, {}).content.decode()
    assert "data-error-summary" in page and 'href="#id_what_is_wrong"' in page
    assert not DataSubjectRequest.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["แก้ชื่อ \u202eกลับด้าน", "\u200b\u200b", "ก" + "\u0e48" * 8, "a\x07b"],
    ids=["rlo", "zwsp", "zalgo", "bell"],
)
def test_bad_text_is_a_field_error(client, citizen, text):
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.post(PAGE, {"what_is_wrong": text}).content.decode()
    assert 'id="id_what_is_wrong_error"' in page and not DataSubjectRequest.objects.exists()
    with pytest.raises(ValidationFailed) as refused:
        ask(citizen, what_is_wrong="ok", what_it_should_be=text)
    assert list(refused.value.fields) == ["what_it_should_be"]


def test_thai_zero_width_spaces_and_emoji_are_kept_exactly(citizen):
    text = "ชื่อ\u200bหมู่บ้าน\u200bผิด ครอบครัว 👨\u200d👩\u200d👧\u200d👦 น้ำใจ"
    request = ask(citizen, what_is_wrong=text, what_it_should_be="1\ufe0f\u20e3")
    request.refresh_from_db()
    assert request.what_is_wrong.encode() == text.encode()
    assert request.what_it_should_be == "1\ufe0f\u20e3"


def test_only_a_few_corrections_wait_at_once(client, citizen):
    for n in range(OPEN_CORRECTIONS_MAX):
        ask(citizen, what_is_wrong=f"เรื่องที่ {n}")
    with pytest.raises(TooManyOpenRequests):
        ask(citizen)
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.post(PAGE, {"what_is_wrong": WRONG}).content.decode()
    assert "data-error-summary" in page
    assert DataSubjectRequest.objects.count() == OPEN_CORRECTIONS_MAX


def test_nobody_asks_for_someone_else(citizen):
    with pytest.raises(PermissionDenied):
        correction_request_create(actor=make_person(), person=citizen, what_is_wrong=WRONG)


def test_the_form_is_for_people_signed_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/people/login/" in response["Location"]


# --- staff's side --------------------------------------------------------------------------------


def test_staff_open_a_request_from_the_queue_and_the_read_is_recorded(client, citizen, staff):
    request = ask(citizen)
    client.login(username=staff.phone, password=PASSWORD)
    queue = client.get("/privacy/requests/").content.decode()
    assert f'href="/privacy/requests/{request.public_id}/"' in queue
    page = client.get(f"/privacy/requests/{request.public_id}/").content.decode()
    assert "วันที่ของความดี" in page and "2 มี.ค." in page and citizen.full_name in page
    assert 'name="outcome" value="done"' in page and 'name="outcome" value="refused"' in page
    record = AccessRecord.objects.get()
    assert record.viewer == staff and record.person_ref == str(citizen.public_id)
    assert record.what == "data_request:view"


def test_staff_mark_it_done_with_an_answer_the_person_reads(client, citizen, staff):
    request = ask(citizen)
    client.login(username=staff.phone, password=PASSWORD)
    answer = "แก้วันที่เป็น 2 มี.ค. แล้ว"
    response = client.post(f"/privacy/requests/{request.public_id}/", {"note": answer, "outcome": "done"})
    assert response.status_code == 302 and response["Location"] == "/privacy/requests/"
    request.refresh_from_db()
    assert (request.status, request.note) == ("done", answer) and request.done_at is not None
    event = AuditEvent.objects.get(event_type="data_request:done")
    assert event.actor_id == staff.pk and event.subject_id == str(citizen.public_id)
    assert event.data == {"request": str(request.public_id), "kind": "correction", "note_length": len(answer)}
    assert AuditEvent.objects.filter(event_type__startswith="data_request:").count() == 2  # asked, done
    client.logout()
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.get("/privacy/my-data/").content.decode()
    assert answer in page and "เสร็จแล้ว" in page


def test_staff_refuse_with_a_reason(citizen, staff):
    request = ask(citizen)
    data_request_answer(
        actor=staff, request_public_id=request.public_id, outcome="refused", note="ไม่พบความดีวันนั้น"
    )
    request.refresh_from_db()
    assert request.status == "refused" and request.note == "ไม่พบความดีวันนั้น"
    assert AuditEvent.objects.filter(event_type="data_request:refuse").count() == 1


def test_an_answer_needs_a_note_of_plain_text_and_a_known_outcome(client, citizen, staff):
    request = ask(citizen)
    client.login(username=staff.phone, password=PASSWORD)
    url = f"/privacy/requests/{request.public_id}/"
    for body in ({"outcome": "done"}, {"outcome": "done", "note": "ok\u202e"}):
        page = client.post(url, body).content.decode()
        assert 'id="id_note_error"' in page
    page = client.post(url, {"outcome": "maybe", "note": "ok"}).content.decode()
    assert "data-error-summary" in page
    request.refresh_from_db()
    assert request.status == "open" and request.note == ""
    assert not AuditEvent.objects.filter(event_type__in=["data_request:done", "data_request:refuse"]).exists()


def test_a_request_is_answered_once(citizen, staff):
    request = ask(citizen)
    data_request_answer(actor=staff, request_public_id=request.public_id, outcome="done", note="แก้แล้ว")
    with pytest.raises(RequestAlreadyAnswered):
        data_request_answer(actor=staff, request_public_id=request.public_id, outcome="refused", note="ไม่")
    request.refresh_from_db()
    assert request.status == "done" and request.note == "แก้แล้ว"


def test_staff_do_not_answer_their_own_request_and_others_not_at_all(client, citizen, staff):
    own = ask(staff)
    with pytest.raises(PermissionDenied):
        data_request_answer(actor=staff, request_public_id=own.public_id, outcome="done", note="แก้ให้ตัวเอง")
    client.login(username=staff.phone, password=PASSWORD)
    page = client.get(f"/privacy/requests/{own.public_id}/").content.decode()
    assert 'name="outcome"' not in page
    request = ask(citizen)
    with pytest.raises(PermissionDenied):
        data_request_answer(
            actor=make_person(), request_public_id=request.public_id, outcome="done", note="x"
        )
    client.logout()
    client.login(username=citizen.phone, password=PASSWORD)
    assert client.get(f"/privacy/requests/{request.public_id}/").status_code == 403


# --- download, erasure, retention ----------------------------------------------------------------


def test_the_download_holds_the_requests_and_their_answers(client, citizen, staff):
    request = ask(citizen)
    data_request_answer(actor=staff, request_public_id=request.public_id, outcome="done", note="แก้แล้ว")
    client.login(username=citizen.phone, password=PASSWORD)
    document = json.loads(client.post("/privacy/my-data/download/json/").content)
    [row] = document["sections"]["data_requests"]["rows"]
    assert row["what_is_wrong"] == WRONG and row["what_it_should_be"] == RIGHT and row["note"] == "แก้แล้ว"


def test_erasure_blanks_what_was_written_and_closes_what_waits(citizen, staff):
    answered = ask(citizen)
    data_request_answer(
        actor=staff, request_public_id=answered.public_id, outcome="refused", note=f"{citizen.full_name} ไม่"
    )
    waiting = ask(citizen, what_it_should_be="")
    person_erase(actor=citizen, person=citizen, password=PASSWORD)
    answered.refresh_from_db(), waiting.refresh_from_db()
    assert (answered.what_is_wrong, answered.what_it_should_be, answered.note) == (ERASED_TEXT,) * 3
    assert answered.status == "refused"
    assert (waiting.what_is_wrong, waiting.what_it_should_be, waiting.note) == (ERASED_TEXT, "", "")
    assert waiting.status == "done" and waiting.done_at is not None
    event = AuditEvent.objects.get(event_type="person:erase")
    assert event.data["erased"]["data_requests"] == 2


def test_retention_blanks_the_text_a_year_after_the_answer(citizen, staff, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "data_request_text": 30}
    old, recent = ask(citizen), ask(citizen)
    waiting = ask(citizen)
    for request in (old, recent):
        data_request_answer(actor=staff, request_public_id=request.public_id, outcome="done", note="แก้แล้ว")
    DataSubjectRequest.objects.filter(pk=old.pk).update(done_at=timezone.now() - timedelta(days=31))
    assert retention_apply()["data_request_text"] == 1
    old.refresh_from_db(), recent.refresh_from_db(), waiting.refresh_from_db()
    assert (old.what_is_wrong, old.what_it_should_be, old.note) == (EXPIRED_TEXT,) * 3
    assert old.status == "done" and old.kind == "correction"  # the record of the right stays
    assert recent.what_is_wrong == WRONG and waiting.what_is_wrong == WRONG
    assert retention_apply()["data_request_text"] == 0  # nothing twice
