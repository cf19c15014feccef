"""One-time codes: 6 digits sent to a person's phone (SMS) or e-mail, for one purpose
(`CodePurpose`: setting a new password, confirming a contact). One rule for every purpose:

- only a keyed hash is kept (HMAC-SHA256 under SECRET_KEY, salted by the purpose, never the code);
- a code works for ONE_TIME_CODE_MINUTES, for ONE_TIME_CODE_MAX_TRIES tries, once; a new code for
  the same purpose replaces the person's earlier one;
- rows are deleted a day after they expire (each new code clears them, and the daily retention
  run: people/retention.py);
- the message leaves only once the transaction that made the code commits.

Where a code goes is decided by the phone and e-mail alone (`code_destination`), never by whether
an account has them, so that the answer to a form never tells."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from kwamdee.common.effects import after_commit
from kwamdee.common.locks import rows_lock
from kwamdee.people.choices import CodePurpose, MessageChannel
from kwamdee.people.messaging import channel_available, message_send
from kwamdee.people.models import OneTimeCode, User
from kwamdee.people.ratelimit import rate_exceeded

CODE_DIGITS = 6
KEPT_AFTER_EXPIRY = timedelta(days=1)


@dataclass(frozen=True)
class Destination:
    """Where a message goes: a channel and a phone number or e-mail address."""

    channel: str
    to: str

    @property
    def masked(self) -> str:
        return contact_mask(self.to)


def contact_mask(to: str) -> str:
    """A phone number or e-mail address as a page may show it back: 08x-xxx-1234, so***@example.org."""
    if "@" in to:
        local, _at, domain = to.partition("@")
        return f"{local[:2]}***@{domain}"
    digits = "".join(ch for ch in to if ch.isdigit())
    if len(digits) < 7:
        return "x" * len(digits)
    shown = digits[:2] + "x" * (len(digits) - 6) + digits[-4:]
    head = 3 if len(shown) == 10 else 2
    return f"{shown[:head]}-{shown[head:-4]}-{shown[-4:]}"


def code_destination(*, phone: str | None = None, email: str | None = None) -> Destination | None:
    """Where a code to prove these contacts goes: the phone by SMS where SMS can be sent, else the
    e-mail address; None when neither can be reached (no backend for the channel)."""
    for channel, to in ((MessageChannel.SMS, phone), (MessageChannel.EMAIL, email)):
        if to and channel_available(channel):
            return Destination(str(channel), to)
    return None


def contact_codes_over_limit(destination: Destination) -> bool:
    """Counts one more code to confirm the contact `destination.to` (at sign-up, "send again", a
    profile change) and says whether that is over CONTACT_CODE_LIMIT_PER_LOGIN."""
    return rate_exceeded("contact-code-to", destination.to, limit=settings.CONTACT_CODE_LIMIT_PER_LOGIN)


def code_minutes() -> int:
    return int(settings.ONE_TIME_CODE_MINUTES)


def _digest(purpose: str, person_public_id: Any, code: str) -> str:
    # The password reset's salt is the one its codes always had: a code out at the upgrade works.
    salt = f"kwamdee.people.{purpose}"
    return salted_hmac(salt, f"{person_public_id}:{code}", algorithm="sha256").hexdigest()


def decoy_work(code: str = "") -> None:
    """The work of checking a code, for an answer that has no code to check: the same time."""
    _digest(CodePurpose.CONTACT_CONFIRM, "-", code)


def codes_prune(now: datetime) -> int:
    """Deletes codes a day after they expired."""
    deleted, _counts = OneTimeCode.objects.filter(expires_at__lt=now - KEPT_AFTER_EXPIRY).delete()
    return deleted


# What each kind of code says, in the person's language at the moment it is made.
CODE_MESSAGES = {
    CodePurpose.PASSWORD_RESET: lambda: _(
        "Your code to set a new Kwamdee password is %(code)s. It works for %(minutes)s "
        "minutes. Never tell this code to anyone, not even staff. If you did not ask for "
        "it, ignore this message: your password stays as it is."
    ),
    CodePurpose.CONTACT_CONFIRM: lambda: _(
        "Your code to confirm your phone number or e-mail address on Kwamdee is %(code)s. It works "
        "for %(minutes)s minutes. Never tell this code to anyone, not even staff. If you did not "
        "join Kwamdee, ignore this message."
    ),
}


def _code_send(purpose: str, destination: Destination, code: str, language: str) -> None:
    with translation.override(language):
        subject = _("Your Kwamdee code")
        body = CODE_MESSAGES[CodePurpose(purpose)]() % {"code": code, "minutes": code_minutes()}
    message_send(channel=destination.channel, to=destination.to, subject=subject, body=body)


def code_issue(*, person: User, purpose: str, destination: Destination) -> OneTimeCode:
    """Makes a new code of `purpose` for `person` (their earlier unused one stops working), keeps
    its hash, and sends it to `destination` once the transaction commits. Inside the caller's
    transaction: the caller writes the audit event of what it did."""
    now = timezone.now()
    codes_prune(now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    OneTimeCode.objects.filter(person=person, purpose=purpose, used_at__isnull=True).delete()
    row = OneTimeCode.objects.create(
        person=person,
        purpose=purpose,
        code_hash=_digest(purpose, person.public_id, code),
        channel=destination.channel,
        expires_at=now + timedelta(minutes=code_minutes()),
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    after_commit(_code_send, purpose, destination, code, language)
    return row


def code_try(*, person: User | None, purpose: str, code: str) -> OneTimeCode | None:
    """Checks `code` against the person's latest live code of `purpose` and returns it, marked
    entered (`verified_at`), or None for a wrong, expired, used-up or never-sent code alike. Each
    try counts: the caller must not roll this back when it refuses (refuse after the block)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if person is None or len(code) != CODE_DIGITS:
        decoy_work(code)
        return None
    now = timezone.now()
    with transaction.atomic():
        live = OneTimeCode.objects.filter(
            person=person, purpose=purpose, used_at__isnull=True, verified_at__isnull=True, expires_at__gt=now
        )
        locked = rows_lock(live)  # one live code per purpose (code_issue deletes the others)
        row = max(locked, key=lambda r: r.created_at) if locked else None
        if row is None or row.tries >= settings.ONE_TIME_CODE_MAX_TRIES:
            decoy_work(code)
            return None
        row.tries += 1
        matches = constant_time_compare(row.code_hash, _digest(purpose, person.public_id, code))
        if matches:
            row.verified_at = now
        row.save(update_fields=["tries", "verified_at", "updated_at"])
    return row if matches else None
