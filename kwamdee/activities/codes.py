"""The rotating check-in code: signed with the server's key, naming the activity and a time window.

A code is `signing.dumps({"a": activity id, "w": window number})` (Django's TimestampSigner over a
JSON object, with a salt of its own). The window is `ACTIVITY_CODE_WINDOW_SECONDS` long (30 s by
default, 30–60 s in use); a code is taken during its own window and the next one, so a
screenshot sent to a friend stops working within one to two windows."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils import timezone

from kwamdee.activities.errors import CodeExpired, CodeInvalid, CodeOtherActivity

SALT = "kwamdee.activities.check-in"


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
