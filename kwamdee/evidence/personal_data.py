"""The photos and documents a person sent with their deeds (common/personal_data.py). The rows
describe each file; the files themselves are opened from the deed's page."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.evidence.selectors import evidence_uploaded_by


@personal_data_section("evidence", order=31)
def evidence_section(person: Any) -> Section:
    rows = [
        {
            "public_id": str(e.public_id),
            "deed": str(e.deed.public_id),
            "kind": e.get_kind_display(),
            "content_type": e.content_type,
            "size": e.size,
            "sha256": e.sha256,
            "uploaded_at": e.created_at,
        }
        for e in evidence_uploaded_by(person).select_related("deed").order_by("created_at", "id")
    ]
    note = _(
        "Photos are kept without their location or camera details; the original file names are "
        "not kept. Open each file from the page of its deed."
    )
    return Section("evidence", _("Photos and documents"), rows, note)
