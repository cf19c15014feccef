"""Redemptions at the same moment, on PostgreSQL (row locks): the last item goes to one person, a
person's points are held at most once, a retried request takes effect once, a code is confirmed
or given back (never both), and no lock waits on another in a circle. No point is lost: each
person's spendable + held + spent points are what they had, and every balance stays whole."""

import uuid
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from kwamdee.ledger.models import Account
from kwamdee.ledger.verification import ledger_verify
from kwamdee.people.models import User
from kwamdee.rewards.errors import CodeCancelled, CodeUsed, NotEnoughPoints, OutOfStock
from kwamdee.rewards.models import Privilege, Redemption
from kwamdee.rewards.redemptions import (
    person_points,
    person_points_held,
    redemption_cancel,
    redemption_confirm,
    redemption_create,
)
from kwamdee.rewards.tasks import redemption_expire_task
from tests.concurrency import run_at_once
from tests.rewards.factories import counter_staff, make_partner, make_privilege, redeemer

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 50


def create(person_pk, privilege, key=None):
    """A redemption as one request makes it: the person read afresh on the thread's connection."""
    return lambda: redemption_create(
        actor=User.objects.get(pk=person_pk), privilege=privilege, key=key or str(uuid.uuid4())
    )


def spent(person):
    return Redemption.objects.filter(person=person, state="confirmed").aggregate(n=Sum("points"))["n"] or 0


def whole(person, had):
    """The person's spendable, held and spent points add up to what they had."""
    spendable, held = sum(person_points(person).values()), person_points_held(person)
    assert min(spendable, held) >= 0
    assert spendable + held + spent(person) == had, (spendable, held, spent(person))
    return spendable, held


def ledger_whole():
    assert not Account.objects.filter(allow_negative=False, balance__lt=0).exists()
    report = ledger_verify()
    assert report.ok, report.problems


def test_fifty_people_at_once_for_the_last_item_one_gets_it(postgres_only):
    partner = make_partner()
    privilege = make_privilege(partner, cost=10, stock=1)
    people = [redeemer(points=10, name=f"คนที่ {i}") for i in range(THREADS)]

    outcomes = run_at_once(
        [create(p.pk, privilege) for p in people],
        expected={OutOfStock: "out_of_stock", NotEnoughPoints: "not_enough_points"},
    )

    assert sorted(outcomes) == ["ok"] + ["out_of_stock"] * (THREADS - 1)
    assert Privilege.objects.get(pk=privilege.pk).stock_left == 0
    [winner] = Redemption.objects.all()
    for person in people:
        assert whole(person, 10) == ((0, 10) if person.pk == winner.person_id else (10, 0))
    ledger_whole()


def test_fifty_requests_of_one_person_with_points_for_three_hold_three(postgres_only):
    partner = make_partner()
    privilege = make_privilege(partner, cost=10)
    person = redeemer(points=30)

    outcomes = run_at_once(
        [create(person.pk, privilege) for _ in range(THREADS)],
        expected={NotEnoughPoints: "not_enough_points", OutOfStock: "out_of_stock"},
    )

    assert sorted(outcomes) == ["not_enough_points"] * (THREADS - 3) + ["ok"] * 3
    assert Redemption.objects.filter(person=person, state="held").count() == 3
    assert whole(person, 30) == (0, 30)
    ledger_whole()


def test_fifty_retries_with_one_key_make_one_redemption(postgres_only):
    partner = make_partner()
    privilege = make_privilege(partner, cost=10, stock=5)
    person = redeemer(points=30)
    got = []
    call = create(person.pk, privilege, key="one-tap")

    outcomes = run_at_once([lambda: got.append(call().pk) for _ in range(THREADS)])

    assert outcomes == ["ok"] * THREADS
    [redemption] = Redemption.objects.all()
    assert got == [redemption.pk] * THREADS
    assert Privilege.objects.get(pk=privilege.pk).stock_left == 4
    assert whole(person, 30) == (20, 10)
    ledger_whole()


def test_a_code_confirmed_and_cancelled_at_once_is_one_or_the_other(postgres_only):
    partner = make_partner()
    privilege = make_privilege(partner, cost=3, stock=30)
    person = redeemer(points=60)
    codes = [create(person.pk, privilege)() for _ in range(20)]
    counter = counter_staff(partner)

    def confirm(code):
        return lambda: redemption_confirm(actor=User.objects.get(pk=counter.pk), partner=partner, code=code)

    def cancel(redemption):
        return lambda: redemption_cancel(actor=User.objects.get(pk=person.pk), redemption=redemption)

    outcomes = run_at_once(
        [confirm(r.code) for r in codes] + [cancel(r) for r in codes],
        expected={CodeUsed: "used", CodeCancelled: "cancelled"},
    )

    assert outcomes.count("ok") == 20 and len(outcomes) == 40
    assert set(outcomes) <= {"ok", "used", "cancelled"}
    states = list(Redemption.objects.values_list("state", flat=True))
    assert sorted(set(states)) <= ["cancelled", "confirmed"] and len(states) == 20
    confirmed = states.count("confirmed")
    assert whole(person, 60) == (60 - 3 * confirmed, 0)
    assert Privilege.objects.get(pk=privilege.pk).stock_left == 30 - confirmed
    assert Account.objects.get(kind="partner_received").balance == 3 * confirmed
    ledger_whole()


def test_codes_cancelled_while_new_ones_are_taken_never_wait_in_a_circle(postgres_only):
    # Taking a code locks the person, then their chain; a cancel writes an audit row that names
    # the person (a key-share lock on their row) after locking the chain: it must lock the
    # person first too, or the two wait on each other.
    partner = make_partner()
    privilege = make_privilege(partner, cost=1, stock=100)
    person = redeemer(points=100)
    held = [create(person.pk, privilege)() for _ in range(25)]

    def cancel(redemption):
        return lambda: redemption_cancel(actor=User.objects.get(pk=person.pk), redemption=redemption)

    outcomes = run_at_once([cancel(r) for r in held] + [create(person.pk, privilege) for _ in range(25)])

    assert outcomes == ["ok"] * 50, sorted(set(outcomes))
    assert Redemption.objects.filter(state="held").count() == 25
    assert whole(person, 100) == (75, 25)
    assert Privilege.objects.get(pk=privilege.pk).stock_left == 75
    ledger_whole()


def test_codes_expiring_while_new_ones_are_taken_never_wait_in_a_circle(postgres_only):
    # One person's chain and one privilege's stock: taking a code locks the stock, then the chain;
    # the expiry (no person lock: the system acts) must lock them in the same order.
    partner = make_partner()
    privilege = make_privilege(partner, cost=1, stock=100)
    person = redeemer(points=100)
    held = [create(person.pk, privilege)() for _ in range(25)]
    Redemption.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    def expire(redemption):
        return lambda: redemption_expire_task.call(redemption.pk)

    outcomes = run_at_once([expire(r) for r in held] + [create(person.pk, privilege) for _ in range(25)])

    assert outcomes == ["ok"] * 50, sorted(set(outcomes))
    assert Redemption.objects.filter(state="expired").count() == 25
    assert whole(person, 100) == (75, 25)
    assert Privilege.objects.get(pk=privilege.pk).stock_left == 75
    ledger_whole()
