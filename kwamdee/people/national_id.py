"""Thai national ID numbers: checksum validation and the keyed hash that is stored instead."""

import hashlib
import hmac

from django.conf import settings


def national_id_normalize(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


def national_id_is_valid(number: str) -> bool:
    """13 digits whose last is the mod-11 check digit of the first 12 (DOPA's rule)."""
    if len(number) != 13 or not number.isdigit() or number[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(number[:12]))
    return (11 - total % 11) % 10 == int(number[12])


def national_id_hash(number: str) -> str:
    key = settings.NATIONAL_ID_HASH_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
