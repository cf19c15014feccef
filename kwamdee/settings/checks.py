"""Refusals that production.py applies to its environment before anything starts.

A weak key is refused at start-up rather than warned about (Django's own check only warns, and
only for SECRET_KEY): a site that signs sessions, hashes national ID numbers and MACs the ledger
with a guessable key must not run at all."""

import ipaddress
import os
from collections.abc import Mapping

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured


def strong_key(
    name: str, environ: Mapping[str, str] = os.environ, *, min_length: int = SECRET_KEY_MIN_LENGTH
) -> str:
    """The value of the environment variable `name`, or ImproperlyConfigured if it is missing or
    weak: shorter than `min_length`, fewer than 5 distinct characters, or Django's generated
    development key ("django-insecure-…"). The rule is Django's own for SECRET_KEY (W009)."""
    value = environ.get(name)
    how = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. {how}")
    if len(value) < min_length:
        raise ImproperlyConfigured(f"{name} is too short ({len(value)} < {min_length} characters). {how}")
    if len(set(value)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"{name} has fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS} distinct characters. {how}"
        )
    if value.startswith(SECRET_KEY_INSECURE_PREFIX):
        raise ImproperlyConfigured(f"{name} is a development key ({SECRET_KEY_INSECURE_PREFIX}…). {how}")
    return value


def distinct_keys(**keys: str) -> None:
    """Refuses one value reused for two keys: each must be worthless to whoever learns another."""
    names = sorted(keys)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            if keys[first] == keys[second]:
                raise ImproperlyConfigured(f"{first} and {second} must be different keys.")


def postgres_url(environ: Mapping[str, str] = os.environ) -> str:
    """DATABASE_URL, or ImproperlyConfigured unless it points at PostgreSQL: production's row
    locks, SKIP LOCKED task workers and append-only triggers exist only there."""
    value = environ.get("DATABASE_URL", "")
    if not value.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "Production needs DATABASE_URL pointing at PostgreSQL "
            "(postgres://user:password@host:5432/name or postgresql://…)."
        )
    return value


def ed25519_seed(name: str, environ: Mapping[str, str] = os.environ, *, forbidden: str = "") -> str:
    """An Ed25519 private key seed: 64 hex digits, never the development one in base.py."""
    value = environ.get(name, "")
    how = "Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
    try:
        valid = len(bytes.fromhex(value)) == 32
    except ValueError:
        valid = False
    if not valid:
        raise ImproperlyConfigured(f"{name} must be 64 hexadecimal digits (an Ed25519 seed). {how}")
    if value.lower() == forbidden.lower() or len(set(value)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(f"{name} is the development key or a weak one. {how}")
    return value


def proxy_networks(name: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The reverse proxies whose `X-Forwarded-For` is believed (kwamdee/common/client.py): a
    comma-separated list of addresses or networks ("127.0.0.1,10.0.0.0/8"); empty trusts none.
    A value that is not an address or a network is refused rather than silently skipped."""
    specs = [spec.strip() for spec in environ.get(name, "").split(",") if spec.strip()]
    for spec in specs:
        try:
            ipaddress.ip_network(spec, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {spec!r} is not an IP address or network (e.g. 10.0.0.0/8)."
            ) from None
    return specs


# Message backends that only print or write a file: a code "sent" through one reaches nobody.
DEVELOPMENT_MESSAGE_BACKENDS = frozenset(
    {
        "kwamdee.people.messaging.ConsoleBackend",
        "kwamdee.people.messaging.FileBackend",
        "kwamdee.people.messaging.MemoryBackend",
    }
)


def message_backends(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Production's message backends (kwamdee/people/messaging.py): e-mail through Django's mail;
    SMS only when `KWAMDEE_SMS_BACKEND` names a backend, else the channel is unavailable and the
    site says so. A console or file backend, which would tell a person a code was sent when
    nothing was, is refused unless `KWAMDEE_ALLOW_DEVELOPMENT_MESSAGES=1` says it is meant (a
    staging server)."""
    backends = {
        "email": environ.get("KWAMDEE_EMAIL_MESSAGE_BACKEND", "kwamdee.people.messaging.EmailBackend")
    }
    sms = environ.get("KWAMDEE_SMS_BACKEND", "").strip()
    if sms:
        backends["sms"] = sms
    if environ.get("KWAMDEE_ALLOW_DEVELOPMENT_MESSAGES") != "1":
        for channel, backend in backends.items():
            if backend in DEVELOPMENT_MESSAGE_BACKENDS:
                raise ImproperlyConfigured(
                    f"The {channel} message backend {backend} only prints or writes a file: nobody "
                    "would receive a code. Name a real backend, or leave KWAMDEE_SMS_BACKEND unset "
                    "(the site then says SMS is not available), or set "
                    "KWAMDEE_ALLOW_DEVELOPMENT_MESSAGES=1 on a test server."
                )
    return backends
