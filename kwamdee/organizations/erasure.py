"""The organizations app's part of erasure (common/erasure.py): the person's memberships (roles
they held, not history) are removed. What they did in a role stays with the deeds they decided."""

from typing import Any

from kwamdee.common.erasure import personal_data_eraser
from kwamdee.organizations.models import Membership


@personal_data_eraser("memberships", order=60)
def memberships_erase(person: Any) -> int:
    return Membership.objects.filter(person=person).delete()[0]
