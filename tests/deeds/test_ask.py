"""Ask for more information (the third decision), and rejection with a reason from the list."""

import pytest

from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.errors import DeedAlreadyDecided, NotAwaitingAnswer
from kwamdee.deeds.models import Deed, DeedQuestion
from kwamdee.deeds.selectors import verification_queue
from kwamdee.deeds.services import deed_answer, deed_ask, deed_record, deed_reject, deed_verify
from tests.factories import BANGKOK_SUBDISTRICT, days_ago, make_person, make_verifier

QUESTION = "ช่วยบอกชื่อผู้ที่เห็นคุณช่วยงานด้วยครับ"


@pytest.fixture
def pending(deed_types, citizen):
    return deed_record(
        actor=citizen, deed_type_public_id=deed_types["volunteer-hours"].public_id,
        performed_on=days_ago(1), description="ช่วยงานวัด", quantity=2,
    )  # fmt: skip


def test_ask_takes_the_deed_out_of_the_queue_and_the_answer_brings_it_back(pending, citizen, verifier):
    assert pending in verification_queue(verifier=verifier)
    deed_ask(actor=verifier, deed_public_id=pending.public_id, question=QUESTION)
    pending.refresh_from_db()
    assert pending.status == "needs_info"
    assert pending not in verification_queue(verifier=verifier)
    other_verifier = make_verifier(name="สมปอง ตรวจดี")
    deed_answer(actor=citizen, deed_public_id=pending.public_id, answer="ลุงสมบูรณ์ ไวยาวัจกร")
    pending.refresh_from_db()
    assert pending.status == "pending"
    # back in the queue of any verifier of the area, not only the one who asked
    assert pending in verification_queue(verifier=other_verifier)
    (q,) = DeedQuestion.objects.filter(deed=pending)
    assert (q.question, q.answer, q.asked_by) == (QUESTION, "ลุงสมบูรณ์ ไวยาวัจกร", verifier)
    assert q.answered_at is not None
    events = list(
        AuditEvent.objects.filter(subject_id=str(pending.public_id)).values_list("event_type", flat=True)
    )
    assert events.count("deed:ask") == 1 and events.count("deed:answer") == 1
    # and it can be decided as usual
    deed_verify(actor=other_verifier, deed_public_id=pending.public_id)


def test_the_history_of_questions_is_kept(pending, citizen, verifier):
    for n in range(2):
        deed_ask(actor=verifier, deed_public_id=pending.public_id, question=f"{QUESTION} ({n})")
        deed_answer(actor=citizen, deed_public_id=pending.public_id, answer=f"คำตอบ {n}")
    assert [q.answer for q in DeedQuestion.objects.filter(deed=pending)] == ["คำตอบ 0", "คำตอบ 1"]


def test_ask_by_someone_out_of_reach_answers_not_found(pending):
    far = make_verifier(scope=BANGKOK_SUBDISTRICT, subdistrict=BANGKOK_SUBDISTRICT)
    with pytest.raises(NotFound):
        deed_ask(actor=far, deed_public_id=pending.public_id, question=QUESTION)
    with pytest.raises(PermissionDenied):
        deed_ask(actor=make_person(), deed_public_id=pending.public_id, question=QUESTION)
    assert Deed.objects.get(pk=pending.pk).status == "pending"


def test_ask_needs_a_question_and_a_pending_deed(pending, verifier):
    with pytest.raises(ValidationFailed) as refused:
        deed_ask(actor=verifier, deed_public_id=pending.public_id, question="  ")
    assert "question" in refused.value.fields
    with pytest.raises(ValidationFailed):
        deed_ask(actor=verifier, deed_public_id=pending.public_id, question="ถาม\u202eกลับด้าน")
    deed_ask(actor=verifier, deed_public_id=pending.public_id, question=QUESTION)
    with pytest.raises(DeedAlreadyDecided):  # waiting for the answer: not asked twice
        deed_ask(actor=verifier, deed_public_id=pending.public_id, question=QUESTION)
    with pytest.raises(DeedAlreadyDecided):
        deed_verify(actor=verifier, deed_public_id=pending.public_id)


def test_only_the_deeds_person_answers_and_only_once(pending, citizen, verifier):
    deed_ask(actor=verifier, deed_public_id=pending.public_id, question=QUESTION)
    for stranger in (make_person(name="คนอื่น ไม่เกี่ยว"), verifier):
        with pytest.raises(NotFound):
            deed_answer(actor=stranger, deed_public_id=pending.public_id, answer="แอบตอบ")
    deed_answer(actor=citizen, deed_public_id=pending.public_id, answer="ตอบแล้ว")
    with pytest.raises(NotAwaitingAnswer):
        deed_answer(actor=citizen, deed_public_id=pending.public_id, answer="ตอบซ้ำ")
    with pytest.raises(ValidationFailed):
        deed_answer(actor=citizen, deed_public_id=pending.public_id, answer="")


def test_reject_needs_a_code_from_the_list_and_other_needs_words(pending, verifier):
    with pytest.raises(ValidationFailed) as refused:
        deed_reject(actor=verifier, deed_public_id=pending.public_id, reason="ไม่มีหลักฐาน")
    assert "reason_code" in refused.value.fields
    with pytest.raises(ValidationFailed):
        deed_reject(actor=verifier, deed_public_id=pending.public_id, reason_code="made-up", reason="x")
    with pytest.raises(ValidationFailed) as refused:
        deed_reject(actor=verifier, deed_public_id=pending.public_id, reason_code="other", reason=" ")
    assert "reason" in refused.value.fields
    assert Deed.objects.get(pk=pending.pk).status == "pending"
    deed_reject(actor=verifier, deed_public_id=pending.public_id, reason_code="duplicate")
    pending.refresh_from_db()
    assert (pending.status, pending.rejection_code, pending.rejection_reason) == ("rejected", "duplicate", "")


def test_the_web_pages_ask_and_answer(client, pending, citizen, verifier):
    client.force_login(verifier)
    page = client.get(f"/deeds/{pending.public_id}/").content.decode()
    assert 'value="ask"' in page and 'name="reason_code"' in page
    empty = client.post(f"/deeds/{pending.public_id}/decide/", {"action": "ask", "question": ""})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()
    asked = client.post(f"/deeds/{pending.public_id}/decide/", {"action": "ask", "question": QUESTION})
    assert asked.status_code == 302 and Deed.objects.get(pk=pending.pk).status == "needs_info"
    client.force_login(make_person(name="คนอื่น ไม่เกี่ยว"))
    assert client.post(f"/deeds/{pending.public_id}/answer/", {"answer": "แอบตอบ"}).status_code == 404
    client.force_login(citizen)
    page = client.get(f"/deeds/{pending.public_id}/").content.decode()
    assert QUESTION in page and 'data-testid="open-question"' in page
    answered = client.post(f"/deeds/{pending.public_id}/answer/", {"answer": "ลุงสมบูรณ์"})
    assert answered.status_code == 302 and Deed.objects.get(pk=pending.pk).status == "pending"


def test_the_api_asks_and_answers(client, pending, citizen, verifier):
    from tests.api.test_api import token_for

    verifier_token, citizen_token = token_for(client, verifier.phone), token_for(client, citizen.phone)

    def post(url, body, token):
        return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    base = f"/api/v1/deeds/{pending.public_id}"
    assert post(f"{base}/ask", {"question": 12}, verifier_token).status_code == 422  # strict text
    asked = post(f"{base}/ask", {"question": QUESTION}, verifier_token)
    assert asked.status_code == 200 and asked.json()["status"] == "needs_info"
    mine = client.get(base, HTTP_AUTHORIZATION=f"Bearer {citizen_token}").json()
    assert mine["question"] == QUESTION
    assert post(f"{base}/answer", {"answer": "ตอบ"}, verifier_token).status_code == 404
    answered = post(f"{base}/answer", {"answer": "ลุงสมบูรณ์"}, citizen_token)
    assert answered.status_code == 200 and answered.json()["status"] == "pending"
    assert post(f"{base}/answer", {"answer": "ซ้ำ"}, citizen_token).status_code == 409
    rejected = post(f"{base}/reject", {"reason_code": "outside_rules"}, verifier_token)
    assert rejected.status_code == 200 and rejected.json()["rejection_code"] == "outside_rules"


def test_the_passbook_lists_the_deeds_a_verifier_asked_about(client, deed_types, citizen, verifier):
    deed = deed_record(
        actor=citizen, deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1), description="คืนกระเป๋าเงินที่ตลาด",
    )  # fmt: skip
    client.force_login(citizen)
    assert 'data-testid="asked"' not in client.get("/passbook/").content.decode()
    deed_ask(actor=verifier, deed_public_id=deed.public_id, question="ขอชื่อเจ้าของกระเป๋าหรือผู้ที่เห็น")
    page = client.get("/passbook/").content.decode()
    assert 'data-testid="asked"' in page and f"/deeds/{deed.public_id}/" in page


def test_the_answer_may_bring_a_photo_and_a_refused_file_changes_nothing(pending, citizen, verifier, client):
    from kwamdee.evidence.models import EvidenceFile
    from kwamdee.people.models import User
    from tests.evidence.helpers import php_as_jpg, png
    from tests.factories import PASSWORD

    deed_ask(actor=verifier, deed_public_id=pending.public_id, question="ขอรูปถ่ายด้วยครับ")
    client.login(username=User.objects.get(pk=citizen.pk).username, password=PASSWORD)
    refused = client.post(
        f"/deeds/{pending.public_id}/answer/", {"answer": "แนบรูปแล้วครับ", "evidence_files": [php_as_jpg()]}
    )
    assert refused.status_code == 200 and "แนบรูปแล้วครับ" in refused.content.decode()
    pending.refresh_from_db()
    assert pending.status == "needs_info" and not EvidenceFile.objects.exists()
    done = client.post(
        f"/deeds/{pending.public_id}/answer/", {"answer": "แนบรูปแล้วครับ", "evidence_files": [png()]}
    )
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "pending"
    (photo,) = EvidenceFile.objects.filter(deed=pending)
    assert photo.uploaded_by_id == citizen.pk
