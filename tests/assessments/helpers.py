"""Shared set-ups for the assessment tests: an organization with an admin, and an independent
assessor."""

from django.contrib.auth import get_user_model

from kwamdee.common.actors import SystemActor
from kwamdee.common.roles import Role, role_grant
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.services import membership_grant
from tests.factories import make_person
from tests.organizations.factories import OrganizationFactory

SYSTEM = SystemActor("tests")


def fresh(person):
    return get_user_model().objects.get(pk=person.pk)  # a fresh permission cache


def make_organization(name="โรงเรียนบ้านหนองสาหร่าย", **kwargs):
    return OrganizationFactory(name_th=name, **kwargs)


def make_admin(organization, name="ผู้บริหาร องค์กรดี"):
    person = make_person(name=name)
    membership_grant(actor=SYSTEM, organization=organization, person=person, role=MembershipRole.ADMIN)
    return fresh(person)


def make_assessor(name="ผู้ประเมิน อิสระ"):
    person = make_person(name=name)
    role_grant(actor=SYSTEM, person=person, role=Role.MORAL_ASSESSOR)
    return fresh(person)
