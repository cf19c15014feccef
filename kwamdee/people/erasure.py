"""The people app's part of erasure (common/erasure.py): the person's own row becomes a tombstone.

- The profile: the name becomes the fixed tombstone words; phone, e-mail and the national-ID
  fingerprint are emptied (which also frees them for a new sign-up); the sign-in becomes random;
  the password unusable; the account inactive, with no role or permission; the subdistrict,
  district, province and community are cleared (the deeds keep where they were recorded, which is
  what statistics count). `public_id` and `ledger_ref` stay: they are pseudonymous, the audit log
  and the ledger point at them, and nothing links them to who the person was any more.
- Consents: the rows stay, as the proof that each consent was given and when (PDPA §19); any still
  in force is withdrawn now. They hold nothing but the purpose, the notice version and times.
- API tokens: deleted (their labels are free text the person wrote); one-time codes too (password
  reset, contact confirmation), and the time the contact was confirmed is cleared with it.
- Two-step sign-in: the authenticator app (its key) and the recovery codes are deleted.
- Requests to join a community (CommunityMembership) and the committee's decisions on them:
  deleted (eraser "community_membership"): they tell which communities the person belonged to.
  The decisions the person made as a committee member about others stay (those people read them),
  naming the tombstone.
- Sign-in records (django-axes) under their phone, e-mail or sign-in: deleted.
- The admin's history of changes to the person's row: its label (the name) becomes the tombstone.
- Sessions: each stops working at its next request (the password hash the session was signed with
  has changed and the account is inactive); the rows hold only the account number and expire."""

import uuid
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kwamdee.common.erasure import ERASED_NAME, personal_data_eraser
from kwamdee.people.models import ApiToken, CommunityMembership, Consent, OneTimeCode, User
from kwamdee.people.two_factor import two_factor_devices_erase


def erased_username() -> str:
    """A random sign-in that nobody can type by chance and that says nothing about the person."""
    return f"erased-{uuid.uuid4().hex}"


@personal_data_eraser("community_membership", order=59)
def community_membership_erase(person: Any) -> int:
    return CommunityMembership.objects.filter(person=person).delete()[0]


@personal_data_eraser("people", order=90)
def person_erase_profile(person: Any) -> int:
    now = timezone.now()
    changed = Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
        withdrawn_at=now, updated_at=now
    )
    changed += ApiToken.objects.filter(person=person).delete()[0]
    changed += two_factor_devices_erase(person)
    changed += OneTimeCode.objects.filter(person=person).delete()[0]
    logins = {login for login in (person.username, person.phone, person.email) if login}
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        changed += model.objects.filter(username__in=logins).delete()[0]
    changed += LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).update(object_repr=ERASED_NAME)
    person.groups.clear()
    person.user_permissions.clear()

    person.username = erased_username()
    person.full_name = ERASED_NAME
    person.first_name = person.last_name = ""
    person.phone = person.email = person.national_id_hash = person.national_id_confirmed_at = None
    person.contact_confirmed_at = None  # of a phone or e-mail that is gone
    person.subdistrict_code = person.district_code = person.province_code = ""
    person.community = None
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    person.save()
    return changed + 1
