"""Witnesses (n of m): named when recording, each confirms or declines from their own page, and
the deed reaches the verifiers once enough have confirmed."""

import pytest

from kwamdee.catalog.models import DeedType
from kwamdee.common.errors import NotFound, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.errors import NotAskedToWitness, OwnWitnessing
from kwamdee.deeds.models import Deed, DeedWitness
from kwamdee.deeds.selectors import verification_queue
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.deeds.witnessing import witness_add, witness_answer, witness_requests
from tests.factories import PASSWORD, days_ago, make_person, make_verifier


@pytest.fixture
def witnessed_type(deed_types):
    """Returning lost property, asking 2 witnesses (as first aid does in the national catalog)."""
    DeedType.objects.filter(pk=deed_types["returning-lost-property"].pk).update(
        evidence="witnesses", witnesses_required=2
    )
    return DeedType.objects.get(pk=deed_types["returning-lost-property"].pk)


def record(person, deed_type, witnesses):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="คืนกระเป๋าสตางค์ที่เก็บได้หน้าตลาด", witnesses=witnesses,
    )  # fmt: skip


def test_the_deed_waits_for_witnesses_then_reaches_the_verifier(witnessed_type, citizen, verifier):
    a, b, c = (make_person(name=n) for n in ("ลุงชม", "ป้าแดง", "น้าสม"))
    deed = record(citizen, witnessed_type, [a.phone, b.phone, c.phone])  # 2 of 3
    assert deed.status == "awaiting_witnesses"
    assert deed not in verification_queue(verifier=verifier)
    assert [r.deed for r in witness_requests(witness=a)] == [deed]
    witness_answer(actor=a, deed_public_id=deed.public_id, confirm=True)
    witness_answer(actor=b, deed_public_id=deed.public_id, confirm=False)
    deed.refresh_from_db()
    assert deed.status == "awaiting_witnesses"  # one confirmation of the two asked
    witness_answer(actor=c, deed_public_id=deed.public_id, confirm=True)
    deed.refresh_from_db()
    assert deed.status == "pending"
    assert deed in verification_queue(verifier=verifier)
    assert list(witness_requests(witness=b)) == []
    events = AuditEvent.objects.filter(subject_id=str(deed.public_id), event_type="deed:witness_answer")
    assert [e.data["to_verifiers"] for e in events.order_by("id")] == [False, False, True]
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    assert Deed.objects.get(pk=deed.pk).status == "verified"


def test_witnesses_are_checked_when_recording(witnessed_type, citizen):
    helper = make_person(name="ลุงชม")
    cases = [
        ([helper.phone], "at least 2"),  # too few
        ([citizen.phone, helper.phone], "someone else"),  # the person themself
        ([helper.phone, helper.phone], "named twice"),
        ([helper.phone, "0899999999"], "not a member"),
        ([helper.phone] * 6, "at most 5"),
    ]
    for witnesses, words in cases:
        with pytest.raises(ValidationFailed) as refused:
            record(citizen, witnessed_type, witnesses)
        assert words in " ".join(str(m) for m in refused.value.fields["witnesses"])
    assert not Deed.objects.exists() and not DeedWitness.objects.exists()


def test_a_deed_type_without_witnesses_refuses_them(deed_types, citizen):
    with pytest.raises(ValidationFailed) as refused:
        record(citizen, deed_types["volunteer-hours"] , [make_person().phone])
    assert "witnesses" in refused.value.fields


def test_only_a_named_witness_answers_and_only_once(witnessed_type, citizen):
    a, b = make_person(name="ลุงชม"), make_person(name="ป้าแดง")
    stranger = make_person(name="คนอื่น")
    deed = record(citizen, witnessed_type, [a.phone, b.phone])
    for who in (stranger, citizen):
        with pytest.raises(NotFound):
            witness_answer(actor=who, deed_public_id=deed.public_id, confirm=True)
    witness_answer(actor=a, deed_public_id=deed.public_id, confirm=True)
    with pytest.raises(NotAskedToWitness):
        witness_answer(actor=a, deed_public_id=deed.public_id, confirm=False)
    assert DeedWitness.objects.get(deed=deed, witness=a).answer == "confirmed"


def test_the_person_names_another_witness_after_a_decline(witnessed_type, citizen):
    a, b, c = (make_person(name=n) for n in ("ลุงชม", "ป้าแดง", "น้าสม"))
    deed = record(citizen, witnessed_type, [a.phone, b.phone])
    witness_answer(actor=a, deed_public_id=deed.public_id, confirm=True)
    witness_answer(actor=b, deed_public_id=deed.public_id, confirm=False)
    with pytest.raises(NotFound):  # not the person's deed
        witness_add(actor=a, deed_public_id=deed.public_id, login=c.phone)
    with pytest.raises(ValidationFailed):
        witness_add(actor=citizen, deed_public_id=deed.public_id, login=b.phone)  # named already
    witness_add(actor=citizen, deed_public_id=deed.public_id, login=c.phone)
    witness_answer(actor=c, deed_public_id=deed.public_id, confirm=True)
    assert Deed.objects.get(pk=deed.pk).status == "pending"


def test_a_witness_who_is_a_verifier_does_not_decide_the_deed(witnessed_type, citizen):
    verifier = make_verifier()
    other = make_person(name="ป้าแดง")
    deed = record(citizen, witnessed_type, [verifier.phone, other.phone])
    for w in (verifier, other):
        witness_answer(actor=w, deed_public_id=deed.public_id, confirm=True)
    assert deed not in verification_queue(verifier=verifier)
    with pytest.raises(OwnWitnessing):
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    assert Deed.objects.get(pk=deed.pk).status == "pending"


def test_the_web_pages_name_and_answer(client, witnessed_type, citizen):
    a, b = make_person(name="ลุงชม"), make_person(name="ป้าแดง")
    client.login(username=citizen.username, password=PASSWORD)
    data = {
        "deed_type": str(witnessed_type.public_id), "performed_on": days_ago(1).isoformat(),
        "description": "คืนกระเป๋าที่เก็บได้", "witness_1": a.phone,
    }  # fmt: skip
    page = client.get(f"/deeds/new/?deed_type={witnessed_type.public_id}").content.decode()
    assert 'name="witness_1"' in page and 'name="witness_3"' in page  # 2 asked, one spare
    refused = client.post("/deeds/new/", data)
    assert refused.status_code == 200 and "คืนกระเป๋าที่เก็บได้" in refused.content.decode()
    assert not Deed.objects.exists()
    done = client.post("/deeds/new/", data | {"witness_2": b.phone})
    assert done.status_code == 302
    deed = Deed.objects.get()
    client.logout()
    client.login(username=a.username, password=PASSWORD)
    listing = client.get("/deeds/witness/").content.decode()
    assert "คืนกระเป๋าที่เก็บได้" in listing
    assert client.post(f"/deeds/{deed.public_id}/witness/", {"answer": "confirm"}).status_code == 302
    assert DeedWitness.objects.get(deed=deed, witness=a).answer == "confirmed"
    client.logout()
    client.login(username=make_person(name="คนอื่น").username, password=PASSWORD)
    assert client.post(f"/deeds/{deed.public_id}/witness/", {"answer": "confirm"}).status_code == 404


def test_the_api_names_and_answers(client, witnessed_type, citizen):
    a, b = make_person(name="ลุงชม"), make_person(name="ป้าแดง")

    def auth(person):
        token = client.post(
            "/api/v1/auth/token", {"login": person.phone, "password": PASSWORD}, content_type="application/json"
        ).json()["token"]
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    body = {"deed_type": str(witnessed_type.public_id), "performed_on": days_ago(1).isoformat(),
            "description": "คืนกระเป๋า", "witnesses": [a.phone, b.phone]}  # fmt: skip
    made = client.post("/api/v1/deeds", body, content_type="application/json", **auth(citizen))
    assert made.status_code == 201 and made.json()["status"] == "awaiting_witnesses"
    deed_id = made.json()["public_id"]
    asked = client.get("/api/v1/deeds/witness-requests", **auth(a)).json()
    assert [r["deed"] for r in asked] == [deed_id]
    answered = client.post(
        f"/api/v1/deeds/{deed_id}/witness", {"confirm": True}, content_type="application/json", **auth(a)
    )
    assert answered.status_code == 200 and answered.json()["deed_status"] == "awaiting_witnesses"
    answered = client.post(
        f"/api/v1/deeds/{deed_id}/witness", {"confirm": True}, content_type="application/json", **auth(b)
    )
    assert answered.json()["deed_status"] == "pending"
    again = client.post(
        f"/api/v1/deeds/{deed_id}/witness", {"confirm": True}, content_type="application/json", **auth(b)
    )
    assert again.status_code == 409


def test_each_witness_is_notified(witnessed_type, citizen):
    from kwamdee.notifications.models import Notification

    a, b = make_person(name="ลุงชม"), make_person(name="ป้าแดง")
    record(citizen, witnessed_type, [a.phone, b.phone])
    for w in (a, b):
        (n,) = Notification.objects.filter(person=w)
        assert n.kind == "witness_asked" and n.link == "/deeds/witness/"
        assert n.params["person"] == citizen.full_name
    assert not Notification.objects.filter(person=citizen).exists()


def test_the_desk_shows_who_confirmed(client, witnessed_type, citizen, verifier):
    a, b = make_person(name="ลุงชม ยืนยัน"), make_person(name="ป้าแดง ไม่แน่ใจ")
    c = make_person(name="น้าสม ยืนยัน")
    deed = record(citizen, witnessed_type, [a.phone, b.phone, c.phone])
    witness_answer(actor=a, deed_public_id=deed.public_id, confirm=True)
    witness_answer(actor=b, deed_public_id=deed.public_id, confirm=False)
    witness_answer(actor=c, deed_public_id=deed.public_id, confirm=True)
    client.login(username=verifier.username, password=PASSWORD)
    page = client.get("/deeds/queue/").content.decode()
    assert "ลุงชม ยืนยัน, น้าสม ยืนยัน" in page and "ป้าแดง ไม่แน่ใจ" not in page
