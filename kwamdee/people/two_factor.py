"""Two-step sign-in (issue 9): after the password, a 6-digit code from an authenticator app
(TOTP, django-otp's `otp_totp`), or one of 10 recovery codes (django-otp's static tokens, each
works once).

- `two_factor_required` is the one rule of who must use it: verifiers, organization and community
  admins, auditors, staff, and anyone with Django's staff or superuser flag, when
  `settings.TWO_FACTOR_REQUIRED` is on (off only in tests). A citizen may turn it on.
- The web's middleware (people/middleware.py) sends a signed-in person whose session has not
  passed the second step to the code page, and a person who must use it but has no device to the
  setup page. The API's token asks for the code itself (`two_factor_token_check`).
- Each change writes one audit event: the setup started (a new key made), two-step sign-in turned
  on (with new recovery codes), a recovery code used, new recovery codes made, turned off. A code
  typed right is no event, as a sign-in with a password is none; wrong codes are counted
  (django-otp makes the device wait 1, 2, 4… seconds after each, and
  TWO_FACTOR_CODE_LIMIT_PER_PERSON limits the codes tried in 15 minutes), not audited.
- What is kept is what django-otp keeps: the app's key (it must read it to check a code) and the
  recovery codes not yet used, in its own tables; nothing else holds either, and neither is
  shown again after the setup page (My data shows the devices' kind and dates only)."""

from base64 import b32decode, b32encode
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.locks import rows_lock
from kwamdee.common.roles import Role
from kwamdee.people.errors import (
    TwoFactorAlreadyOn,
    TwoFactorCodeInvalid,
    TwoFactorCodeRequired,
    TwoFactorNotOn,
    TwoFactorRequiredForRole,
    TwoFactorSetupRequired,
    TwoFactorTooManyCodes,
    WrongPassword,
)
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import User
from kwamdee.people.ratelimit import rate_exceeded
from kwamdee.people.services import person_lock

# The roles that must use two-step sign-in: whoever decides, manages or reads other people's data.
TWO_FACTOR_ROLES = frozenset(
    # An assessor of moral organizations gives certificates: as much to guard as a verifier.
    {
        Role.VERIFIER,
        Role.ORGANIZATION_ADMIN,
        Role.COMMUNITY_ADMIN,
        Role.AUDITOR,
        Role.STAFF,
        Role.MORAL_ASSESSOR,
    }
)
APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
APP_CODE_DIGITS = 6

D = TypeVar("D", bound=Device)


def two_factor_required(user: Any) -> bool:
    """Whether `user` must use two-step sign-in: the one place that says so (the middleware, the
    account page, turning it off and the API's token all ask here)."""
    if not settings.TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user.groups.filter(name__in=TWO_FACTOR_ROLES).exists())


# --- reads ----------------------------------------------------------------------------------------


def two_factor_app_device(person: Any) -> TOTPDevice | None:
    """The person's authenticator app, once confirmed with a code; None before."""
    return TOTPDevice.objects.filter(user=person, confirmed=True).order_by("id").first()


def two_factor_enabled(person: Any) -> bool:
    """Whether the person signs in in two steps (a confirmed authenticator app)."""
    return bool(TOTPDevice.objects.filter(user=person, confirmed=True).exists())


def recovery_codes_left(person: Any) -> int:
    return StaticToken.objects.filter(device__user=person, device__confirmed=True).count()


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    required: bool  # by the person's role: they cannot turn it off
    recovery_codes_left: int


def two_factor_status(person: Any) -> TwoFactorStatus:
    """What the account page says about the person's two-step sign-in."""
    enabled = two_factor_enabled(person)
    return TwoFactorStatus(
        enabled=enabled,
        required=two_factor_required(person),
        recovery_codes_left=recovery_codes_left(person) if enabled else 0,
    )


def totp_key_base32(device: TOTPDevice) -> str:
    """The device's key as an authenticator app takes it typed in: base32, without padding."""
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_key_for_typing(device: TOTPDevice) -> str:
    """The key in groups of four letters and digits, easier to copy by hand."""
    key = totp_key_base32(device)
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def totp_key_hex(base32_key: str) -> str:
    """A base32 key (as printed, spaces allowed) as django-otp stores it: hexadecimal."""
    text = "".join(base32_key.split()).upper()
    return b32decode(text + "=" * (-len(text) % 8)).hex()


def recovery_code_for_reading(code: str) -> str:
    """`k3j5x2qa` as `k3j5-x2qa`: two halves, easier to read and type (the dash is optional)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


# --- checking a code --------------------------------------------------------------------------------


def _code_clean(code: str) -> str:
    """What was typed, without spaces and dashes, in lower case (recovery codes are base32)."""
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()[:32]


def _is_app_code(code: str) -> bool:
    return len(code) == APP_CODE_DIGITS and code.isdigit()


def _codes_counted(person: User) -> None:
    """Counts a code typed for the person; over TWO_FACTOR_CODE_LIMIT_PER_PERSON, refused."""
    limit = settings.TWO_FACTOR_CODE_LIMIT_PER_PERSON
    if rate_exceeded("two-factor-code", str(person.public_id), limit=limit):
        raise TwoFactorTooManyCodes()


def _code_invalid() -> TwoFactorCodeInvalid:
    return TwoFactorCodeInvalid(fields={"code": [TwoFactorCodeInvalid.message]})


def _device_verify(
    devices: "models.QuerySet[D]", code: str, *, on_match: Callable[[D], None] | None = None
) -> D | None:
    """django-otp's check of `code` against the first of `devices`, in a transaction of its own
    that commits either way: a wrong code counts in the device's throttle even though the caller
    then refuses. `on_match` runs in that transaction (the audit event of a used recovery code).
    None for a wrong code; TwoFactorTooManyCodes while the device makes the person wait."""
    waiting = False
    with transaction.atomic():
        locked = rows_lock(devices)  # the person's devices of one kind (one, as a rule), by id
        device = locked[0] if locked else None
        if device is None:
            return None
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            waiting = True
        elif device.verify_token(code):
            if on_match is not None:
                on_match(device)
            return device
    if waiting:
        raise TwoFactorTooManyCodes()
    return None


def _recovery_codes_replace(person: User) -> list[str]:
    """New recovery codes for the person; the old ones stop working. Returned once, to show."""
    StaticDevice.objects.filter(user=person).delete()
    device = StaticDevice.objects.create(user=person, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < settings.TWO_FACTOR_RECOVERY_CODES:
        code = StaticToken.random_token()  # 8 base32 letters and digits, from os.urandom
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


# --- writes -----------------------------------------------------------------------------------------


@transaction.atomic
def two_factor_setup_start(*, person: User) -> TOTPDevice:
    """The authenticator app being set up: made (unconfirmed, with a new random key) the first
    time the person opens the setup page, and shown again until they confirm it with a code."""
    person_lock(person)
    if two_factor_enabled(person):
        raise TwoFactorAlreadyOn()
    pending = TOTPDevice.objects.filter(user=person, confirmed=False).order_by("-id").first()
    if pending is not None:
        return pending
    device = TOTPDevice.objects.create(user=person, name=APP_DEVICE_NAME, confirmed=False)
    audit_record(actor=person, event=PeopleEvent.TWO_FACTOR_SETUP_START, subject_id=person.public_id)
    return device


def two_factor_confirm(*, person: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turns two-step sign-in on with the first code the new app shows: the app is confirmed and
    10 recovery codes are made. Returns the device and the codes (shown once, never again)."""
    _codes_counted(person)
    code = _code_clean(code)
    pending = TOTPDevice.objects.filter(user=person, confirmed=False)
    if not _is_app_code(code) or _device_verify(pending, code) is None:
        raise _code_invalid()
    with transaction.atomic():
        person_lock(person)
        if two_factor_enabled(person):  # confirmed a moment ago, in another tab
            raise TwoFactorAlreadyOn()
        device = TOTPDevice.objects.filter(user=person, confirmed=False).order_by("-id").first()
        if device is None:
            raise _code_invalid()
        TOTPDevice.objects.filter(user=person, confirmed=False).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(person)
        audit_record(
            actor=person, event=PeopleEvent.TWO_FACTOR_ENABLE, subject_id=person.public_id,
            data={"recovery_codes": len(codes)},
        )  # fmt: skip
    return device, codes


def two_factor_verify(*, person: User, code: str) -> Device:
    """The second step: a code from the app, or a recovery code (which is then used up, and
    audited). Returns the device that took it, for `django_otp.login`."""
    _codes_counted(person)
    code = _code_clean(code)
    if _is_app_code(code):
        app = _device_verify(TOTPDevice.objects.filter(user=person, confirmed=True), code)
        if app is None:
            raise _code_invalid()
        return app

    def used(device: StaticDevice) -> None:
        audit_record(
            actor=person, event=PeopleEvent.TWO_FACTOR_RECOVERY_CODE_USE, subject_id=person.public_id,
            data={"recovery_codes_left": device.token_set.count()},
        )  # fmt: skip

    recovery = (
        _device_verify(StaticDevice.objects.filter(user=person, confirmed=True), code, on_match=used)
        if code and two_factor_enabled(person)
        else None
    )
    if recovery is None:
        raise _code_invalid()
    return recovery


def two_factor_token_check(*, person: User, code: str) -> None:
    """The API's second step (`POST /api/v1/auth/token` with "code"): a person with two-step
    sign-in sends a code; a person whose role needs it and who has not set it up is sent to the
    website first."""
    if two_factor_enabled(person):
        if not code.strip():
            raise TwoFactorCodeRequired()
        two_factor_verify(person=person, code=code)
    elif two_factor_required(person):
        raise TwoFactorSetupRequired()


@transaction.atomic
def recovery_codes_regenerate(*, person: User) -> list[str]:
    """New recovery codes; the old ones stop working. Returned once, to show."""
    person_lock(person)
    if not two_factor_enabled(person):
        raise TwoFactorNotOn()
    codes = _recovery_codes_replace(person)
    audit_record(
        actor=person, event=PeopleEvent.TWO_FACTOR_RECOVERY_CODES_REGENERATE, subject_id=person.public_id,
        data={"recovery_codes": len(codes)},
    )  # fmt: skip
    return codes


@transaction.atomic
def two_factor_disable(*, person: User, password: str) -> None:
    """Turns two-step sign-in off, with the person's password: the app and the recovery codes are
    deleted. Refused to anyone whose role needs it (two_factor_required)."""
    person_lock(person)
    if two_factor_required(person):
        raise TwoFactorRequiredForRole()
    if not two_factor_enabled(person):
        raise TwoFactorNotOn()
    if not person.check_password(password):
        raise WrongPassword(fields={"password": [WrongPassword.message]})
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    audit_record(actor=person, event=PeopleEvent.TWO_FACTOR_DISABLE, subject_id=person.public_id)


@transaction.atomic
def two_factor_demo_device_install(*, actor: Actor, person: User, base32_key: str) -> TOTPDevice:
    """For the demo only (`seed_demo`): gives a demo account an authenticator app with a key the
    demo prints, so that `make run` can be walked with two-step sign-in on. Does nothing to an
    account that already has one."""
    person_lock(person)
    existing = two_factor_app_device(person)
    if existing is not None:
        return existing
    TOTPDevice.objects.filter(user=person).delete()
    device = TOTPDevice.objects.create(
        user=person, name=APP_DEVICE_NAME, confirmed=True, key=totp_key_hex(base32_key)
    )
    audit_record(
        actor=actor, event=PeopleEvent.TWO_FACTOR_ENABLE, subject_id=person.public_id,
        data={"recovery_codes": 0, "demo": True},
    )  # fmt: skip
    return device


def two_factor_devices_erase(person: Any) -> int:
    """Deletes every device of the person (part of erasure, which audits it)."""
    return (
        TOTPDevice.objects.filter(user=person).delete()[0]
        + StaticDevice.objects.filter(user=person).delete()[0]
    )
