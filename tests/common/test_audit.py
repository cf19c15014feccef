"""The audit log: event types are enums, unique across the project; the system is named."""

import importlib
import pkgutil

import pytest
from django.db import transaction

import kwamdee
from kwamdee.common.actors import SystemActor
from kwamdee.common.audit import audit_record
from kwamdee.common.events import CommonEvent, EventType
from kwamdee.common.roles import Role, role_grant
from tests.audit import assert_one_audit
from tests.factories import make_person


def _all_event_enums() -> list[type[EventType]]:
    for module in pkgutil.iter_modules(kwamdee.__path__):
        if module.name.startswith("_") or not module.ispkg:
            continue
        try:
            importlib.import_module(f"kwamdee.{module.name}.events")
        except ModuleNotFoundError:
            continue
    # The apps' own enums only: a test may make one of its own (tests/notifications does).
    return [enum for enum in EventType.__subclasses__() if enum.__module__.startswith("kwamdee.")]


def test_every_app_event_type_is_unique_project_wide():
    enums = _all_event_enums()
    assert {e.__module__.split(".")[1] for e in enums} >= {"areas", "catalog", "deeds", "people", "rewards"}
    values = [str(member) for enum in enums for member in enum]
    assert len(values) == len(set(values)), sorted(v for v in values if values.count(v) > 1)
    assert all(v.count(":") == 1 for v in values)  # subject:action


@pytest.mark.django_db
def test_system_work_is_audited_under_its_name(citizen):
    with transaction.atomic():
        role_grant(actor=SystemActor("nightly"), person=citizen, role=Role.AUDITOR)
    event = assert_one_audit(CommonEvent.ROLE_GRANT, subject_id=str(citizen.public_id))
    assert event.actor is None and event.system_actor == "nightly"
    assert event.data == {"role": Role.AUDITOR}


@pytest.mark.django_db
def test_a_role_granted_twice_is_one_change(citizen):
    with transaction.atomic():
        assert role_grant(actor=SystemActor("t"), person=citizen, role=Role.AUDITOR) is True
        assert role_grant(actor=SystemActor("t"), person=citizen, role=Role.AUDITOR) is False
    assert_one_audit(CommonEvent.ROLE_GRANT)
    assert citizen.has_perm("ledger.audit_ledger")  # the new role counts at once


@pytest.mark.django_db
def test_audit_refuses_a_plain_string_and_an_unsaved_actor():
    person = make_person()
    with transaction.atomic(), pytest.raises(TypeError):
        audit_record(actor=person, event="deed:verify")  # type: ignore[arg-type]
    with transaction.atomic(), pytest.raises(ValueError):
        audit_record(actor=type(person)(), event=CommonEvent.ROLE_GRANT)


def test_audit_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_record(actor=SystemActor("t"), event=CommonEvent.ROLE_GRANT)


def test_every_error_code_is_unique_project_wide():
    # Each app's errors.py enumerates its codes as ServiceError subclasses (code, status and
    # message together); a code means one thing to an API client everywhere.
    from kwamdee.common.errors import ServiceError

    _all_event_enums()  # imports every app

    for module in pkgutil.iter_modules(kwamdee.__path__):
        if module.ispkg and not module.name.startswith("_"):
            try:
                importlib.import_module(f"kwamdee.{module.name}.errors")
            except ModuleNotFoundError:
                continue

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    owners: dict[str, set[str]] = {}
    for cls in subclasses(ServiceError):
        owners.setdefault(cls.code, set()).add(cls.__name__)
    assert len(owners) >= 15
    shared = {code: names for code, names in owners.items() if len(names) > 1}
    assert not shared, shared
