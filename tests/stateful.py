"""What the ledger's state machines share (hypothesis' rule-based tests over real services):
each example runs in a savepoint rolled back at its end, and the ledger is whole after each step."""

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from kwamdee.ledger.models import Account, Posting
from kwamdee.ledger.verification import ledger_verify


class LedgerMachine(RuleBasedStateMachine):
    """A state machine whose example is rolled back at its end, after `ledger_verify`. The
    objects every example starts from are in `world` (set by `machine_run`)."""

    world: dict = {}

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()

    def teardown(self):
        try:
            report = ledger_verify()
            assert report.ok, report.problems
        finally:
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)


def ledger_consistent():
    """Each unit sums to zero over all accounts, each cached balance is its postings, and no
    account that may not go negative is below zero."""
    by_unit = dict(Account.objects.values("unit").annotate(t=Sum("balance")).values_list("unit", "t"))
    assert all(total == 0 for total in by_unit.values()), by_unit
    posted = dict(Posting.objects.values("account").annotate(t=Sum("amount")).values_list("account", "t"))
    cached = dict(Account.objects.values_list("pk", "balance"))
    assert {pk: b for pk, b in cached.items() if b} == {pk: t for pk, t in posted.items() if t}
    assert not Account.objects.filter(allow_negative=False, balance__lt=0).exists()


def machine_run(machine: type[LedgerMachine], world: dict, *, examples: int = 20, steps: int = 30) -> None:
    machine.world = world
    try:
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )  # fmt: skip
    finally:
        machine.world = {}
