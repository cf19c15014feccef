"""The background work of redemptions (rewards/tasks.py): each code books its own release at its
expiry (django-tasks, run by `db_worker`), a sweep catches codes whose booking was lost, and the
`redemptions_expire` command runs the same sweep. Time is moved by setting the code's expiry (and
its booked run) into the past, as a clock would."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kwamdee.common.models import AuditEvent
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.models import Privilege, Redemption
from kwamdee.rewards.redemptions import (
    EXPIRY_ACTOR,
    person_points,
    person_points_held,
    redemption_confirm,
    redemption_create,
)
from kwamdee.rewards.tasks import redemption_expire_task, redemptions_expire_task
from tests.audit import assert_one_audit
from tests.rewards.factories import counter_staff, make_partner, make_privilege, redeemer


def redeem(person, privilege):
    return redemption_create(actor=person, privilege=privilege, key=str(uuid.uuid4()))


def points(person):
    return sum(person_points(person).values()), person_points_held(person)


def past_its_time(redemption):
    """The clock passes the code's expiry: the code and the run booked for it are now due."""
    past = timezone.now() - timedelta(seconds=1)
    Redemption.objects.filter(pk=redemption.pk).update(expires_at=past)
    booked(redemption).update(run_after=past)


def booked(redemption):
    return DBTaskResult.objects.filter(
        task_path=redemption_expire_task.module_path, args_kwargs={"args": [redemption.pk], "kwargs": {}}
    )


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.fixture
def setting(db):
    partner = make_partner()
    return partner, make_privilege(partner, cost=10, stock=3), redeemer(points=30)


@pytest.mark.django_db
def test_a_code_books_its_release_at_its_expiry_once_committed(setting, django_capture_on_commit_callbacks):
    _partner, privilege, person = setting
    with django_capture_on_commit_callbacks(execute=True):
        redemption = redeem(person, privilege)
        assert not booked(redemption).exists()  # nothing a worker could see before the commit
    [task] = booked(redemption)
    assert task.status == "READY" and task.run_after == redemption.expires_at


@pytest.mark.django_db
def test_the_booked_task_releases_a_code_nobody_confirmed(setting):
    _partner, privilege, person = setting
    redemption = redeem(person, privilege)

    assert redemption_expire_task.call(redemption.pk) == {"redemption": redemption.pk, "released": False}
    assert Redemption.objects.get(pk=redemption.pk).state == "held"  # not yet its time

    Redemption.objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert redemption_expire_task.call(redemption.pk) == {"redemption": redemption.pk, "released": True}

    assert Redemption.objects.get(pk=redemption.pk).state == "expired"
    assert points(person) == (30, 0) and Privilege.objects.get(pk=privilege.pk).stock_left == 3
    event = assert_one_audit(RewardsEvent.REDEMPTION_EXPIRE, subject_id=str(redemption.public_id))
    assert event.actor is None and event.system_actor == EXPIRY_ACTOR.name
    # Run again (a retried task): nothing more.
    assert redemption_expire_task.call(redemption.pk)["released"] is False
    assert redemption_expire_task.call(10**9) == {"redemption": 10**9, "released": False}


@pytest.mark.django_db
def test_the_booked_task_leaves_a_confirmed_code_alone(setting):
    partner, privilege, person = setting
    redemption = redeem(person, privilege)
    redemption_confirm(actor=counter_staff(partner), partner=partner, code=redemption.code)
    Redemption.objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert redemption_expire_task.call(redemption.pk)["released"] is False

    assert Redemption.objects.get(pk=redemption.pk).state == "confirmed"
    assert points(person) == (20, 0) and Privilege.objects.get(pk=privilege.pk).stock_left == 2
    assert not AuditEvent.objects.filter(event_type=RewardsEvent.REDEMPTION_EXPIRE).exists()


@pytest.mark.django_db
def test_the_sweep_releases_every_code_past_its_time(setting):
    _partner, privilege, person = setting
    due, waiting = redeem(person, privilege), redeem(person, privilege)
    Redemption.objects.filter(pk=due.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert redemptions_expire_task.call() == {"released": 1}

    assert dict(Redemption.objects.values_list("pk", "state")) == {due.pk: "expired", waiting.pk: "held"}
    assert points(person) == (20, 10)


@pytest.mark.django_db
def test_the_expire_command_runs_the_sweep(setting):
    _partner, privilege, person = setting
    for _ in range(2):
        redemption = redeem(person, privilege)
        Redemption.objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    redeem(person, privilege)
    out = StringIO()

    call_command("redemptions_expire", stdout=out)

    assert out.getvalue().strip() == "released 2"
    assert points(person) == (20, 10) and Privilege.objects.get(pk=privilege.pk).stock_left == 2
    call_command("redemptions_expire", stdout=out)
    assert out.getvalue().split() == ["released", "2", "released", "0"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_booked_release_when_its_time_comes():
    partner = make_partner()
    privilege, person = make_privilege(partner, cost=10, stock=1), redeemer(points=10)
    redemption = redeem(person, privilege)  # commits: the release is booked
    [task] = booked(redemption)

    run_worker()  # not yet its time: the worker leaves it waiting
    task.refresh_from_db()
    assert task.status == "READY" and Redemption.objects.get(pk=redemption.pk).state == "held"

    past_its_time(redemption)
    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.exception_class_path
    assert task.return_value == {"redemption": redemption.pk, "released": True}
    assert Redemption.objects.get(pk=redemption.pk).state == "expired"
    assert points(person) == (10, 0) and Privilege.objects.get(pk=privilege.pk).stock_left == 1
