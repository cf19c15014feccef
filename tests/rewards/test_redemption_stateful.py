"""Redemptions against a model, step by step (hypothesis' rule-based state machine): people earn
points and credit, hold points for codes, have them confirmed, cancelled or expired, and have an
earlier credit reversed (what they spent meanwhile stays spent). After every step the ledger is
whole (each unit sums to zero over all accounts; each cached balance is the sum of its postings;
no account that may not go negative is below zero), each person's spendable points are what they
earned, less what was reversed, spent and held, the stock is what the model says, and the level
follows the lifetime credit alone. Each example runs in a savepoint rolled back at its end."""

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from kwamdee.ledger.errors import AlreadyReversed
from kwamdee.ledger.models import Account, LedgerTransaction, Posting
from kwamdee.ledger.services import ledger_transaction_reverse
from kwamdee.ledger.verification import ledger_verify
from kwamdee.rewards.errors import (
    CodeCancelled,
    CodeExpired,
    CodeUsed,
    LevelTooLow,
    LimitReached,
    NotEnoughPoints,
    OutOfStock,
)
from kwamdee.rewards.levels import LevelIn, level_status, levels_set
from kwamdee.rewards.models import Privilege, Redemption
from kwamdee.rewards.redemptions import (
    person_points,
    person_points_held,
    redemption_cancel,
    redemption_confirm,
    redemption_create,
)
from kwamdee.rewards.tasks import redemption_expire_task
from tests.factories import SYSTEM
from tests.rewards.factories import counter_staff, give, make_partner, make_privilege, redeemer

pytestmark = pytest.mark.django_db

LEVELS = [0, 20, 45]  # lifetime credit of ranks 1, 2, 3: small, so that a few earnings cross them
VIRTUES = ["volunteerism", "honesty", "gratitude"]
REFUSAL = {"confirmed": CodeUsed, "expired": CodeExpired, "cancelled": CodeCancelled}
# (cost, stock, min_level, per_person_limit): a scarce one, one for a level with a limit of one
# each, one for a level alone (nothing to hold), one dear and plentiful.
PRIVILEGES = [(4, 2, 0, None), (3, None, 2, 1), (0, 3, 3, None), (9, None, 0, None)]


def rank_of(credit):
    return sum(1 for needed in LEVELS if needed <= credit)


class Redemptions(RuleBasedStateMachine):
    """The model: per person, points per virtue, held, spent and credit; per privilege, the
    stock left; the codes and the earnings, as the ledger should have them."""

    world: dict = {}

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.people = self.world["people"]
        self.privileges = self.world["privileges"]
        self.counter, self.partner = self.world["counter"], self.world["partner"]
        self.balances = [dict.fromkeys(VIRTUES, 0) for _ in self.people]
        self.held = [0 for _ in self.people]
        self.spent = [0 for _ in self.people]
        self.earned = [0 for _ in self.people]
        self.reversed = [0 for _ in self.people]
        self.credit = [0 for _ in self.people]
        self.stock = [p.stock for p in self.privileges]
        self.codes = []  # {"pk", "person", "privilege", "state", "points", "split", "key"}
        self.earnings = []  # {"person", "transaction", "virtue", "points", "credit", "reversed"}

    def teardown(self):
        try:
            report = ledger_verify()
            assert report.ok, report.problems
        finally:
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)

    # --- steps ------------------------------------------------------------------------------

    @initialize(
        points=st.lists(st.integers(0, 40), min_size=2, max_size=2),
        credit=st.lists(st.integers(1, 40), min_size=2, max_size=2),
    )
    def first_earnings(self, points, credit):
        for person in (0, 1):
            self.earn(person=person, points=points[person], credit=credit[person], virtue="volunteerism")

    @rule(
        person=st.integers(0, 1), points=st.integers(0, 30), credit=st.integers(1, 30),
        virtue=st.sampled_from(VIRTUES),
    )  # fmt: skip
    def earn(self, person, points, credit, virtue):
        posted = give(self.people[person], points=points, credit=credit, virtue=virtue)
        self.earnings.append(
            {"person": person, "transaction": posted.pk, "virtue": virtue, "points": points,
             "credit": credit, "reversed": False}
        )  # fmt: skip
        self.balances[person][virtue] += points
        self.earned[person] += points
        self.credit[person] += credit

    @rule(person=st.integers(0, 1), which=st.integers(0, len(PRIVILEGES) - 1))
    def hold(self, person, which):
        privilege = self.privileges[which]
        expected = self._refusal(person, which)
        key = str(uuid.uuid4())
        event(f"hold: {expected.code if expected else 'held'}")
        if expected is not None:
            with pytest.raises(expected):
                redemption_create(actor=self.people[person], privilege=privilege, key=key)
            return
        redemption = redemption_create(actor=self.people[person], privilege=privilege, key=key)
        split = {code: int(n) for code, n in redemption.split.items()}
        assert sum(split.values()) == privilege.cost_points == redemption.points
        for code, n in split.items():
            assert 0 < n <= self.balances[person][code]
            self.balances[person][code] -= n
        self.held[person] += redemption.points
        if self.stock[which] is not None:
            self.stock[which] -= 1
        self.codes.append(
            {"pk": redemption.pk, "person": person, "privilege": which, "state": "held",
             "points": redemption.points, "split": split, "key": key, "code": redemption.code}
        )  # fmt: skip

    @precondition(lambda self: self.codes)
    @rule(data=st.data())
    def hold_again(self, data):
        """The same person asks for what they asked for before (their limit, the stock)."""
        code = data.draw(st.sampled_from(self.codes))
        self.hold(person=code["person"], which=code["privilege"])

    def _refusal(self, person, which):
        """The first refusal the service gives, in its order (the model's own reading)."""
        cost, _stock, min_level, limit = PRIVILEGES[which]
        counted = [c for c in self.codes if (c["person"], c["privilege"]) == (person, which)]
        if self.stock[which] is not None and self.stock[which] <= 0:
            return OutOfStock
        if min_level and rank_of(self.credit[person]) < min_level:
            return LevelTooLow
        if limit and sum(1 for c in counted if c["state"] in ("held", "confirmed")) >= limit:
            return LimitReached
        if sum(self.balances[person].values()) < cost:
            return NotEnoughPoints
        return None

    @precondition(lambda self: self.codes)
    @rule(data=st.data())
    def retry(self, data):
        """The same request again (the same key): the same code, nothing changes."""
        code = data.draw(st.sampled_from(self.codes))
        again = redemption_create(
            actor=self.people[code["person"]], privilege=self.privileges[code["privilege"]], key=code["key"]
        )
        assert again.pk == code["pk"]

    @precondition(lambda self: self.codes)
    @rule(data=st.data())
    def confirm(self, data):
        code = data.draw(st.sampled_from(self.codes))
        event(f"confirm: {code['state']}")
        if code["state"] != "held":
            with pytest.raises(REFUSAL[code["state"]]):
                redemption_confirm(actor=self.counter, partner=self.partner, code=code["code"])
            return
        assert (
            redemption_confirm(actor=self.counter, partner=self.partner, code=code["code"]).state
            == "confirmed"
        )
        code["state"] = "confirmed"
        self.held[code["person"]] -= code["points"]
        self.spent[code["person"]] += code["points"]

    @precondition(lambda self: self.codes)
    @rule(data=st.data(), how=st.sampled_from(["cancel", "expire"]))
    def release(self, data, how):
        code = data.draw(st.sampled_from(self.codes))
        redemption = Redemption.objects.get(pk=code["pk"])
        event(f"{how}: {code['state']}")
        if how == "cancel":
            if code["state"] != "held":
                with pytest.raises(REFUSAL[code["state"]]):
                    redemption_cancel(actor=self.people[code["person"]], redemption=redemption)
                return
            redemption_cancel(actor=self.people[code["person"]], redemption=redemption)
        else:
            # Time moves past the code's expiry; the task booked for it then runs.
            Redemption.objects.filter(pk=code["pk"]).update(expires_at=timezone.now() - timedelta(seconds=1))
            result = redemption_expire_task.call(code["pk"])
            assert result["released"] is (code["state"] == "held")
            if code["state"] != "held":
                return
        code["state"] = "cancelled" if how == "cancel" else "expired"
        for virtue, n in code["split"].items():
            self.balances[code["person"]][virtue] += n
        self.held[code["person"]] -= code["points"]
        if self.stock[code["privilege"]] is not None:
            self.stock[code["privilege"]] += 1

    # Reversals are rare (at most a third of the earnings): the rest of the steps need points.
    @precondition(lambda self: sum(e["reversed"] for e in self.earnings) * 3 < len(self.earnings))
    @rule(data=st.data())
    def reverse(self, data):
        """A wrongly given credit is reversed: all its credit, and its points but those spent."""
        earning = data.draw(st.sampled_from(self.earnings))
        original = LedgerTransaction.objects.get(pk=earning["transaction"])
        if earning["reversed"]:
            with pytest.raises(AlreadyReversed):
                ledger_transaction_reverse(original=original, reason="fraudulent", spent_stays=True)
            return
        person, virtue = earning["person"], earning["virtue"]
        back = min(earning["points"], self.balances[person][virtue])
        posted = ledger_transaction_reverse(original=original, reason="fraudulent", spent_stays=True)
        kept = earning["points"] - back
        event("reverse: some points stay spent" if kept else "reverse: in full")
        assert posted.not_reversed == ({"points": kept} if kept else {})
        earning["reversed"] = True
        self.balances[person][virtue] -= back
        self.reversed[person] += back
        self.credit[person] -= earning["credit"]

    # --- what holds after every step ----------------------------------------------------------

    @invariant()
    def every_unit_sums_to_zero_and_balances_are_their_postings(self):
        by_unit = dict(
            Account.objects.values("unit").annotate(total=Sum("balance")).values_list("unit", "total")
        )
        assert all(total == 0 for total in by_unit.values()), by_unit
        posted = dict(
            Posting.objects.values("account").annotate(total=Sum("amount")).values_list("account", "total")
        )
        cached = dict(Account.objects.values_list("pk", "balance"))
        assert {pk: b for pk, b in cached.items() if b} == {pk: t for pk, t in posted.items() if t}
        assert not Account.objects.filter(allow_negative=False, balance__lt=0).exists()

    @invariant()
    def each_persons_points_and_level_are_the_models(self):
        for i, person in enumerate(self.people):
            spendable = sum(person_points(person).values())
            assert spendable == self.earned[i] - self.reversed[i] - self.spent[i] - self.held[i]
            assert person_points(person) == {v: n for v, n in self.balances[i].items() if n}
            assert person_points_held(person) == self.held[i]
            status = level_status(person)
            assert (status.credit, status.rank) == (self.credit[i], rank_of(self.credit[i]))

    @invariant()
    def the_stock_and_the_partners_points_are_the_models(self):
        left = dict(Privilege.objects.values_list("pk", "stock_left"))
        assert [left[p.pk] for p in self.privileges] == self.stock
        assert all(s is None or s >= 0 for s in self.stock)
        received = Account.objects.filter(kind="partner_received").aggregate(n=Sum("balance"))["n"] or 0
        assert received == sum(self.spent)
        states = dict(Redemption.objects.values_list("pk", "state"))
        assert states == {c["pk"]: c["state"] for c in self.codes}


def test_redemptions_keep_to_the_model():
    levels_set(actor=SYSTEM, community=None, levels=[
        LevelIn(name_th=f"ระดับ {i + 1}", name_en="", min_credit=credit) for i, credit in enumerate(LEVELS)
    ])  # fmt: skip
    partner = make_partner()
    privileges = [
        make_privilege(
            partner, cost=cost, stock=stock, min_level=level, per_person_limit=limit, title_th=f"สิทธิ์ {i}"
        )
        for i, (cost, stock, level, limit) in enumerate(PRIVILEGES)
    ]
    people = [redeemer(name="สมชาย ใจบุญ"), redeemer(name="สมศรี มีสุข")]
    Redemptions.world = {
        "partner": partner,
        "counter": counter_staff(partner),
        "people": people,
        "privileges": privileges,
    }
    try:
        run_state_machine_as_test(
            Redemptions,
            settings=settings(
                max_examples=20, stateful_step_count=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )  # fmt: skip
    finally:
        Redemptions.world = {}
