"""The areas app's part of erasure (common/erasure.py): the person is no longer an admin of any
community (a role, not history). The communities themselves hold nothing about them."""

from typing import Any

from kwamdee.areas.models import Community
from kwamdee.common.erasure import personal_data_eraser


@personal_data_eraser("community_admin", order=61)
def community_admin_erase(person: Any) -> int:
    return Community.admins.through.objects.filter(user=person).delete()[0]
