"""The activities app's part of erasure (common/erasure.py).

An attendance says where the person was and when. Attendances of activities still open are
removed (the person is no longer on the organizer's list). Attendances of closed activities stay
with their times only as far as the ledger needs them: the deed they made (whose own text deeds'
eraser blanks) and the hours counted; the check-in and check-out times and the registration are
cleared, so the record no longer says at what time the person came and went, and so is the
organizer's note about the person from an attendance file (the hours it gave stay, as counted)."""

from typing import Any

from django.utils import timezone

from kwamdee.activities.choices import ActivityStatus
from kwamdee.activities.models import Attendance
from kwamdee.common.erasure import personal_data_eraser


@personal_data_eraser("activities", order=35)
def activities_erase(person: Any) -> int:
    removed, _by_model = Attendance.objects.filter(
        person=person, activity__status=ActivityStatus.OPEN
    ).delete()
    cleared = Attendance.objects.filter(person=person).update(
        registered_at=None, checked_in_at=None, checked_out_at=None, note="", updated_at=timezone.now()
    )
    return removed + cleared
