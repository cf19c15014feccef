"""The notifications app's part of erasure (common/erasure.py): a notification tells the person
about their own deeds (and may quote a verifier's reason), so all of them go, with the person's
choice of e-mail and SMS. Nothing is counted from them."""

from typing import Any

from kwamdee.common.erasure import personal_data_eraser
from kwamdee.notifications.models import Notification, NotificationPreference


@personal_data_eraser("notifications", order=35)
def notifications_erase(person: Any) -> int:
    deleted, _by_model = Notification.objects.filter(person=person).delete()
    NotificationPreference.objects.filter(person=person).delete()
    return deleted
