"""Templates as data: the default template shipped by the migration, the JSON round trip, and the
one check every import goes through."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kwamdee import assessments
from kwamdee.assessments.choices import ScoringRule
from kwamdee.assessments.documents import template_document, template_document_problems
from kwamdee.assessments.errors import TemplateInvalid
from kwamdee.assessments.events import AssessmentsEvent
from kwamdee.assessments.selectors import template_in_force
from kwamdee.assessments.services import template_import
from kwamdee.common.errors import PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from tests.assessments.helpers import SYSTEM, fresh
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_the_default_template_loads_and_is_valid():
    template = template_in_force()
    assert template is not None and template.version == 1
    assert [level.name_th for level in template.levels.order_by("order")] == [
        "องค์กรส่งเสริมคุณธรรม", "องค์กรคุณธรรม", "องค์กรคุณธรรมต้นแบบ",
    ]  # fmt: skip
    assert list(template.activities.values_list("number", flat=True)) == list(range(1, 10))
    items = [item for activity in template.activities.all() for item in activity.items.all()]
    assert {item.rule for item in items} == set(ScoringRule.values)
    declaration = next(item for item in items if item.code == "1.1")
    assert (declaration.threshold_full, declaration.threshold_half) == (80, 50)
    assert declaration.evidence_required and "depa.or.th" in declaration.source
    assert template.certificate_years == 3
    assert template_document_problems(template_document(template)) == {}
    # Every item says where it comes from: a published source, or drafted.
    assert all(item.source for item in items)


def test_the_default_template_reads_back_as_the_shipped_file():
    shipped = Path(assessments.__file__).parent / "data" / "moral_organization.json"
    assert template_document(template_in_force()) == json.loads(shipped.read_text("utf-8"))


def test_a_template_survives_export_and_import(citizen):
    staff = make_person(name="เจ้าหน้าที่ ศูนย์คุณธรรม")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    first = template_document(template_in_force())
    again = template_import(actor=fresh(staff), document=json.dumps(first, ensure_ascii=False))
    assert again.version == 2 and template_in_force() == again
    assert template_document(again) == first
    event = AuditEvent.objects.get(event_type=AssessmentsEvent.TEMPLATE_IMPORT)
    assert event.data == {"code": "moral_organization", "version": 2, "items": 11}


def test_only_staff_import_templates(citizen):
    with pytest.raises(PermissionDenied):
        template_import(actor=citizen, document=template_document(template_in_force()))


def _broken(change):
    document = copy.deepcopy(template_document(template_in_force()))
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(format="something else"), "format"),
        (lambda d: d.update(certificate_years=0), "certificate_years"),
        (lambda d: d["levels"][1].update(code="promoting"), "levels[1].code"),
        (lambda d: d["levels"][0].update(min_percent="120"), "levels[0].min_percent"),
        (lambda d: d["activities"][0].update(level="nowhere"), "activities[0].level"),
        (lambda d: d["activities"][1].update(number=1), "activities[1].number"),
        (
            lambda d: d["activities"][0]["items"][0].update(threshold_half="90"),
            "activities[0].items[0].threshold_full",
        ),
        (lambda d: d["activities"][0]["items"][0].update(rule="guess"), "activities[0].items[0].rule"),
        (lambda d: d["activities"][3]["items"][1].update(figure=""), "activities[3].items[1].figure"),
        (lambda d: d["activities"][1]["items"][0].update(code="1.1"), "activities[1].items[0].code"),
        (
            lambda d: d["activities"][0]["items"][0].update(text_th="\u202eกลับด้าน"),
            "activities[0].items[0].text_th",
        ),
        (
            lambda d: d["activities"][0]["items"][0].update(evidence_th=""),
            "activities[0].items[0].evidence_th",
        ),
    ],
)
def test_a_broken_template_is_refused_by_where_it_is_wrong(change, where):
    problems = template_document_problems(_broken(change))
    assert where in problems


def test_an_import_that_is_not_json_changes_nothing():
    with pytest.raises(TemplateInvalid) as refused:
        template_import(actor=SYSTEM, document="{not json")
    assert "document" in refused.value.fields
    assert template_in_force().version == 1


def test_the_command_exports_and_imports():
    out = StringIO()
    call_command("assessment_template", "export", "moral_organization", stdout=out)
    assert json.loads(out.getvalue())["code"] == "moral_organization"
    out = StringIO()
    call_command("assessment_template", "import", "default", stdout=out)
    assert out.getvalue().strip() == "moral_organization v2"
