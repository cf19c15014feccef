"""What the assessment holds about a person (common/personal_data.py): the steps they took in an
organization's self-assessment (started it, answered items, submitted it) and the assessments
they scored as an assessor. The assessments themselves are the organizations' records."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kwamdee.assessments.models import Answer, Assessment
from kwamdee.common.personal_data import Section, personal_data_section


@personal_data_section("assessments", order=72)
def assessments_section(person: Any) -> Section:
    rows = []
    steps = (
        ("started_by", _("You started the self-assessment"), "created_at"),
        ("submitted_by", _("You submitted the self-assessment"), "submitted_at"),
        ("assessor", _("You scored it as the assessor"), "scored_at"),
    )
    assessments = Assessment.objects.filter(
        Q(started_by=person) | Q(submitted_by=person) | Q(assessor=person)
    ).select_related("organization", "level")
    for assessment in assessments:
        for field, what, at in steps:
            if getattr(assessment, f"{field}_id") == person.pk:
                rows.append(
                    {
                        "assessment": str(assessment.public_id),
                        "organization": assessment.organization.name,
                        "what": str(what),
                        "state": assessment.get_status_display(),
                        "at": getattr(assessment, at),
                    }
                )
    answers = Answer.objects.filter(answered_by=person).select_related("assessment__organization", "item")
    for answer in answers:
        rows.append(
            {
                "assessment": str(answer.assessment.public_id),
                "organization": answer.assessment.organization.name,
                "what": str(_("You answered item %(code)s") % {"code": answer.item.code}),
                "state": answer.assessment.get_status_display(),
                "at": answer.updated_at,
            }
        )
    rows.sort(key=lambda row: (row["at"] is None, row["at"]))
    note = _("The answers, scores and comments are the organization's record, kept with its assessment.")
    return Section("assessments", _("Moral-organization assessments you took part in"), rows, note)
