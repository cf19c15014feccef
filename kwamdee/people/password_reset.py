"""Writes of the password reset by a one-time code (docs/privacy.md, "Password reset codes").

1. `password_reset_request`: the person types their phone number or e-mail address. The answer
   is the same whether an account has it or not; when one does, a 6-digit code goes to that
   phone or address (people/messaging.py). Only a keyed hash of the code is stored.
2. `password_reset_verify`: the code, within ONE_TIME_CODE_MINUTES and ONE_TIME_CODE_MAX_TRIES
   tries; one answer for every way it can fail. The codes themselves follow one rule for every
   purpose (people/codes.py).
3. `password_reset_complete`: a new password, once, within the same time after the code was
   entered; every session and API token of the person ends.

Requests and codes are throttled per login and per client (people/ratelimit.py): over the limit,
`RateLimited` (429), the same for accounts that exist and those that do not."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kwamdee.common.actors import SystemActor
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.people.choices import CodePurpose, MessageChannel
from kwamdee.people.codes import Destination, code_issue, code_minutes, code_try, decoy_work
from kwamdee.people.errors import ChannelNotAvailable, RateLimited, ResetCodeInvalid, ResetExpired
from kwamdee.people.events import PeopleEvent
from kwamdee.people.messaging import channel_available
from kwamdee.people.models import OneTimeCode, User
from kwamdee.people.ratelimit import rate_exceeded
from kwamdee.people.selectors import person_by_login
from kwamdee.people.services import THAI_MOBILE, api_tokens_revoke_all, login_normalize, person_locked

# Who acts when someone who is not signed in asks for a code: the audit row names it, and its
# subject is the person whose account it is.
RESET_ACTOR = SystemActor("password-reset")


def reset_channel(login: str) -> str | None:
    """How a code for `login` would travel: by e-mail for an address, by SMS for a Thai mobile
    number; None for anything else. Decided by what was typed, never by whether an account
    exists."""
    login = login_normalize(login or "")
    if "@" in login:
        return MessageChannel.EMAIL
    if THAI_MOBILE.match(login):
        return MessageChannel.SMS
    return None


def reset_login_problems(login: str) -> dict[str, list[Any]]:
    channel = reset_channel(login)
    if channel is None:
        return {"login": [_("Enter the phone number or e-mail address you joined with.")]}
    if not channel_available(channel):
        return {"login": [ChannelNotAvailable.message]}
    return {}


def _throttle(scope: str, value: str | None, limit: tuple[int, int]) -> bool:
    return rate_exceeded(f"password-reset-{scope}", value, limit=limit)


@transaction.atomic
def password_reset_request(*, login: str, client: str | None) -> None:
    """Sends a code to the account of `login`, if there is one. Says nothing about whether there
    is: the caller answers "if an account exists, a code was sent" either way."""
    problems = reset_login_problems(login)
    if problems:
        error = (
            ChannelNotAvailable if problems["login"] == [ChannelNotAvailable.message] else ValidationFailed
        )
        raise error(fields=problems)
    normalized = login_normalize(login)
    over_client = _throttle("client", client, settings.PASSWORD_RESET_LIMIT_PER_CLIENT)
    over_login = _throttle("login", normalized, settings.PASSWORD_RESET_LIMIT_PER_LOGIN)
    if over_client or over_login:
        raise RateLimited()
    person = person_by_login(normalized)
    if person is None or not person.is_active:
        decoy_work()  # the same work as for a real account
        return
    channel = reset_channel(normalized)
    to = person.email if channel == MessageChannel.EMAIL else person.phone
    assert channel is not None and to  # person_by_login matched this very phone or address
    # A new code replaces any earlier one: only the latest works.
    code_issue(person=person, purpose=CodePurpose.PASSWORD_RESET, destination=Destination(channel, to))
    audit_record(
        actor=RESET_ACTOR, event=PeopleEvent.PASSWORD_RESET_REQUEST, subject_id=person.public_id,
        data={"channel": channel},
    )  # fmt: skip


def password_reset_verify(*, login: str, code: str, client: str | None) -> int:
    """Checks the code sent for `login`; returns the id of the code, now entered, which
    `password_reset_complete` takes. Each try counts, committed even when it fails."""
    if _throttle("code-client", client, settings.PASSWORD_RESET_CODE_LIMIT_PER_CLIENT):
        raise RateLimited()
    person = person_by_login(login_normalize(login or ""))
    row = code_try(person=person, purpose=CodePurpose.PASSWORD_RESET, code=code)
    if row is None:
        raise ResetCodeInvalid(fields={"code": [ResetCodeInvalid.message]})
    return row.pk


def reset_new_password_problems(*, person: User, new_password: str) -> dict[str, list[Any]]:
    try:
        validate_password(new_password, person)
    except ValidationError as exc:
        return {"new_password": list(exc.messages)}
    return {}


@transaction.atomic
def password_reset_complete(*, code_id: int, new_password: str) -> User:
    """Sets the new password with a code entered within ONE_TIME_CODE_MINUTES; the code
    is then used up, and every session (Django checks each against the password) and API token
    of the person ends."""
    now = timezone.now()
    live = OneTimeCode.objects.filter(pk=code_id, purpose=CodePurpose.PASSWORD_RESET).filter(
        used_at__isnull=True, verified_at__isnull=False
    )
    found = live.first()  # whose code it is, unlocked: the person is locked first (common/locks.py)
    if found is None:
        raise ResetExpired()
    person = person_locked(found.person_id)
    locked = rows_lock(live.filter(person=person))  # then the code: empty if used up meanwhile
    row = locked[0] if locked else None
    window = timedelta(minutes=code_minutes())
    if row is None or row.verified_at is None or row.verified_at < now - window:
        raise ResetExpired()
    problems = reset_new_password_problems(person=person, new_password=new_password)
    if problems:
        raise ValidationFailed(fields=problems)
    person.set_password(new_password)
    person.save(update_fields=["password"])
    row.used_at = now
    row.save(update_fields=["used_at", "updated_at"])
    revoked = api_tokens_revoke_all(person)
    audit_record(
        actor=person, event=PeopleEvent.PASSWORD_RESET_DONE, subject_id=person.public_id,
        data={"channel": row.channel, "api_tokens_revoked": revoked},
    )  # fmt: skip
    return person
