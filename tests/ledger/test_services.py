from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kwamdee.common.append_only import append_only_suspended
from kwamdee.deeds.errors import DeedAlreadyDecided
from kwamdee.deeds.ledger import ISSUANCE, deed_chain_key, deed_shard, issuance_account_key
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.errors import AlreadyReversed, InsufficientBalance, Unbalanced
from kwamdee.ledger.models import Account, LedgerTransaction, Posting
from kwamdee.ledger.services import (
    Leg,
    Source,
    account_get_or_create,
    accounts_get_or_create,
    ledger_transaction_post,
    ledger_transaction_reverse,
)
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.accounts import person_account_key
from kwamdee.people.models import User
from tests.concurrency import run_at_once
from tests.factories import days_ago, make_person

SOURCE = Source("test", "1")


def post(**kwargs):
    return ledger_transaction_post(source=kwargs.pop("source", SOURCE), **kwargs)


def issuance_account(*, province_code, unit, virtue_code):
    key = issuance_account_key(f"{province_code}/0", unit, virtue_code)
    return accounts_get_or_create([key], negative_kinds=[ISSUANCE])[key]


def person_account(*, person, unit, virtue_code):
    key = person_account_key(person, unit, virtue_code)
    return accounts_get_or_create([key])[key]


def credit_deed(person, verifier, deed_type):
    deed = deed_record(
        actor=person,
        deed_type_public_id=deed_type.public_id,
        performed_on=days_ago(1),
        description="ดี",
    )
    return deed_verify(actor=verifier, deed_public_id=deed.public_id)


def points_legs(person, amount):
    source = issuance_account(province_code="71", unit=Unit.POINTS, virtue_code="honesty")
    target = person_account(person=person, unit=Unit.POINTS, virtue_code="honesty")
    return source, target


@pytest.fixture
def credited(deed_types, citizen, verifier):
    for code in ("returning-lost-property", "tree-planting"):
        deed = deed_record(
            actor=citizen,
            deed_type_public_id=deed_types[code].public_id,
            performed_on=days_ago(1),
            description="ดี",
            quantity="5",
        )
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    return citizen


def test_every_transaction_balances_per_unit(credited):
    for tx in LedgerTransaction.objects.all():
        sums = {}
        for p in tx.postings.all():
            sums[p.unit] = sums.get(p.unit, 0) + p.amount
            assert p.unit == p.account.unit  # units never mix
        assert set(sums.values()) == {0}


def test_unbalanced_transaction_is_refused(citizen):
    source, target = points_legs(citizen, 5)
    with pytest.raises(Unbalanced):
        post(
            chain_key="t",
            kind="deed_credit",
            idempotency_key="u1",
            legs=[Leg(source, -5), Leg(target, 4)],
        )
    credit = person_account(person=citizen, unit=Unit.CREDIT, virtue_code="honesty")
    with pytest.raises(Unbalanced):  # credit and points never balance each other
        post(
            chain_key="t",
            kind="deed_credit",
            idempotency_key="u2",
            legs=[Leg(source, -5), Leg(credit, 5)],
        )
    assert not LedgerTransaction.objects.exists()


def test_no_spendable_balance_below_zero(citizen):
    source, target = points_legs(citizen, 5)
    post(
        chain_key="t",
        kind="deed_credit",
        idempotency_key="in",
        legs=[Leg(source, -5), Leg(target, 5)],
    )
    with pytest.raises(InsufficientBalance), transaction.atomic():  # a refusal fails its transaction
        post(
            chain_key="t",
            kind="deed_credit",
            idempotency_key="out",
            legs=[Leg(target, -6), Leg(source, 6)],
        )
    target.refresh_from_db()
    assert target.balance == 5
    assert LedgerTransaction.objects.count() == 1


def test_idempotency_key_takes_effect_once(citizen):
    source, target = points_legs(citizen, 5)
    legs = [Leg(source, -5), Leg(target, 5)]
    first = post(chain_key="t", kind="deed_credit", idempotency_key="same", legs=legs)
    again = post(chain_key="t", kind="deed_credit", idempotency_key="same", legs=legs)
    assert first.pk == again.pk
    target.refresh_from_db()
    assert target.balance == 5


def test_spending_points_never_lowers_credit(credited):
    before = passbook_get(person=credited)
    points = person_account(person=credited, unit=Unit.POINTS, virtue_code="honesty")
    sink = account_get_or_create(
        holder_ref=points.holder_ref,
        kind="sponsor_budget",
        unit=Unit.POINTS,
        subaccount="partner-test",
    )
    post(
        chain_key="t",
        kind="deed_credit",
        idempotency_key="spend",
        legs=[Leg(points, -10), Leg(sink, 10)],
    )
    after = passbook_get(person=credited)
    assert after.points_total == before.points_total - 10
    assert after.credit_total == before.credit_total


def test_chain_links_each_entry_to_the_one_before(credited):
    chain = deed_chain_key(deed_shard("71", credited.ledger_ref))
    txs = list(LedgerTransaction.objects.filter(chain_key=chain).order_by("seq"))
    assert [t.seq for t in txs] == [1, 2]
    assert txs[1].prev_hash == txs[0].entry_hash
    report = ledger_verify()
    assert report.ok, report.problems
    assert report.transactions == 2


def test_ledger_verify_command_reports_ok(credited):
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    assert "ledger OK" in out.getvalue()
    assert "2 transactions" in out.getvalue()


def _tamper(sql, params):
    # Only the tables' owner (or a superuser) can step around the append-only triggers like this.
    with append_only_suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_tampered_posting_fails_verify_and_names_the_row(credited):
    posting = Posting.objects.filter(amount__gt=0).order_by("id").first()
    _tamper("UPDATE ledger_posting SET amount = amount + 100 WHERE id = %s", [posting.pk])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ledger_verify", stdout=StringIO(), stderr=err)
    message = err.getvalue()
    assert f"ledger_transaction id={posting.transaction_id}" in message
    assert "hash mismatch" in message


def test_tampered_memo_fails_verify(credited):
    tx = LedgerTransaction.objects.order_by("id").first()
    _tamper("UPDATE ledger_ledgertransaction SET kind = %s WHERE id = %s", ["reversal", tx.pk])
    report = ledger_verify()
    assert any(f"id={tx.pk}" in p for p in report.problems)


def test_tampered_cached_balance_fails_verify(credited):
    account = Account.objects.filter(kind="person_credit").first()
    Account.objects.filter(pk=account.pk).update(balance=account.balance + 1)
    report = ledger_verify()
    assert any(f"account id={account.pk}" in p for p in report.problems)


def test_deleted_entry_breaks_the_chain(credited):
    tx = LedgerTransaction.objects.order_by("seq").first()
    _tamper("DELETE FROM ledger_posting WHERE transaction_id = %s", [tx.pk])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE deeds_deed SET ledger_transaction_id = NULL")
    _tamper("DELETE FROM ledger_ledgertransaction WHERE id = %s", [tx.pk])
    report = ledger_verify()
    assert not report.ok
    assert any("seq" in p or "prev_hash" in p for p in report.problems)


def test_reversal_names_the_original_and_restores_balances(credited):
    original = LedgerTransaction.objects.order_by("id").first()
    before = passbook_get(person=credited).credit_total
    posted = ledger_transaction_reverse(original=original, reason="fraudulent")
    reversal = LedgerTransaction.objects.get(pk=posted.pk)
    assert reversal.reverses == original and reversal.kind == "reversal"
    assert passbook_get(person=credited).credit_total < before
    with pytest.raises(AlreadyReversed):
        ledger_transaction_reverse(original=original, reason="duplicate")
    with pytest.raises(ValueError):  # free text would be hashed into the ledger forever
        ledger_transaction_reverse(original=LedgerTransaction.objects.order_by("id").last(), reason="he lied")
    assert ledger_verify().ok


def test_no_personal_data_in_ledger(credited):
    person = User.objects.get(pk=credited.pk)
    rows = [str(t.memo) + t.idempotency_key for t in LedgerTransaction.objects.all()]
    rows += [str(a.holder_ref) for a in Account.objects.all()]
    for value in (person.full_name, person.phone, str(person.public_id)):
        assert not any(value in row for row in rows)


def test_the_database_refuses_changes_to_the_ledger_and_audit_trail(credited):
    """On SQLite and PostgreSQL alike: append-only tables refuse UPDATE, DELETE (and TRUNCATE on
    PostgreSQL); an account may change only its cached balance."""
    statements = [
        "UPDATE ledger_posting SET amount = 0",
        "DELETE FROM ledger_posting",
        "UPDATE ledger_ledgertransaction SET memo = '{}'",
        "DELETE FROM ledger_ledgertransaction",
        "UPDATE common_auditevent SET data = '{}'",
        "DELETE FROM common_auditevent",
        "UPDATE ledger_account SET holder_ref = (SELECT holder_ref FROM ledger_account ORDER BY id DESC LIMIT 1)",
        "UPDATE ledger_account SET kind = 'issuance'",
        "DELETE FROM ledger_account",
    ]
    if connection.vendor == "postgresql":
        statements += [
            "TRUNCATE common_auditevent",
            "TRUNCATE ledger_posting CASCADE",
            "TRUNCATE ledger_account CASCADE",
        ]
    for sql in statements:
        with pytest.raises(DatabaseError, match="kwamdee"):
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred check
                cursor.execute(sql)
    with connection.cursor() as cursor:  # the cached balance stays writable: the ledger moves it
        cursor.execute("UPDATE ledger_account SET balance = balance WHERE kind = 'person_credit'")
    assert ledger_verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_verify_the_same_deed_once(postgres_only, deed_types):
    citizen = make_person()
    from tests.factories import make_verifier

    verifier = make_verifier()
    deed = deed_record(
        actor=citizen,
        deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1),
        description="คืนกระเป๋า",
    )
    verify = lambda: deed_verify(actor=User.objects.get(pk=verifier.pk), deed_public_id=deed.public_id)  # noqa: E731
    outcomes = run_at_once([verify] * 20, expected={DeedAlreadyDecided: "already"})
    assert sorted(outcomes) == ["already"] * 19 + ["ok"]
    assert LedgerTransaction.objects.count() == 1
    assert passbook_get(person=citizen).credit_total == 20
    assert ledger_verify().ok


def test_verify_gives_the_same_answer_in_batches_of_one(credited):
    assert ledger_verify(batch_size=1).ok
    posting = Posting.objects.order_by("id").last()
    _tamper("UPDATE ledger_posting SET amount = amount - 1 WHERE id = %s", [posting.pk])
    small, large = ledger_verify(batch_size=1), ledger_verify(batch_size=1000)
    assert small.problems == large.problems and small.problems
    assert (small.transactions, small.postings) == (large.transactions, large.postings)
