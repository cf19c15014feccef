"""The time bank against a model, step by step (hypothesis' rule-based state machine): members
propose exchanges either way, confirm, decline or withdraw them (and try to confirm out of turn,
or twice), donate to the pool, the committee has the pool cover an exchange and changes the
limit. The model predicts every refusal. After every step: minutes sum to zero over all accounts,
each cached balance is the sum of its postings, each member's balance and the pool are the
model's, no member went below the limit in force when their balance went down, and the pool never
below zero. Each example runs in a savepoint rolled back at its end."""

import pytest
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.timebank.errors import BeyondLimit, ExchangeDecided, NotEnoughTime, PoolShort
from kwamdee.timebank.ledger import pool_balance, time_balance
from kwamdee.timebank.services import (
    exchange_confirm,
    exchange_decline,
    exchange_pool_cover,
    exchange_propose,
    exchange_withdraw,
    pool_donate,
    timebank_limit_set,
)
from tests.factories import SYSTEM
from tests.stateful import LedgerMachine, ledger_consistent, machine_run
from tests.timebank.factories import member, time_community

pytestmark = pytest.mark.django_db

MEMBERS = 4
LIMITS = [-600, -120, 0]


class TimeBank(LedgerMachine):
    """The model: each member's balance, the pool, the limit, and the exchanges as they should be."""

    def __init__(self):
        super().__init__()
        self.community, self.people = self.world["community"], self.world["people"]
        self.balance = [0] * MEMBERS
        self.pool = 0
        self.limit = -600
        self.lowest_limit = -600
        self.exchanges = []  # {"obj", "giver", "receiver", "proposer", "minutes", "state", "pool"}

    # --- steps ------------------------------------------------------------------------------

    @rule(
        giver=st.integers(0, MEMBERS - 1), receiver=st.integers(0, MEMBERS - 1),
        minutes=st.integers(1, 240), giver_proposes=st.booleans(),
    )  # fmt: skip
    def propose(self, giver, receiver, minutes, giver_proposes):
        if giver == receiver:
            return
        proposer = giver if giver_proposes else receiver
        exchange = exchange_propose(
            actor=self.people[proposer], giver=self.people[giver], receiver=self.people[receiver],
            minutes=minutes, category_code="elder-care",
        )  # fmt: skip
        self.exchanges.append(
            {"obj": exchange, "giver": giver, "receiver": receiver, "proposer": proposer,
             "minutes": minutes, "state": "proposed", "pool": False}
        )  # fmt: skip

    @precondition(lambda self: self.exchanges)
    @rule(data=st.data(), who=st.sampled_from(["other", "proposer", "third"]))
    def confirm(self, data, who, ex=None):
        ex = ex or data.draw(st.sampled_from(self.exchanges))
        other = ex["receiver"] if ex["proposer"] == ex["giver"] else ex["giver"]
        third = next(i for i in range(MEMBERS) if i not in (ex["giver"], ex["receiver"]))
        actor = self.people[{"other": other, "proposer": ex["proposer"], "third": third}[who]]
        if who == "third":
            expected = NotFound
        elif ex["state"] != "proposed":
            expected = ExchangeDecided
        elif who == "proposer":
            expected = PermissionDenied
        elif ex["pool"]:
            expected = PoolShort if self.pool < ex["minutes"] else None
        else:
            expected = BeyondLimit if self.balance[ex["receiver"]] - ex["minutes"] < self.limit else None
        event(f"confirm by {who}: {expected.__name__ if expected else 'confirmed'}")
        if expected is not None:
            with pytest.raises(expected):
                exchange_confirm(actor=actor, exchange=ex["obj"])
            return
        exchange_confirm(actor=actor, exchange=ex["obj"])
        ex["state"] = "confirmed"
        if ex["pool"]:
            self.pool -= ex["minutes"]
        else:
            self.balance[ex["receiver"]] -= ex["minutes"]
        self.balance[ex["giver"]] += ex["minutes"]

    @precondition(lambda self: any(e["state"] == "proposed" for e in self.exchanges))
    @rule(data=st.data())
    def confirm_waiting(self, data):
        """The usual path: the other side confirms an exchange that waits for them."""
        waiting = [e for e in self.exchanges if e["state"] == "proposed"]
        self.confirm(data=data, who="other", ex=data.draw(st.sampled_from(waiting)))

    @precondition(lambda self: self.exchanges)
    @rule(data=st.data(), how=st.sampled_from(["decline", "withdraw"]))
    def close(self, data, how):
        ex = data.draw(st.sampled_from(self.exchanges))
        other = ex["receiver"] if ex["proposer"] == ex["giver"] else ex["giver"]
        actor = self.people[other if how == "decline" else ex["proposer"]]
        service = exchange_decline if how == "decline" else exchange_withdraw
        if ex["state"] != "proposed":
            with pytest.raises(ExchangeDecided):
                service(actor=actor, exchange=ex["obj"])
            return
        service(actor=actor, exchange=ex["obj"])
        ex["state"] = "declined" if how == "decline" else "withdrawn"

    @rule(who=st.integers(0, MEMBERS - 1), minutes=st.integers(1, 90))
    def donate(self, who, minutes):
        if self.balance[who] < minutes:
            with pytest.raises(NotEnoughTime):
                pool_donate(actor=self.people[who], minutes=minutes)
            return
        pool_donate(actor=self.people[who], minutes=minutes)
        self.balance[who] -= minutes
        self.pool += minutes

    @precondition(lambda self: any(e["state"] == "proposed" and not e["pool"] for e in self.exchanges))
    @rule(data=st.data())
    def pool_cover(self, data):
        ex = data.draw(
            st.sampled_from([e for e in self.exchanges if e["state"] == "proposed" and not e["pool"]])
        )
        if self.pool < ex["minutes"]:
            with pytest.raises(PoolShort):
                exchange_pool_cover(actor=SYSTEM, exchange=ex["obj"])
            return
        exchange_pool_cover(actor=SYSTEM, exchange=ex["obj"])
        ex["pool"] = True

    @rule(limit=st.sampled_from(LIMITS))
    def set_limit(self, limit):
        timebank_limit_set(actor=SYSTEM, community=self.community, minutes=limit)
        self.limit = limit
        self.lowest_limit = min(self.lowest_limit, limit)

    # --- what holds after every step ----------------------------------------------------------

    @invariant()
    def every_unit_sums_to_zero_and_balances_are_their_postings(self):
        ledger_consistent()

    @invariant()
    def balances_and_the_pool_are_the_models(self):
        assert [time_balance(p) for p in self.people] == self.balance
        assert pool_balance(self.community) == self.pool >= 0
        assert min(self.balance) >= self.lowest_limit


def test_the_time_bank_keeps_to_the_model():
    community = time_community()
    people = [member(name=f"สมาชิก คนที่ {i}") for i in range(MEMBERS)]
    machine_run(TimeBank, {"community": community, "people": people}, examples=60, steps=50)
