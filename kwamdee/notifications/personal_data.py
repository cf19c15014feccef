"""What the notifications app holds about a person: their notifications and their choice of
e-mail and SMS (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.notifications.selectors import notifications_of, preferences_of
from kwamdee.notifications.texts import notification_text


@personal_data_section("notifications", order=35)
def notifications_section(person: Any) -> Section:
    prefs = preferences_of(person)
    rows: list[dict[str, Any]] = [
        {
            "kind": str(_("Preference")),
            "title": str(_("By e-mail")) + (": ✓" if prefs.email else ": ✗"),
            "body": str(_("By SMS")) + (": ✓" if prefs.sms else ": ✗"),
            "link": "",
            "created_at": None,
            "read_at": None,
            "delivered_by": "",
        }
    ]
    for row in notifications_of(person=person).order_by("created_at", "id"):
        text = notification_text(row.kind, row.params)
        rows.append({
            "kind": row.get_kind_display(),
            "title": text.title,
            "body": text.body,
            "link": row.link,
            "created_at": row.created_at,
            "read_at": row.read_at,
            "delivered_by": row.delivered_by,
        })  # fmt: skip
    return Section(
        "notifications", _("Notifications"), rows,
        note=_("Read notifications are deleted 180 days after they were read."),
    )  # fmt: skip
