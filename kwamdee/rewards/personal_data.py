"""The sponsors a person pledges for (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.rewards.selectors import sponsors_of


@personal_data_section("sponsors", order=62)
def sponsors_section(person: Any) -> Section:
    rows = [{"sponsor": sponsor.name, "kind": sponsor.get_kind_display()} for sponsor in sponsors_of(person)]
    return Section("sponsors", _("Sponsors you act for"), rows)
