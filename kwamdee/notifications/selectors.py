"""Reads of notifications: a person's list, the header's count, and where messages may go."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kwamdee.notifications.choices import Channel
from kwamdee.notifications.models import Notification, NotificationPreference
from kwamdee.people.selectors import consent_active, contact_confirmed


def notifications_of(*, person: Any) -> QuerySet[Notification]:
    """A person's notifications, newest first."""
    return Notification.objects.filter(person=person).order_by("-created_at", "-id")


def unread_count(*, person: Any) -> int:
    """How many of the person's notifications are unread: one COUNT on a partial index."""
    if not getattr(person, "is_authenticated", False):
        return 0
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def confirmed_contacts(person: Any) -> dict[str, str]:
    """The addresses the person proved are theirs, by channel. The one-time code confirms the
    phone or e-mail they sign in with (people.selectors.contact_confirmed), so that is the one
    counted; another address on the profile is not proved and gets nothing."""
    if not contact_confirmed(person):
        return {}
    contacts = {}
    if person.email and person.username == person.email:
        contacts[Channel.EMAIL.value] = person.email
    if person.phone and person.username == person.phone:
        contacts[Channel.SMS.value] = person.phone
    return contacts


@dataclass(frozen=True)
class Preferences:
    email: bool  # wanted by e-mail
    sms: bool  # wanted by SMS
    contacts: dict[str, str]  # the confirmed addresses (confirmed_contacts)
    saved: bool  # chosen by the person (False: the defaults)


def preferences_of(person: Any) -> Preferences:
    """What the person chose, or the defaults: the in-app list always, e-mail when they have a
    confirmed e-mail, SMS off (it costs, and a code-only phone may be shared)."""
    contacts = confirmed_contacts(person)
    row = NotificationPreference.objects.filter(person=person).first()
    if row is None:
        return Preferences(email=Channel.EMAIL in contacts, sms=False, contacts=contacts, saved=False)
    return Preferences(email=row.email, sms=row.sms, contacts=contacts, saved=True)


def delivery_channels(person: Any) -> dict[str, str]:
    """Where a notification for `person` goes now, besides the in-app list: nowhere for a person
    who is erased or inactive or withdrew their consent to take part, else each channel they
    want and proved. {channel: address}."""
    if not person.is_active or consent_active(person=person) is None:
        return {}
    prefs = preferences_of(person)
    wanted = {Channel.EMAIL.value: prefs.email, Channel.SMS.value: prefs.sms}
    return {channel: to for channel, to in prefs.contacts.items() if wanted.get(channel)}
