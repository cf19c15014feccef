"""The appeals a person made against rejections of their deeds (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.appeals.selectors import appeals_of_person
from kwamdee.common.personal_data import Section, personal_data_section


@personal_data_section("appeals", order=32)
def appeals_section(person: Any) -> Section:
    rows = [
        {
            "public_id": str(appeal.public_id),
            "deed": str(appeal.deed.public_id),
            "statement": appeal.statement,
            "status": appeal.get_status_display(),
            "created_at": appeal.created_at,
            "decided_at": appeal.decided_at,
            "decision_note": appeal.decision_note,
        }
        for appeal in appeals_of_person(person=person).order_by("created_at", "id")
    ]
    return Section("appeals", _("Appeals"), rows)
