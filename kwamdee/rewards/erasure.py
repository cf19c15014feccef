"""The rewards app's part of erasure (common/erasure.py): the person no longer acts for any
sponsor (a role, not history). Pledges and payments belong to the sponsor and stay; a sponsor
left with no member needs staff to add one."""

from typing import Any

from kwamdee.common.erasure import personal_data_eraser
from kwamdee.rewards.models import Sponsor


@personal_data_eraser("sponsors", order=62)
def sponsor_members_erase(person: Any) -> int:
    return Sponsor.members.through.objects.filter(user=person).delete()[0]
