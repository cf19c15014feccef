"""Fixtures of the interchange tests: the default catalog and a staff member (service, web, API)."""

import pytest

from kwamdee.catalog.services import catalog_load_default
from kwamdee.common.roles import role_grant
from kwamdee.people.models import User
from tests.factories import PASSWORD, SYSTEM, make_person


@pytest.fixture
def default_catalog(db):
    catalog_load_default(actor=SYSTEM)


@pytest.fixture
def staff(db):
    person = make_person(name="เจ้าหน้าที่ ส่วนกลาง")
    role_grant(actor=SYSTEM, person=person, role="staff")
    return User.objects.get(pk=person.pk)


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.phone, password=PASSWORD)
    return client


@pytest.fixture
def staff_token(client, staff):
    from tests.api.test_api import token_for

    return token_for(client, staff.phone)
