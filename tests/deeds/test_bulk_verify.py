"""The verifier's desk: many deeds verified in one transaction and one ledger batch."""

import pytest
from django.db import connection

from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import MAX_BULK_VERIFY, deeds_verify_bulk
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from tests.api.test_api import post, token_for
from tests.deeds.test_services import record
from tests.factories import BANGKOK_SUBDISTRICT, days_ago, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(deed_types, citizen):
    other = make_person(name="ประเสริฐ มีสุข")
    far = make_person(name="คนกรุงเทพ", subdistrict=BANGKOK_SUBDISTRICT)
    deed_type = deed_types["returning-lost-property"]
    return {
        "mine": [record(citizen, deed_type, performed_on=days_ago(n)) for n in (1, 3)],
        "other": record(other, deed_type),
        "far": record(far, deed_type),  # outside the verifier's area
        "people": (citizen, other),
    }


def ids(*deeds):
    return [str(d.public_id) for d in deeds]


def test_bulk_verify_credits_the_decidable_and_names_the_rest(desk, verifier):
    chosen = [*desk["mine"], desk["other"], desk["far"]]
    outcomes = deeds_verify_bulk(actor=verifier, deed_public_ids=ids(*chosen))
    assert [(o.deed, o.verified, o.code) for o in outcomes] == [
        (str(desk["mine"][0].public_id), True, "verified"),
        (str(desk["mine"][1].public_id), True, "verified"),
        (str(desk["other"].public_id), True, "verified"),
        (str(desk["far"].public_id), False, "not_found"),  # outside the area: as if it did not exist
    ]
    assert outcomes[0].credit == 20 and outcomes[0].points == 20
    assert Deed.objects.get(pk=desk["far"].pk).status == "pending"  # untouched
    assert Deed.objects.filter(status="verified").count() == 3
    # One ledger entry and one audit event per verified deed; every chain verifies.
    assert LedgerTransaction.objects.filter(kind="deed_credit").count() == 3
    assert AuditEvent.objects.filter(event_type="deed:verify").count() == 3
    assert passbook_get(person=desk["people"][0]).credit_total == 40
    assert ledger_verify().ok


def test_bulk_verify_costs_a_few_statements_per_deed_not_a_ledger_round_per_deed(
    deed_types, verifier, django_assert_max_num_queries
):
    people = [make_person(name=f"คน {n}") for n in range(20)]
    deeds = [record(p, deed_types["returning-lost-property"]) for p in people]
    # Nothing per deed: the permissions, the scope, the lock (with the flags' facts about the
    # verifier), the rules, the accounts (created here), the ledger's heads (created here), keys
    # and write (four statements on SQLite), the audit events, the notifications (one INSERT,
    # built from the deeds in hand), the deeds' update (three), the sponsorships (rewards'
    # `deeds_verified` receiver), the test's savepoint (two), and the fairness flags: here 20
    # brand-new accounts are verified together, so the flag is due, and which of today's deeds
    # to flag is read (one query) and they are flagged (one INSERT). 25 on PostgreSQL, 28 on SQLite.
    with django_assert_max_num_queries(25 if connection.vendor == "postgresql" else 28):
        outcomes = deeds_verify_bulk(actor=verifier, deed_public_ids=ids(*deeds))
    assert all(o.verified for o in outcomes)
    assert ledger_verify().ok


def test_a_retried_bulk_verify_answers_as_the_first_time_and_a_reused_key_is_refused(desk, verifier):
    first = deeds_verify_bulk(actor=verifier, deed_public_ids=ids(*desk["mine"]), idempotency_key="desk-1")
    again = deeds_verify_bulk(
        actor=verifier, deed_public_ids=ids(*reversed(desk["mine"])), idempotency_key="desk-1"
    )
    assert again == first and all(o.verified for o in again)
    assert LedgerTransaction.objects.count() == 2
    with pytest.raises(IdempotencyConflict):
        deeds_verify_bulk(actor=verifier, deed_public_ids=ids(desk["other"]), idempotency_key="desk-1")
    assert Deed.objects.get(pk=desk["other"].pk).status == "pending"


def test_bulk_verify_refuses_people_who_do_not_verify_and_too_many_deeds(desk, citizen, verifier):
    with pytest.raises(PermissionDenied):
        deeds_verify_bulk(actor=citizen, deed_public_ids=ids(desk["other"]))
    with pytest.raises(ValidationFailed):
        deeds_verify_bulk(actor=verifier, deed_public_ids=[])
    with pytest.raises(ValidationFailed):
        deeds_verify_bulk(
            actor=verifier,
            deed_public_ids=[f"00000000-0000-4000-8000-{n:012d}" for n in range(MAX_BULK_VERIFY + 1)],
        )
    with pytest.raises(ValidationFailed):
        deeds_verify_bulk(actor=verifier, deed_public_ids=["not-a-uuid"])
    assert Deed.objects.filter(status="verified").count() == 0


def test_bulk_verify_over_the_api_with_an_idempotency_key(client, desk, verifier):
    token = token_for(client, verifier.phone)
    body = {"deeds": ids(*desk["mine"], desk["far"])}
    first = post(client, "/api/v1/deeds/verify", body, token, HTTP_IDEMPOTENCY_KEY="api-desk-1")
    assert first.status_code == 200, first.content
    assert (first.json()["verified"], first.json()["refused"]) == (2, 1)
    again = post(client, "/api/v1/deeds/verify", body, token, HTTP_IDEMPOTENCY_KEY="api-desk-1")
    assert again.json() == first.json()
    conflict = post(
        client, "/api/v1/deeds/verify", {"deeds": ids(desk["other"])}, token,
        HTTP_IDEMPOTENCY_KEY="api-desk-1", HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert conflict.status_code == 422 and conflict.json()["code"] == "idempotency_conflict"
    too_many = post(
        client, "/api/v1/deeds/verify", {"deeds": ids(*desk["mine"]) * (MAX_BULK_VERIFY // 2 + 1)}, token
    )
    assert too_many.status_code == 422
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db(transaction=True)
def test_a_volunteer_day_of_200_deeds_is_verified_in_one_request(postgres_only, client, deed_types, verifier):
    """The issue's case: 200 deeds, one per person, verified by one API request (one transaction,
    one ledger batch) on PostgreSQL; every chain and balance still verifies."""
    assert MAX_BULK_VERIFY >= 200
    people = [make_person(name=f"อาสา {n}") for n in range(200)]
    deeds = [record(p, deed_types["returning-lost-property"]) for p in people]
    token = token_for(client, verifier.phone)
    response = post(client, "/api/v1/deeds/verify", {"deeds": ids(*deeds)}, token)
    assert response.status_code == 200, response.content
    assert (response.json()["verified"], response.json()["refused"]) == (200, 0)
    assert Deed.objects.filter(status="verified").count() == 200
    assert LedgerTransaction.objects.filter(kind="deed_credit").count() == 200
    assert ledger_verify().ok
    connection.close()
