"""The rotating check-in code: signed with the server's key, naming the activity and a time window.

A code is `signing.dumps({"a": activity id, "w": window number})` (Django's TimestampSigner over a
JSON object, with a salt of its own). The window is `ACTIVITY_CODE_WINDOW_SECONDS` long (30 s by
default, 30–60 s in use); a code is taken during its own window and the next one, so a
screenshot sent to a friend stops working within one to two windows.

A person's own code (`person_code_make`), shown on their page `/activities/my-code/` for an
organizer to scan, is `signing.dumps({"p": person's public id})` with another salt: it names the
person by their random public id, never their phone or e-mail. It does not rotate: it is used only
by an organizer, in front of the person, and gives the organizer nothing that typing the person's
phone number would not (so a screenshot or a printed card is fine, and an elderly person without a
smartphone can carry it on paper). It is taken for `ACTIVITY_PERSON_CODE_DAYS` (365) after it was
made, so a lost card stops working within a year; opening the page again makes a new one."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils import timezone

from kwamdee.activities.errors import (
    CodeExpired,
    CodeInvalid,
    CodeOtherActivity,
    PersonCodeExpired,
    PersonCodeInvalid,
)

SALT = "kwamdee.activities.check-in"
PERSON_SALT = "kwamdee.activities.person"


def window_seconds() -> int:
    return max(1, int(getattr(settings, "ACTIVITY_CODE_WINDOW_SECONDS", 30)))


def window_number(now: datetime | None = None) -> int:
    return int((now or timezone.now()).timestamp()) // window_seconds()


def seconds_left(now: datetime | None = None) -> int:
    """Seconds until the code shown now changes."""
    stamp = (now or timezone.now()).timestamp()
    return max(1, window_seconds() - int(stamp) % window_seconds())


def code_make(activity_public_id: Any, now: datetime | None = None) -> str:
    return signing.dumps({"a": str(activity_public_id), "w": window_number(now)}, salt=SALT)


def code_check(activity_public_id: Any, code: str, now: datetime | None = None) -> None:
    """Refuses a code that is forged, of another activity, or past its window and the next."""
    try:
        payload: Any = signing.loads(code or "", salt=SALT)
        window = int(payload["w"])
        activity = str(payload["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise CodeInvalid() from None
    if activity != str(activity_public_id):
        raise CodeOtherActivity()
    if not 0 <= window_number(now) - window <= 1:
        raise CodeExpired()


def person_code_days() -> int:
    return max(1, int(getattr(settings, "ACTIVITY_PERSON_CODE_DAYS", 365)))


def person_code_make(person_public_id: Any) -> str:
    return signing.dumps({"p": str(person_public_id)}, salt=PERSON_SALT)


def looks_like_person_code(text: str) -> bool:
    """A signed code has the signer's ":" separators; a phone number or an e-mail has none."""
    return ":" in (text or "")


def person_code_read(code: str) -> str:
    """The public id a personal code names; refuses one that is forged, damaged or too old."""
    try:
        payload: Any = signing.loads(
            (code or "").strip(), salt=PERSON_SALT, max_age=timedelta(days=person_code_days())
        )
        return str(payload["p"])
    except signing.SignatureExpired:
        raise PersonCodeExpired() from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise PersonCodeInvalid() from None
