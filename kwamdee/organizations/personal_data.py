"""The organizations a person acts for, and in which role (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.organizations.models import Membership


@personal_data_section("memberships", order=60)
def memberships_section(person: Any) -> Section:
    rows = [
        {
            "organization": membership.organization.name,
            "role": membership.get_role_display(),
            "since": membership.created_at,
        }
        for membership in Membership.objects.filter(person=person).select_related("organization")
    ]
    return Section("memberships", _("Organizations"), rows)
