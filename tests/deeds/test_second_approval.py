"""A verification whose credit is above the national threshold needs a second verifier."""

import pytest
from django.test import override_settings

from kwamdee.common.models import AuditEvent
from kwamdee.deeds.errors import AlreadyApproved, PersonUnconfirmed
from kwamdee.deeds.models import Deed
from kwamdee.deeds.selectors import verification_queue
from kwamdee.deeds.services import deed_record, deed_verify, deeds_verify_bulk
from kwamdee.passbook.selectors import passbook_get
from tests.factories import days_ago, make_verifier


def record(person, deed_type, quantity):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="ปลูกต้นไม้ริมคลอง", quantity=quantity,
    )  # fmt: skip


@override_settings(KWAMDEE_SECOND_APPROVAL_CREDIT=50)
def test_a_high_credit_needs_two_verifiers(deed_types, citizen, verifier):
    deed = record(citizen, deed_types["tree-planting"], 60)  # 1 credit a tree: 60 > 50
    small = record(citizen, deed_types["tree-planting"], 50)  # at the threshold: one verifier
    deed_verify(actor=verifier, deed_public_id=small.public_id)
    assert Deed.objects.get(pk=small.pk).status == "verified"
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    deed.refresh_from_db()
    assert (deed.status, deed.first_approved_by, deed.credit_awarded) == ("pending", verifier, 0)
    assert passbook_get(person=citizen).credit_total == 50
    with pytest.raises(AlreadyApproved):
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    assert deed not in verification_queue(verifier=verifier)
    second = make_verifier(name="ผู้ตรวจคนที่สอง")
    assert deed in verification_queue(verifier=second)
    deed_verify(actor=second, deed_public_id=deed.public_id)
    deed.refresh_from_db()
    assert (deed.status, deed.decided_by, deed.credit_awarded) == ("verified", second, 60)
    assert passbook_get(person=citizen).credit_total == 110
    assert (
        AuditEvent.objects.filter(event_type="deed:first_approval", subject_id=str(deed.public_id)).count()
        == 1
    )


@override_settings(KWAMDEE_SECOND_APPROVAL_CREDIT=50)
def test_bulk_verify_approves_high_credits_first(deed_types, citizen, verifier):
    high = record(citizen, deed_types["tree-planting"], 80)
    low = record(citizen, deed_types["tree-planting"], 10)
    outcomes = {
        o.deed: o for o in deeds_verify_bulk(actor=verifier, deed_public_ids=[high.public_id, low.public_id])
    }
    assert outcomes[str(low.public_id)].verified
    assert (outcomes[str(high.public_id)].verified, outcomes[str(high.public_id)].code) == (
        False,
        "first_approval",
    )
    assert Deed.objects.get(pk=high.pk).first_approved_by == verifier


def test_a_person_who_has_not_proved_their_contact_cannot_have_deeds_verified(deed_types, citizen, verifier):
    deed = record(citizen, deed_types["volunteer-hours"], 2)
    type(citizen).objects.filter(pk=citizen.pk).update(contact_confirmed_at=None)  # changed their phone
    assert deed not in verification_queue(verifier=verifier)
    with pytest.raises(PersonUnconfirmed):
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    assert Deed.objects.get(pk=deed.pk).status == "pending"


@override_settings(KWAMDEE_SECOND_APPROVAL_CREDIT=50)
def test_an_appeal_does_not_credit_a_high_credit_with_one_verifier(deed_types, citizen, verifier):
    from kwamdee.appeals.services import appeal_create, appeal_decide
    from kwamdee.deeds.services import deed_reject

    deed = record(citizen, deed_types["tree-planting"], 60)
    deed_reject(actor=verifier, deed_public_id=deed.public_id, reason_code="not_enough_evidence")
    appeal = appeal_create(actor=citizen, deed_public_id=deed.public_id, statement="ปลูกจริง มีผู้เห็น")
    appeal_decide(
        actor=make_verifier(name="ผู้ตรวจอุทธรณ์"), appeal_public_id=appeal.public_id, outcome="overturn"
    )
    assert (
        passbook_get(person=citizen).credit_total == 0
    )  # one "yes" (the rejecter said no): not credited yet
    from kwamdee.appeals.models import Appeal
    from kwamdee.deeds.errors import AlreadyApproved

    appeal = Appeal.objects.get(pk=appeal.pk)
    deed.refresh_from_db()
    assert appeal.status == "open" and deed.status == "rejected" and deed.first_approved_by is not None
    with pytest.raises(AlreadyApproved):  # the same verifier again
        appeal_decide(actor=deed.first_approved_by, appeal_public_id=appeal.public_id, outcome="overturn")
    appeal_decide(
        actor=make_verifier(name="ผู้ตรวจคนที่สอง"), appeal_public_id=appeal.public_id, outcome="overturn"
    )
    assert Appeal.objects.get(pk=appeal.pk).status == "overturned"
    assert passbook_get(person=citizen).credit_total == 60
