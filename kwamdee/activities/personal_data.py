"""The activities a person took part in (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.activities.selectors import attendances_of_person
from kwamdee.common.personal_data import Section, personal_data_section


@personal_data_section("activities", order=35)
def activities_section(person: Any) -> Section:
    rows = [
        {
            "activity": str(a.activity.public_id),
            "title": a.activity.title,
            "starts_at": a.activity.starts_at,
            "registered_at": a.registered_at,
            "checked_in_at": a.checked_in_at,
            "checked_out_at": a.checked_out_at,
            "hours": a.hours,
            "recorded_by": a.get_source_display(),
            "hours_in_attendance_file": a.declared_hours,
            "note": a.note,
            "outcome": a.get_outcome_display() if a.outcome else "",
            "deed": str(a.deed.public_id) if a.deed else "",
        }
        for a in attendances_of_person(person=person).order_by("created_at", "id")
    ]
    return Section("activities", _("Activities"), rows)
