"""Appeals: once, in time, decided by someone other than the rejecter, finally; an overturn
credits through deeds' verification, exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.appeals.errors import AlreadyAppealed, AppealAlreadyDecided, AppealWindowClosed, NotRejected
from kwamdee.appeals.models import Appeal
from kwamdee.appeals.selectors import appeals_queue
from kwamdee.appeals.services import appeal_create, appeal_decide
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.errors import OwnRejection
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record, deed_reject
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from tests.factories import BANGKOK_SUBDISTRICT, days_ago, make_person, make_verifier

STATEMENT = "วันนั้นช่วยงานจริง เจ้าอาวาสรับรองได้"


@pytest.fixture
def rejected(deed_types, citizen, verifier):
    deed = deed_record(
        actor=citizen, deed_type_public_id=deed_types["volunteer-hours"].public_id,
        performed_on=days_ago(2), description="ช่วยงานวัด", quantity=2,
    )  # fmt: skip
    return deed_reject(actor=verifier, deed_public_id=deed.public_id, reason_code="not_enough_evidence")


@pytest.fixture
def second_verifier(db):
    return make_verifier(name="สมปอง ตรวจดี")


def test_appeal_once_then_overturn_credits_exactly_once(rejected, citizen, verifier, second_verifier):
    appeal = appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement=STATEMENT)
    assert appeal.status == "open" and appeal.rejected_by == verifier
    with pytest.raises(AlreadyAppealed):
        appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement=STATEMENT)
    assert appeal in appeals_queue(verifier=second_verifier)
    assert appeal not in appeals_queue(verifier=verifier)  # never to the one who rejected
    with pytest.raises(OwnRejection):
        appeal_decide(actor=verifier, appeal_public_id=appeal.public_id, outcome="overturn")

    appeal_decide(actor=second_verifier, appeal_public_id=appeal.public_id, outcome="overturn")
    deed = Deed.objects.get(pk=rejected.pk)
    appeal.refresh_from_db()
    assert deed.status == "verified" and deed.credit_awarded == 16
    # both decisions stay on record
    assert (deed.rejection_code, appeal.rejected_by) == ("not_enough_evidence", verifier)
    assert (appeal.status, appeal.decided_by) == ("overturned", second_verifier)
    assert passbook_get(person=citizen).credit_total == 16
    with pytest.raises(AppealAlreadyDecided):  # final
        appeal_decide(actor=second_verifier, appeal_public_id=appeal.public_id, outcome="overturn")
    source = LedgerTransaction.objects.filter(source_kind="deed", source_id=str(deed.public_id))
    assert source.count() == 1
    assert ledger_verify().ok
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"appeal:create", "appeal:overturn", "deed:verify"} <= events


def test_uphold_keeps_the_deed_rejected_and_needs_a_note(rejected, citizen, second_verifier):
    appeal = appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement=STATEMENT)
    with pytest.raises(ValidationFailed):
        appeal_decide(actor=second_verifier, appeal_public_id=appeal.public_id, outcome="uphold", note="")
    appeal_decide(
        actor=second_verifier, appeal_public_id=appeal.public_id, outcome="uphold",
        note="ไม่มีผู้รับรองชั่วโมงจริง",
    )  # fmt: skip
    appeal.refresh_from_db()
    assert appeal.status == "upheld" and Deed.objects.get(pk=rejected.pk).status == "rejected"
    assert passbook_get(person=citizen).credit_total == 0
    assert AuditEvent.objects.filter(event_type="appeal:uphold").count() == 1
    with pytest.raises(AlreadyAppealed):  # and no second appeal after the first is decided
        appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement=STATEMENT)


def test_the_community_committee_of_the_area_may_not_decide_an_organizations_deed(rejected, citizen):
    appeal = appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement=STATEMENT)
    far = make_verifier(scope=BANGKOK_SUBDISTRICT, subdistrict=BANGKOK_SUBDISTRICT)
    with pytest.raises(NotFound):
        appeal_decide(actor=far, appeal_public_id=appeal.public_id, outcome="overturn")
    with pytest.raises(PermissionDenied):
        appeal_decide(actor=make_person(), appeal_public_id=appeal.public_id, outcome="overturn")


def test_appeal_after_the_window_is_refused(rejected, citizen, settings):
    Deed.objects.filter(pk=rejected.pk).update(
        decided_at=timezone.now() - timedelta(days=settings.APPEAL_WINDOW_DAYS + 1)
    )
    with pytest.raises(AppealWindowClosed):
        appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement=STATEMENT)
    assert not Appeal.objects.exists()


def test_only_the_person_appeals_only_a_rejected_deed_with_a_statement(rejected, deed_types, citizen):
    with pytest.raises(NotFound):
        appeal_create(actor=make_person(name="คนอื่น"), deed_public_id=rejected.public_id, statement=STATEMENT)
    with pytest.raises(ValidationFailed):
        appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement="   ")
    pending = deed_record(
        actor=citizen, deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1), description="คืนกระเป๋า",
    )  # fmt: skip
    with pytest.raises(NotRejected):
        appeal_create(actor=citizen, deed_public_id=pending.public_id, statement=STATEMENT)


def test_the_pages(client, rejected, citizen, verifier, second_verifier):
    client.force_login(citizen)
    page = client.get(f"/deeds/{rejected.public_id}/").content.decode()
    assert 'action="/appeals/deed/' in page
    assert client.post(f"/appeals/deed/{rejected.public_id}/", {"statement": STATEMENT}).status_code == 302
    appeal = Appeal.objects.get()
    assert 'data-testid="appeal"' in client.get(f"/deeds/{rejected.public_id}/").content.decode()
    client.force_login(verifier)  # the rejecter sees it, without the decision form
    page = client.get(f"/appeals/{appeal.public_id}/").content.decode()
    assert 'name="outcome"' not in page
    assert client.get("/appeals/").status_code == 200
    client.force_login(second_verifier)
    assert str(appeal.public_id) in client.get("/appeals/").content.decode()
    page = client.get(f"/appeals/{appeal.public_id}/").content.decode()
    assert 'name="outcome"' in page
    done = client.post(f"/appeals/{appeal.public_id}/decide/", {"outcome": "overturn"})
    assert done.status_code == 302 and Deed.objects.get(pk=rejected.pk).status == "verified"
    client.force_login(make_person(name="คนอื่น"))
    assert client.get(f"/appeals/{appeal.public_id}/").status_code == 404


def _token(client, person):
    from tests.factories import PASSWORD

    token = client.post(
        "/api/v1/auth/token", {"login": person.phone, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_appeals_and_another_verifier_decides(client, rejected, citizen, verifier, second_verifier):
    made = client.post(
        "/api/v1/appeals", {"deed": str(rejected.public_id), "statement": STATEMENT},
        content_type="application/json", **_token(client, citizen),
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["status"] == "open"
    appeal_id = made.json()["public_id"]
    again = client.post(
        "/api/v1/appeals", {"deed": str(rejected.public_id), "statement": STATEMENT},
        content_type="application/json", **_token(client, citizen),
    )  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "already_appealed"
    assert [a["public_id"] for a in client.get("/api/v1/appeals", **_token(client, citizen)).json()] == [
        appeal_id
    ]
    assert client.get("/api/v1/appeals/queue", **_token(client, verifier)).json() == []  # the rejecter
    queue = client.get("/api/v1/appeals/queue", **_token(client, second_verifier)).json()
    assert [a["public_id"] for a in queue] == [appeal_id]
    own = client.post(
        f"/api/v1/appeals/{appeal_id}/decide", {"outcome": "overturn"}, content_type="application/json",
        **_token(client, verifier),
    )  # fmt: skip
    assert own.status_code == 403 and own.json()["code"] == "own_rejection"
    done = client.post(
        f"/api/v1/appeals/{appeal_id}/decide", {"outcome": "overturn"}, content_type="application/json",
        **_token(client, second_verifier),
    )  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "overturned"
    assert Deed.objects.get(pk=rejected.pk).status == "verified"
    assert passbook_get(person=citizen).credit_total == 16


def test_the_api_lists_and_marks_notifications(client, rejected, citizen):
    from kwamdee.notifications.models import Notification
    from tests.factories import make_person

    listed = client.get("/api/v1/notifications", **_token(client, citizen), HTTP_ACCEPT_LANGUAGE="en").json()
    assert listed["unread"] == 1
    (row,) = listed["notifications"]
    assert row["kind"] == "deed_rejected" and "was not verified" in row["title"]
    other = make_person(name="คนอื่น")
    assert (
        client.post(f"/api/v1/notifications/{row['public_id']}/read", **_token(client, other)).status_code
        == 404
    )
    read = client.post(f"/api/v1/notifications/{row['public_id']}/read", **_token(client, citizen))
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.post("/api/v1/notifications/read-all", **_token(client, citizen)).json() == {"marked": 0}
    assert Notification.objects.get().read_at is not None


def test_an_overturn_does_not_credit_a_person_who_has_not_proved_their_contact(
    rejected, citizen, second_verifier
):
    """Review: deed_verify_on_appeal skipped the `person_unconfirmed` rule that verifying keeps,
    so an appeal credited an account whose phone nobody proved (changed since recording)."""
    from kwamdee.deeds.errors import PersonUnconfirmed

    appeal = appeal_create(actor=citizen, deed_public_id=rejected.public_id, statement=STATEMENT)
    type(citizen).objects.filter(pk=citizen.pk).update(contact_confirmed_at=None)  # changed their phone
    with pytest.raises(PersonUnconfirmed):
        appeal_decide(actor=second_verifier, appeal_public_id=appeal.public_id, outcome="overturn")
    appeal.refresh_from_db()
    assert appeal.status == "open" and Deed.objects.get(pk=rejected.pk).status == "rejected"
    assert passbook_get(person=citizen).credit_total == 0
