"""What the assessment holds about the people in it: the steps each took, on their "my data"
page; erasing an assessor keeps the organization's record, naming the tombstone."""

import pytest
from django.utils import translation

from kwamdee.assessments.models import Assessment
from kwamdee.common.erasure import ERASED_NAME
from kwamdee.common.personal_data import personal_data_collect
from kwamdee.privacy.services import person_erase
from tests.assessments.helpers import fresh, make_admin, make_assessor, make_organization
from tests.assessments.test_flow import _assessed
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _section(person):
    return next(s for s in personal_data_collect(person) if s.key == "assessments")


def test_the_section_lists_each_step_the_person_took():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()
    _assessed(organization, admin, assessor)
    with translation.override("en"):
        mine = [row["what"] for row in _section(admin).rows]
        theirs = [row["what"] for row in _section(assessor).rows]
    assert mine.count("You started the self-assessment") == 1
    assert mine.count("You submitted the self-assessment") == 1
    assert len([w for w in mine if w.startswith("You answered item")]) == 11
    assert theirs == ["You scored it as the assessor"]
    assert {row["organization"] for row in _section(assessor).rows} == {organization.name_th}


def test_erasing_an_assessor_keeps_the_assessment_naming_the_tombstone():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()
    assessment = _assessed(organization, admin, assessor)
    person_erase(actor=assessor, person=fresh(assessor), password=PASSWORD)
    assessment = Assessment.objects.select_related("assessor").get(pk=assessment.pk)
    assert assessment.assessor.full_name == ERASED_NAME and assessment.level is not None
