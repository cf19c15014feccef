"""The deeds a person recorded, with what was decided about them (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.deeds.selectors import deed_questions_of_person, deeds_of_person


@personal_data_section("deeds", order=30)
def deeds_section(person: Any) -> Section:
    rows = [
        {
            "public_id": str(deed.public_id),
            "deed_type": deed.deed_type.name,
            "performed_on": deed.performed_on,
            "quantity": deed.quantity,
            "description": deed.description,
            "status": deed.get_status_display(),
            "recorded_at": deed.created_at,
            "decided_at": deed.decided_at,
            "rejection_code": deed.get_rejection_code_display(),
            "rejection_reason": deed.rejection_reason,
            "credit": deed.credit_awarded,
            "points": deed.points_awarded,
            "subdistrict_code": deed.subdistrict_code,
        }
        for deed in deeds_of_person(person=person).order_by("created_at", "id")
    ]
    return Section("deeds", _("Deeds"), rows)


@personal_data_section("deed_questions", order=31)
def deed_questions_section(person: Any) -> Section:
    """What verifiers asked about the person's deeds, and what they answered."""
    rows = [
        {
            "deed": str(q.deed.public_id),
            "question": q.question,
            "asked_at": q.asked_at,
            "answer": q.answer,
            "answered_at": q.answered_at,
        }
        for q in deed_questions_of_person(person=person)
    ]
    return Section("deed_questions", _("Questions about your deeds"), rows)
