"""Joining, and proving the phone or e-mail by a one-time code (docs/privacy.md, "Contact
confirmation"). The person records deeds only once the contact is proven
(`people.selectors.contact_confirmed`).

1. `signup_submit`, what the sign-up form and `POST /api/v1/auth/signup` call. A new phone or
   e-mail: the person is registered (`services.person_signup`) and a code goes to the phone (SMS)
   or, where SMS cannot be sent, the e-mail. A phone or e-mail an account already has: nothing is
   made, nothing is said; the owner is told by a message (at most once an hour per contact) that
   someone tried to join with it. Both answers are the same: "we sent a code to 08x-xxx-1234".
2. `contact_code_resend`: "send again", by the phone or e-mail; the same answer whether or not an
   account is waiting for a code there.
3. `contact_confirm`: the code; one answer for every way it can fail.

Counted in Django's cache (people/ratelimit.py), before anything depends on whether an account
exists: sign-ups per client (SIGNUP_LIMIT_PER_CLIENT), codes per contact
(CONTACT_CODE_LIMIT_PER_LOGIN), "send again" per client (CONTACT_CODE_LIMIT_PER_CLIENT), codes
typed per client (CONTACT_CODE_ENTRY_LIMIT_PER_CLIENT); over a limit, `RateLimited` (429)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kwamdee.common.actors import SystemActor
from kwamdee.common.audit import audit_record
from kwamdee.common.effects import after_commit
from kwamdee.common.errors import ValidationFailed
from kwamdee.people.choices import CodePurpose, MessageChannel
from kwamdee.people.codes import (
    Destination,
    code_destination,
    code_issue,
    code_try,
    contact_codes_over_limit,
    decoy_work,
)
from kwamdee.people.errors import ConsentRequired, ContactCodeInvalid, RateLimited
from kwamdee.people.events import PeopleEvent
from kwamdee.people.messaging import channel_available, message_send
from kwamdee.people.models import User
from kwamdee.people.national_id import national_id_hash
from kwamdee.people.password_reset import reset_channel, reset_login_problems
from kwamdee.people.ratelimit import rate_exceeded
from kwamdee.people.selectors import contact_confirmed, person_by_login
from kwamdee.people.services import (
    login_normalize,
    national_id_refusal,
    person_lock,
    person_signup,
    signup_problems,
)

# Who acts when nobody is signed in: the audit rows name it; their subject is the account's person.
CONTACT_ACTOR = SystemActor("contact-confirmation")


@dataclass(frozen=True)
class SignupAnswer:
    """What a sign-up did: `person` is None when the phone or e-mail already had an account (the
    caller must answer as if it were new). `sent` is where the code went, or would have gone."""

    person: User | None
    sent: Destination


def _owner_notice_send(destination: Destination, language: str) -> None:
    with translation.override(language):
        subject = _("Someone tried to join Kwamdee with your details")
        body = _(
            "Someone tried to join Kwamdee with your phone number or e-mail address, but you "
            "already have an account. If it was you, sign in, or set a new password with "
            "“Forgot your password?” on the sign-in page. If it was not you, you need do nothing: "
            "your account has not changed."
        )
    message_send(channel=destination.channel, to=destination.to, subject=subject, body=body)


def _owner_notify(owner: User, typed: set[str]) -> None:
    """Tells the owner of a phone or e-mail someone tried to join with: by that very contact if
    it can be reached, else by their other one; at most once an hour per contact."""
    matched = [
        Destination(str(channel), to)
        for channel, to in ((MessageChannel.SMS, owner.phone), (MessageChannel.EMAIL, owner.email))
        if to and to in typed and channel_available(channel)
    ]
    destination = matched[0] if matched else code_destination(phone=owner.phone, email=owner.email)
    notified = destination is not None and not rate_exceeded(
        "signup-owner-notice", destination.to, limit=settings.SIGNUP_OWNER_NOTICE_LIMIT
    )
    if destination is not None and notified:
        language = translation.get_language() or settings.LANGUAGE_CODE
        after_commit(_owner_notice_send, destination, language)
    audit_record(
        actor=CONTACT_ACTOR, event=PeopleEvent.SIGNUP_KNOWN_CONTACT, subject_id=owner.public_id,
        data={"notice_sent_by": destination.channel if notified and destination else None},
    )  # fmt: skip


@transaction.atomic
def signup_submit(
    *,
    full_name: str,
    password: str,
    subdistrict_code: str,
    consent_given: bool,
    phone: str = "",
    email: str = "",
    national_id: str = "",
    client: str | None,
) -> SignupAnswer:
    """Answers a sign-up without telling whether its phone or e-mail is taken (module docstring).
    Every refusal here depends on what was typed only; a national ID a verifier confirmed for
    someone else is still refused by `person_signup`, in words that do not name it."""
    if rate_exceeded("signup", client, limit=settings.SIGNUP_LIMIT_PER_CLIENT):
        raise RateLimited()
    if not consent_given:
        raise ConsentRequired(fields={"consent": [ConsentRequired.message]})
    errors, phone, email, nid = signup_problems(
        full_name=full_name, phone=phone, email=email, password=password,
        subdistrict_code=subdistrict_code, national_id=national_id,
    )  # fmt: skip
    if errors:
        raise ValidationFailed(fields=errors)
    refusal = national_id_refusal(national_id_hash(nid) if nid else None)
    if refusal is not None:  # the same whether or not the phone or e-mail has an account
        raise refusal
    destination = code_destination(phone=phone, email=email)
    assert destination is not None  # signup_problems refuses a contact no code can reach
    if contact_codes_over_limit(destination):
        raise RateLimited()
    typed = {contact for contact in (phone, email) if contact}
    owners = list(User.objects.filter(Q(phone__in=typed) | Q(email__in=typed)).order_by("pk"))
    if owners:
        User().set_password(password)  # the work of a real sign-up's password hash
        for owner in owners:
            _owner_notify(owner, typed)
        return SignupAnswer(person=None, sent=destination)
    person = person_signup(
        full_name=full_name, password=password, subdistrict_code=subdistrict_code,
        consent_given=consent_given, phone=phone, email=email, national_id=national_id,
    )  # fmt: skip
    return SignupAnswer(person=person, sent=destination)


def login_destination(login: str) -> Destination | None:
    """Where a code for the phone or e-mail `login` goes, from what was typed only."""
    normalized = login_normalize(login or "")
    channel = reset_channel(normalized)
    return Destination(channel, normalized) if channel is not None else None


def person_destination(person: User) -> Destination | None:
    """Where the person's confirmation code goes: the phone where SMS can be sent, else e-mail."""
    return code_destination(phone=person.phone, email=person.email)


@transaction.atomic
def contact_code_resend(*, login: str, client: str | None) -> Destination:
    """Sends a new code to the phone or e-mail `login` if an account is waiting to confirm it
    there; says nothing about whether one is: the caller answers "we sent a new code" either way."""
    problems = reset_login_problems(login)  # a phone or e-mail, by a channel that can be used
    if problems:
        raise ValidationFailed(fields=problems)
    destination = login_destination(login)
    assert destination is not None
    over_client = rate_exceeded("contact-code-client", client, limit=settings.CONTACT_CODE_LIMIT_PER_CLIENT)
    if contact_codes_over_limit(destination) or over_client:
        raise RateLimited()
    person = person_by_login(destination.to)
    waiting = person is not None and person.is_active and not contact_confirmed(person)
    if person is None or not waiting or person_destination(person) != destination:
        decoy_work()
        return destination
    person_lock(person)
    code_issue(person=person, purpose=CodePurpose.CONTACT_CONFIRM, destination=destination)
    audit_record(
        actor=CONTACT_ACTOR, event=PeopleEvent.CONTACT_CODE_SEND, subject_id=person.public_id,
        data={"channel": destination.channel},
    )  # fmt: skip
    return destination


def contact_confirm(*, login: str, code: str, client: str | None) -> User:
    """Checks the code sent to the phone or e-mail `login`; returns the person, now confirmed.
    Each try counts, committed even when it fails (people/codes.py, `code_try`)."""
    if rate_exceeded("contact-code-entry", client, limit=settings.CONTACT_CODE_ENTRY_LIMIT_PER_CLIENT):
        raise RateLimited()
    person = person_by_login(login_normalize(login or ""))
    with transaction.atomic():
        # The person's lock first, then the code's (common/locks.py): sending a new code locks
        # them in that order too, so the two never wait on each other in a circle.
        if person is not None:
            person_lock(person)
        row = code_try(person=person, purpose=CodePurpose.CONTACT_CONFIRM, code=code)
        if row is not None and person is not None:
            now = timezone.now()
            row.used_at = now
            row.save(update_fields=["used_at", "updated_at"])
            person.contact_confirmed_at = now
            person.save(update_fields=["contact_confirmed_at"])
            audit_record(
                actor=person, event=PeopleEvent.CONTACT_CONFIRM, subject_id=person.public_id,
                data={"channel": row.channel},
            )  # fmt: skip
    if row is None or person is None:
        raise ContactCodeInvalid(fields={"code": [ContactCodeInvalid.message]})
    return person
