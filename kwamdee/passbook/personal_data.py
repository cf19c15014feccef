"""The passbook: every credit and points entry of a person (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.passbook.selectors import passbook_entry_count, passbook_get


@personal_data_section("passbook", order=40)
def passbook_section(person: Any) -> Section:
    book = passbook_get(person=person, limit=max(passbook_entry_count(person=person), 1))
    rows = [
        {
            "transaction": str(entry.transaction),
            "credited_at": entry.created_at,
            "what": entry.description.title or entry.kind,
            "done_on": entry.description.done_on,
            "rule": entry.description.rule,
            "credit": entry.credit,
            "points": entry.points,
        }
        for entry in reversed(book.entries)
    ]
    note = _("Lifetime credit %(credit)s, points %(points)s.") % {
        "credit": book.credit_total,
        "points": book.points_total,
    }
    return Section("passbook", _("Passbook"), rows, note)
