"""The person's requests about their data, with staff's answers (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.privacy.selectors import data_requests_of


@personal_data_section("data_requests", order=85)
def data_requests_section(person: Any) -> Section:
    rows = [
        {
            "public_id": str(request.public_id),
            "kind": request.get_kind_display(),
            "status": request.get_status_display(),
            "created_at": request.created_at,
            "due_at": request.due_at,
            "what_is_wrong": request.what_is_wrong,
            "what_it_should_be": request.what_it_should_be,
            "note": request.note,
            "done_at": request.done_at,
        }
        for request in data_requests_of(person=person)
    ]
    note = _("Corrections you asked for, and staff's answers. Staff answer within 30 days.")
    return Section("data_requests", _("My requests about my data"), rows, note)
