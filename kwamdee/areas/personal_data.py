"""The communities a person administers (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import communities_administered_by
from kwamdee.common.personal_data import Section, personal_data_section


@personal_data_section("community_admin", order=61)
def community_admin_section(person: Any) -> Section:
    rows = [{"community": community.name} for community in communities_administered_by(person)]
    return Section("community_admin", _("Communities you administer"), rows)
