"""Communities: created by staff, administered by their admins, one rule for who acts for one."""

import pytest
from django.db import transaction

from kwamdee.areas.events import AreasEvent
from kwamdee.areas.selectors import (
    communities_administered_by,
    community_administered_by,
    community_get,
)
from kwamdee.areas.services import community_admin_grant, community_catalog_adopt, community_create
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.roles import Role, role_grant
from kwamdee.people.models import User
from tests.audit import assert_one_audit
from tests.factories import NONG_SARAI, SYSTEM, make_person

pytestmark = pytest.mark.django_db


def staff_member():
    person = make_person(name="เจ้าหน้าที่")
    with transaction.atomic():
        role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return User.objects.get(pk=person.pk)


def test_staff_create_a_community_in_a_real_subdistrict():
    staff = staff_member()
    community = community_create(actor=staff, name_th=" ธนาคารความดี ", subdistrict_code=NONG_SARAI)
    assert (community.name_th, community.province_code, community.district_code) == (
        "ธนาคารความดี", "71", "7109",
    )  # fmt: skip
    event = assert_one_audit(AreasEvent.COMMUNITY_CREATE)
    assert event.actor == staff and event.subject_id == str(community.public_id)
    assert community_get(community.public_id) == community
    assert community_get("not-a-uuid") is None


def test_community_needs_a_name_and_a_real_subdistrict_and_staff(citizen):
    with pytest.raises(ValidationFailed) as refused:
        community_create(actor=SYSTEM, name_th=" ", subdistrict_code="999999")
    assert set(refused.value.fields) == {"name_th", "subdistrict_code"}
    with pytest.raises(PermissionDenied):
        community_create(actor=citizen, name_th="ชุมชน", subdistrict_code=NONG_SARAI)


def test_admins_act_for_their_community_only(citizen):
    community = community_create(actor=SYSTEM, name_th="ชุมชน", subdistrict_code=NONG_SARAI)
    other = community_create(actor=SYSTEM, name_th="อื่น", subdistrict_code=NONG_SARAI)
    assert community_admin_grant(actor=SYSTEM, community=community, person=citizen) is True
    assert community_admin_grant(actor=SYSTEM, community=community, person=citizen) is False
    assert_one_audit(AreasEvent.COMMUNITY_ADMIN_GRANT)
    admin = User.objects.get(pk=citizen.pk)
    assert community_administered_by(admin, community) and not community_administered_by(admin, other)
    assert communities_administered_by(admin) == [community]
    # an admin may add a fellow admin; a stranger may not
    stranger = make_person(name="คนนอก")
    with pytest.raises(PermissionDenied):
        community_admin_grant(actor=stranger, community=community, person=stranger)
    community_admin_grant(actor=admin, community=community, person=stranger)
    assert community.admins.count() == 2


def test_catalog_adoption_is_recorded_once(citizen):
    community = community_create(actor=SYSTEM, name_th="ชุมชน", subdistrict_code=NONG_SARAI)
    with pytest.raises(PermissionDenied):
        community_catalog_adopt(actor=citizen, community=community)
    assert community_catalog_adopt(actor=SYSTEM, community=community) is True
    assert community_catalog_adopt(actor=SYSTEM, community=community) is False
    assert_one_audit(AreasEvent.COMMUNITY_CATALOG_ADOPT)
    assert community.catalog_adopted_at is not None
