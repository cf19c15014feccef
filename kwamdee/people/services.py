"""Writes about people: signing up, consent, API tokens."""

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import community_for_subdistrict, subdistrict_exists
from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.roles import Role, role_grant
from kwamdee.common.text_validation import text_problems
from kwamdee.people.choices import CodePurpose, ConsentPurpose
from kwamdee.people.codes import code_destination, code_issue, contact_codes_over_limit
from kwamdee.people.errors import (
    SIGNUP_NEEDS_A_REACHABLE_CONTACT,
    AlreadyRegistered,
    ConsentRequired,
    ContactTaken,
    InvalidCredentials,
    RateLimited,
    TooManyAttempts,
    WrongPassword,
)
from kwamdee.people.events import PeopleEvent
from kwamdee.people.membership import membership_request_open
from kwamdee.people.models import ApiToken, Consent, User
from kwamdee.people.national_id import (
    national_id_hash,
    national_id_is_valid,
    national_id_normalize,
)
from kwamdee.people.notices import notice_for
from kwamdee.people.ratelimit import rate_exceeded

THAI_MOBILE = re.compile(r"^0[0-9]{8,9}$")


def phone_normalize(raw: str) -> str:
    digits = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    return digits


def signup_problems(
    *, full_name: str, phone: str, email: str, password: str, subdistrict_code: str,
    national_id: str, code_needed: bool = True,
) -> tuple[dict[str, list[Any]], str, str, str]:  # fmt: skip
    """Everything wrong with a sign-up at once, by field; the sign-up form shows the same before it
    calls `person_signup`, so that a person never meets the problems in rounds. `code_needed`:
    the phone or e-mail must be one a confirmation code can reach."""
    errors, phone, email = details_problems(
        full_name=full_name, phone=phone, email=email, subdistrict_code=subdistrict_code
    )
    nid = national_id_normalize(national_id) if national_id else ""
    if nid and not national_id_is_valid(nid):
        errors["national_id"] = [_("This national ID number is not valid.")]
    try:
        validate_password(password)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    # Joining sends a code to the phone or e-mail (people/codes.py): one that can be reached.
    contact_ok = (phone or email) and "phone" not in errors and "email" not in errors
    if code_needed and contact_ok and code_destination(phone=phone, email=email) is None:
        errors["phone" if phone else "email"] = [SIGNUP_NEEDS_A_REACHABLE_CONTACT]
    return errors, phone, email, nid


def contact_problems(phone: str, email: str, *, missing: Any) -> tuple[dict[str, list[Any]], str, str]:
    """What is wrong with a phone number and an e-mail address given together (at least one, each
    of its form), with both normalized; `missing` is what to say when neither is given. A
    person's and an organization's contacts alike."""
    errors: dict[str, list[Any]] = {}
    phone = phone_normalize(phone) if phone else ""
    email = email.strip().lower()
    if not phone and not email:
        errors["phone"] = [missing]
    if phone and not THAI_MOBILE.match(phone):
        errors["phone"] = [_("Enter a Thai phone number of 9 or 10 digits starting with 0.")]
    if email:
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    return errors, phone, email


def details_problems(
    *, full_name: str, phone: str, email: str, subdistrict_code: str
) -> tuple[dict[str, list[Any]], str, str]:
    """What is wrong with a person's name, contacts and subdistrict (sign-up and profile alike),
    with the phone and e-mail normalized."""
    errors, phone, email = contact_problems(
        phone, email, missing=_("Please enter a phone number or an e-mail address.")
    )
    if not full_name.strip():
        errors["full_name"] = [_("Please enter your name.")]
    elif len(full_name.strip()) > 200:
        errors["full_name"] = [_("Please keep the name under 200 characters.")]
    elif problems := text_problems(full_name.strip()):
        errors["full_name"] = problems
    if not subdistrict_exists(subdistrict_code):
        errors["subdistrict_code"] = [_("Please choose your subdistrict.")]
    return errors, phone, email


def national_id_refusal(nid_hash: str | None) -> AlreadyRegistered | None:
    """The refusal of a sign-up whose national ID another account holds, or None. Asked before
    anything else depends on the phone or e-mail (contact_confirmation.signup_submit), so that
    this answer cannot tell whether they have an account either."""
    # Only a number a verifier confirmed from the card blocks a sign-up (people/identity.py): a
    # claim typed by someone else first must not lock the real holder out.
    confirmed = User.objects.filter(national_id_confirmed_at__isnull=False)
    if nid_hash and confirmed.filter(national_id_hash=nid_hash).exists():
        # Said without naming the national ID, so that the form cannot be used to find out
        # whether someone else is a member.
        return AlreadyRegistered(
            _(
                "We could not register you with these details. If you already have an account, "
                "sign in; if not, ask a verifier or a village volunteer for help."
            )
        )
    return None


@transaction.atomic
def person_signup(
    *,
    full_name: str,
    password: str,
    subdistrict_code: str,
    consent_given: bool,
    phone: str = "",
    email: str = "",
    national_id: str = "",
    client: str | None = None,
    contact_proven: bool = False,
) -> User:
    """Registers a person as a citizen, with their consent to join recorded. Sign-ups from one
    client address are limited (SIGNUP_LIMIT_PER_CLIENT): a script cannot fill the register.

    The person proves their phone or e-mail with the code this sends to it (people/codes.py,
    `code_destination`); until then they record no deeds (selectors.contact_confirmed).
    `contact_proven` is for callers that vouch for the contact themselves (the demo, tests): the
    person starts confirmed and no code is sent. The sign-up form and the API come through
    `contact_confirmation.signup_submit`, which never tells whether a phone or e-mail is taken."""
    if client is not None and rate_exceeded("signup", client, limit=settings.SIGNUP_LIMIT_PER_CLIENT):
        raise RateLimited()
    if not consent_given:
        raise ConsentRequired(fields={"consent": [ConsentRequired.message]})
    errors, phone, email, nid = signup_problems(
        full_name=full_name, phone=phone, email=email, password=password,
        subdistrict_code=subdistrict_code, national_id=national_id, code_needed=not contact_proven,
    )  # fmt: skip
    if errors:
        raise ValidationFailed(fields=errors)
    nid_hash = national_id_hash(nid) if nid else None
    duplicates: dict[str, list[Any]] = {}
    if phone and User.objects.filter(phone=phone).exists():
        duplicates["phone"] = [_("This phone number is already registered.")]
    if email and User.objects.filter(email=email).exists():
        duplicates["email"] = [_("This e-mail address is already registered.")]
    if duplicates:
        raise AlreadyRegistered(fields=duplicates)
    refusal = national_id_refusal(nid_hash)
    if refusal is not None:
        raise refusal

    person = User(
        username=phone or email,
        full_name=full_name.strip(),
        phone=phone or None,
        email=email or None,
        national_id_hash=nid_hash,
        subdistrict_code=subdistrict_code,
        district_code=subdistrict_code[:4],
        province_code=subdistrict_code[:2],
        contact_confirmed_at=timezone.now() if contact_proven else None,
    )
    person.set_password(password)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # the same person signing up twice at the same moment
        raise AlreadyRegistered() from exc
    role_grant(actor=person, person=person, role=Role.CITIZEN, audit=False)  # the signup event says so
    # The subdistrict's community, if it has one, is asked: its committee approves the member
    # (people/membership.py); until then the person has the national catalog. The event says so.
    community = community_for_subdistrict(subdistrict_code)
    membership_request_open(person=person, community=community)
    consent = consent_give(person=person, purpose=ConsentPurpose.MEMBERSHIP, actor=person, audit=False)
    destination = None if contact_proven else code_destination(phone=phone, email=email)
    if destination is not None:  # the sign-up event says so
        code_issue(person=person, purpose=CodePurpose.CONTACT_CONFIRM, destination=destination)
    audit_record(
        actor=person,
        event=PeopleEvent.SIGNUP,
        subject_id=person.public_id,
        data={
            "consent_notice_version": consent.notice_version,
            # the community asked to join (its committee decides: people/membership.py)
            "community_requested": str(community.public_id) if community else None,
            "with_national_id": bool(nid_hash),
            "role": Role.CITIZEN,
            "contact_confirmed": contact_proven,
            "confirmation_code_sent_by": destination.channel if destination else None,
        },
    )
    return person


@transaction.atomic
def consent_give(*, person: User, purpose: str, actor: Actor, audit: bool = True) -> Consent:
    """Records consent for `purpose` under its notice's version in force now (people/notices.py).
    A consent already in force under an older notice is closed: the new one replaces it."""
    if purpose not in ConsentPurpose.values:
        raise ValidationFailed(fields={"purpose": [_("Choose what the consent is for.")]})
    now = timezone.now()
    Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).update(withdrawn_at=now)
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        notice_version=notice_for(purpose).version,
        given_at=now,
    )
    if audit:
        audit_record(
            actor=actor, event=PeopleEvent.CONSENT_GIVE, subject_id=person.public_id,
            data={"purpose": purpose, "notice_version": consent.notice_version},
        )  # fmt: skip
    return consent


@transaction.atomic
def consent_withdraw(*, person: User, purpose: str, actor: Actor) -> int:
    """Withdraws every active consent for `purpose`; as easy as giving it."""
    count = Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if count:
        audit_record(
            actor=actor, event=PeopleEvent.CONSENT_WITHDRAW, subject_id=person.public_id,
            data={"purpose": purpose},
        )  # fmt: skip
    return count


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(
    *, login: str, password: str, label: str = "", request: Any = None, code: str = ""
) -> str:
    """Checks the sign-in and returns a new bearer token (shown once, stored hashed). A person
    with two-step sign-in also sends the `code` from their app or a recovery code; a person whose
    role needs it and has none yet is sent to the website (people/two_factor.py).

    The check runs outside the token's transaction, so that a failed attempt stays recorded
    by the login throttle (django-axes) when this refuses."""
    from kwamdee.people.throttle import signin_succeeded
    from kwamdee.people.two_factor import two_factor_token_check

    label = label[:100]
    if problems := text_problems(label):  # the person reads it on My data
        raise ValidationFailed(fields={"label": problems})
    # As typed: the throttle and the backend normalize the login by one rule (people/throttle.py).
    user = authenticate(request, username=login, password=password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts()
    if user is None or not user.is_active:
        raise InvalidCredentials()
    two_factor_token_check(person=user, code=code)
    signin_succeeded(request)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(person=user, key_hash=_token_digest(raw), label=label)
        audit_record(
            actor=user, event=PeopleEvent.API_TOKEN_ISSUE, subject_id=user.public_id,
            data={"token_id": token.pk},
        )  # fmt: skip
    return raw


# A token's use is written down at most this often: one UPDATE in a while, not one per call.
TOKEN_USE_RECORDED_EVERY = timedelta(minutes=5)


def api_token_person(raw: str) -> User | None:
    """The active person behind a bearer token, or None. A token ends 90 days after it was made
    (API_TOKEN_LIFETIME_DAYS) or after 30 days unused (API_TOKEN_IDLE_DAYS); its last use is kept
    (`last_used_at`, shown to the person on My data)."""
    now = timezone.now()
    oldest = now - timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    idle = now - timedelta(days=settings.API_TOKEN_IDLE_DAYS)
    recent_use = Q(last_used_at__gte=idle) | Q(last_used_at__isnull=True, created_at__gte=idle)
    token = (
        ApiToken.objects.select_related("person")
        .filter(recent_use, key_hash=_token_digest(raw), revoked_at__isnull=True, created_at__gte=oldest)
        .first()
    )
    if token is None or not token.person.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


@transaction.atomic
def api_token_revoke(*, raw: str, actor: User) -> None:
    """Revokes the token the caller is using (signing out of an API client)."""
    count = ApiToken.objects.filter(
        key_hash=_token_digest(raw), person=actor, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if count:
        audit_record(actor=actor, event=PeopleEvent.API_TOKEN_REVOKE, subject_id=actor.public_id)


def login_normalize(login: str) -> str:
    """People sign in with the phone number or e-mail they signed up with."""
    login = login.strip()
    if "@" in login:
        return login.lower()
    if any(ch.isalpha() for ch in login):
        return login  # a plain username, such as the demo's "admin"
    return phone_normalize(login)


def person_lock(person: User) -> None:
    """Locks the person's row: their submissions then queue, so that limits and retries hold
    under concurrency (first in the lock order, see common/locks.py). FOR NO KEY UPDATE: rows
    that refer to the person may still be written meanwhile (common/locks.py says why)."""
    rows_lock(User.objects.filter(pk=person.pk), of=("self",), no_key=True)


def person_locked(person_id: int) -> User:
    """`person_lock` by the person's id, returning their row as it is under the lock (a service
    that then reads or changes the person's own fields)."""
    [person] = rows_lock(User.objects.filter(pk=person_id), of=("self",), no_key=True)
    return person


def people_lock(people: list[Any]) -> list[User]:
    """Locks many people's rows in one statement, in primary-key order (`person_lock` for a batch:
    an activity's close), each read back with whether they consent to take part (`consenting`)."""
    from kwamdee.people.selectors import consenting_filter

    queryset = User.objects.filter(pk__in=[p.pk for p in people]).annotate(
        consenting=consenting_filter(person_field="pk")
    )
    return rows_lock(queryset, of=("self",), no_key=True)


def api_tokens_revoke_all(person: User) -> int:
    """Ends every API token of the person (part of a password change or reset, which audits it)."""
    return ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())


def password_change_problems(
    *, person: User, current_password: str, new_password: str
) -> dict[str, list[Any]]:
    """Everything wrong with a password change, by field, in one round."""
    errors: dict[str, list[Any]] = {}
    if not person.check_password(current_password):
        errors["current_password"] = [WrongPassword.message]
    try:
        validate_password(new_password, person)
    except ValidationError as exc:
        errors["new_password"] = list(exc.messages)
    return errors


@transaction.atomic
def password_change(*, person: User, current_password: str, new_password: str) -> None:
    """Changes the person's password. Every session of theirs ends with it (Django checks each
    session against the password: the caller keeps this browser's with
    `update_session_auth_hash`), and every API token is revoked."""
    person_lock(person)
    errors = password_change_problems(
        person=person, current_password=current_password, new_password=new_password
    )
    if "current_password" in errors:
        raise WrongPassword(fields=errors)
    if errors:
        raise ValidationFailed(fields=errors)
    person.set_password(new_password)
    person.save(update_fields=["password"])
    revoked = api_tokens_revoke_all(person)
    audit_record(
        actor=person, event=PeopleEvent.PASSWORD_CHANGE, subject_id=person.public_id,
        data={"api_tokens_revoked": revoked},
    )  # fmt: skip


PROFILE_FIELDS = ("full_name", "phone", "email", "subdistrict_code")


def _contact_taken(person: User, value: str) -> bool:
    others = User.objects.exclude(pk=person.pk)
    return others.filter(Q(phone=value) | Q(email=value) | Q(username=value)).exists()


def profile_problems(
    *, person: User, full_name: str, phone: str, email: str, subdistrict_code: str, current_password: str
) -> tuple[dict[str, list[Any]], str, str]:
    """Everything wrong with a profile change, by field, in one round; the phone and e-mail
    normalized. A phone or e-mail another account has is refused without saying whose; changing
    either (the sign-in, where reset codes go) needs the current password."""
    errors, phone, email = details_problems(
        full_name=full_name, phone=phone, email=email, subdistrict_code=subdistrict_code
    )
    taken = ContactTaken.message
    if phone and "phone" not in errors and phone != person.phone and _contact_taken(person, phone):
        errors["phone"] = [taken]
    if email and "email" not in errors and email != person.email and _contact_taken(person, email):
        errors["email"] = [taken]
    contact_changed = (phone or None) != person.phone or (email or None) != person.email
    if contact_changed and not person.check_password(current_password):
        errors["current_password"] = [
            _("Enter your current password to change your phone number or e-mail address.")
        ]
    # A new phone or e-mail is proven by a code (profile_update): one that can be reached.
    new_phone, new_email = _new_contacts(person, phone, email)
    reachable = not (new_phone or new_email) or {"phone", "email"} & errors.keys()
    if not reachable and code_destination(phone=new_phone, email=new_email) is None:
        errors["phone" if new_phone else "email"] = [
            _(
                "We cannot send codes by SMS yet, so a new phone number cannot be confirmed. Keep "
                "your number for now, or ask a verifier or a village volunteer for help."
            )
        ]
    return errors, phone, email


def _new_contacts(person: User, phone: str, email: str) -> tuple[str, str]:
    """The phone and e-mail (normalized) that the person does not have yet, or "" for each."""
    new_phone = phone if phone and phone != person.phone else ""
    return new_phone, email if email and email != person.email else ""


@transaction.atomic
def profile_update(
    *, person: User, full_name: str, phone: str, email: str, subdistrict_code: str, current_password: str = ""
) -> list[str]:
    """Corrects the person's name, contacts and subdistrict; returns the names of the fields that
    changed (audited by name, never by value). A new subdistrict ends the person's membership of
    their community (or their request to join it) and asks to join the new subdistrict's community,
    whose committee approves them (people/membership.py): until then their deeds carry no
    community. Each past deed keeps the subdistrict, province and community it was recorded in.

    A new phone or e-mail counts at once (it is the sign-in) but is not proven: the person's
    contact is unconfirmed again and a code goes to the new one (the phone first where SMS can
    be sent); until it is entered, the person records no deeds. Removing one proves nothing and
    changes nothing about the confirmation."""
    person_lock(person)
    person.refresh_from_db()
    errors, phone, email = profile_problems(
        person=person, full_name=full_name, phone=phone, email=email,
        subdistrict_code=subdistrict_code, current_password=current_password,
    )  # fmt: skip
    if errors:
        taken = any(ContactTaken.message in errors.get(name, []) for name in ("phone", "email"))
        raise (ContactTaken if taken else ValidationFailed)(fields=errors)
    new = {"full_name": full_name.strip(), "phone": phone or None, "email": email or None,
           "subdistrict_code": subdistrict_code}  # fmt: skip
    changed = [name for name in PROFILE_FIELDS if getattr(person, name) != new[name]]
    if not changed:
        return []
    new_phone, new_email = _new_contacts(person, phone, email)
    destination = code_destination(phone=new_phone, email=new_email)
    if destination is not None:
        if contact_codes_over_limit(destination):
            raise RateLimited()
        person.contact_confirmed_at = None
    if person.username in {person.phone, person.email} - {None}:
        person.username = new["phone"] or new["email"] or person.username  # the sign-in follows
    for name in changed:
        setattr(person, name, new[name])
    if "subdistrict_code" in changed:
        person.district_code = subdistrict_code[:4]
        person.province_code = subdistrict_code[:2]
        person.community = None  # a member of the new one once its committee approves
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # another account took the phone or e-mail at the same moment
        raise ContactTaken() from exc
    data: dict[str, Any] = {"fields": changed}
    if "subdistrict_code" in changed:  # this event names the request
        requested = membership_request_open(
            person=person, community=community_for_subdistrict(subdistrict_code)
        )
        if requested is not None:
            data["community_requested"] = str(requested.community.public_id)
    if destination is not None:  # this event says so
        code_issue(person=person, purpose=CodePurpose.CONTACT_CONFIRM, destination=destination)
        data["confirmation_code_sent_by"] = destination.channel
    audit_record(actor=person, event=PeopleEvent.PROFILE_UPDATE, subject_id=person.public_id, data=data)
    return changed
