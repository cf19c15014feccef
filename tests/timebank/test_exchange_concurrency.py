"""Confirmations at the same moment, on PostgreSQL (row locks): a receiver never goes past their
community's limit, an exchange moves its minutes once, a donation and a confirmation of the same
member's time never both pass when together they would overdraw, and the pool pays only what it
holds. The ledger stays whole after each race."""

import pytest

from kwamdee.ledger.models import Account, LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.people.models import User
from kwamdee.rewards.levels import person_credit
from kwamdee.timebank.errors import BeyondLimit, ExchangeDecided, NotEnoughTime, PoolShort
from kwamdee.timebank.ledger import pool_balance, time_balance
from kwamdee.timebank.models import Exchange
from kwamdee.timebank.selectors import category_get
from kwamdee.timebank.services import (
    category_deed_type_link,
    exchange_confirm,
    exchange_pool_cover,
    exchange_propose,
    pool_donate,
    timebank_limit_set,
)
from tests.concurrency import run_at_once
from tests.factories import SYSTEM, load_small_catalog
from tests.timebank.factories import exchanged, member, time_community

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    BeyondLimit: "beyond_limit",
    ExchangeDecided: "decided",
    NotEnoughTime: "not_enough_time",
    PoolShort: "pool_short",
}


def confirm(person_pk, exchange):
    """A confirmation as one request makes it: the person read afresh on the thread's connection."""
    return lambda: exchange_confirm(actor=User.objects.get(pk=person_pk), exchange=exchange)


def ledger_whole():
    assert not Account.objects.filter(allow_negative=False, balance__lt=0).exists()
    report = ledger_verify()
    assert report.ok, report.problems


def test_twenty_confirmations_against_the_limit_never_pass_it(postgres_only):
    time_community()
    receiver = member(name="ผู้รับ บริการ")
    givers = [member(name=f"ผู้ให้ คนที่ {i}") for i in range(20)]
    exchanges = [
        exchange_propose(actor=g, giver=g, receiver=receiver, minutes=60, category_code="repairs")
        for g in givers
    ]

    outcomes = run_at_once([confirm(receiver.pk, e) for e in exchanges], expected=EXPECTED)

    assert sorted(outcomes) == ["beyond_limit"] * 10 + ["ok"] * 10  # the default limit, -600
    assert time_balance(receiver) == -600
    assert Exchange.objects.filter(state="confirmed").count() == 10
    assert sum(time_balance(g) for g in givers) == 600
    ledger_whole()


def test_one_exchange_confirmed_twenty_times_at_once_moves_once_and_credits_once(postgres_only):
    load_small_catalog()
    time_community()
    category_deed_type_link(actor=SYSTEM, category=category_get("rides"), deed_type_code="volunteer-hours")
    giver, receiver = member(name="ผู้ให้"), member(name="ผู้รับ")
    exchange = exchange_propose(
        actor=giver, giver=giver, receiver=receiver, minutes=45, category_code="rides"
    )

    outcomes = run_at_once([confirm(receiver.pk, exchange) for _ in range(20)], expected=EXPECTED)

    assert sorted(outcomes) == ["decided"] * 19 + ["ok"]
    assert (time_balance(giver), time_balance(receiver)) == (45, -45)
    assert LedgerTransaction.objects.filter(kind="time_exchange").count() == 1
    assert LedgerTransaction.objects.filter(kind="deed_credit").count() == 1
    assert person_credit(giver) == 6  # 0.75 hours at 8 credit an hour
    ledger_whole()


def test_a_donation_and_a_confirmation_of_the_same_time_never_both_pass(postgres_only):
    community = time_community()
    pairs = [(member(name=f"ผู้ช่วย {i}"), member(name=f"เพื่อน {i}")) for i in range(10)]
    for helper, other in pairs:
        exchanged(helper, other, 60)  # the helper holds 60 minutes
    timebank_limit_set(actor=SYSTEM, community=community, minutes=0)
    calls = []
    for helper, other in pairs:
        # The helper donates their 60 while confirming 60 received from the other: together they
        # would take the helper to -60, below the limit of 0.
        received = exchange_propose(
            actor=other, giver=other, receiver=helper, minutes=60, category_code="cooking"
        )
        calls += [
            (lambda pk=helper.pk: pool_donate(actor=User.objects.get(pk=pk), minutes=60)),
            confirm(helper.pk, received),
        ]

    outcomes = run_at_once(calls, expected=EXPECTED)

    assert outcomes.count("ok") == 10, outcomes
    assert set(outcomes) <= {"ok", "beyond_limit", "not_enough_time"}
    assert all(time_balance(helper) == 0 for helper, _other in pairs)
    donated = 10 - Exchange.objects.filter(state="confirmed", category__code="cooking").count()
    assert pool_balance(community) == 60 * donated
    ledger_whole()


def test_the_pool_pays_two_covered_exchanges_at_once_only_as_far_as_it_holds(postgres_only):
    community = time_community()
    donor, grandma = member(name="ผู้บริจาค"), member(name="ยาย ผู้รับ")
    visitors = [member(name=f"ผู้เยี่ยม {i}") for i in range(6)]
    exchanged(donor, visitors[0], 150)
    pool_donate(actor=donor, minutes=150)
    visits = []
    for visitor in visitors:
        visit = exchange_propose(
            actor=visitor, giver=visitor, receiver=grandma, minutes=50, category_code="companionship"
        )
        visits.append(exchange_pool_cover(actor=SYSTEM, exchange=visit))

    outcomes = run_at_once([confirm(grandma.pk, v) for v in visits], expected=EXPECTED)

    assert sorted(outcomes) == ["ok"] * 3 + ["pool_short"] * 3
    assert (pool_balance(community), time_balance(grandma)) == (0, 0)
    ledger_whole()
