from datetime import timedelta

from django.utils import timezone

from kwamdee.activities.selectors import organizer_options
from kwamdee.activities.services import activity_create
from kwamdee.catalog.models import DeedType


def make_activity(
    organizer, *, code="volunteer-hours", subdistrict=None, start=None, hours=3, title="ปลูกป่าชายคลอง"
):
    """An open activity run by `organizer`'s first organization or community."""
    start = start or timezone.now() - timedelta(minutes=5)
    option = organizer_options(organizer)[0]
    return activity_create(
        actor=organizer, organizer=option.value, title=title,
        deed_type_public_id=DeedType.objects.get(code=code, community__isnull=True).public_id,
        subdistrict_code=subdistrict or option.subdistricts()[0],
        starts_at=start, ends_at=start + timedelta(hours=hours),
    )  # fmt: skip
