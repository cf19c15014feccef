"""Production settings: every secret comes from the environment, PostgreSQL is required.

Start-up is refused (ImproperlyConfigured) with a weak or missing key or without PostgreSQL;
README.md, "Production serving", lists the environment."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .checks import distinct_keys, ed25519_seed, message_backends, postgres_url, strong_key

DEBUG = False
SECRET_KEY = strong_key("DJANGO_SECRET_KEY")
NATIONAL_ID_HASH_KEY = strong_key("KWAMDEE_NATIONAL_ID_KEY")
# The ledger's MAC key (HMAC-SHA256): 32 characters at least, as long as the hash's own output.
LEDGER_MAC_KEY = strong_key("KWAMDEE_LEDGER_KEY", min_length=32)
# The Ed25519 seed that signs ledger checkpoints; its public key is what outsiders check against.
LEDGER_SIGNING_KEY = ed25519_seed("KWAMDEE_LEDGER_SIGNING_KEY", forbidden=DEV_LEDGER_SIGNING_KEY)  # noqa: F405
distinct_keys(
    DJANGO_SECRET_KEY=SECRET_KEY,
    KWAMDEE_NATIONAL_ID_KEY=NATIONAL_ID_HASH_KEY,
    KWAMDEE_LEDGER_KEY=LEDGER_MAC_KEY,
)
postgres_url()  # base.py has already parsed DATABASE_URL into DATABASES

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("KWAMDEE_SSL_REDIRECT", "1") == "1"
# A load balancer's health probe speaks plain HTTP to the app server: answer it, not redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000
# Every subdomain is HTTPS-only as well, and the site may be on browsers' preload list; set
# KWAMDEE_HSTS_SUBDOMAINS=0 where a subdomain still serves plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("KWAMDEE_HSTS_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = SECURE_HSTS_INCLUDE_SUBDOMAINS

# WhiteNoise serves what collectstatic put in STATIC_ROOT (hashed names, gzip/brotli copies).
# base.py derives the finders and autorefresh from its own DEBUG, which defaults to on.
STATIC_ROOT = Path(os.environ.get("KWAMDEE_STATIC_ROOT", STATIC_ROOT))  # noqa: F405
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One-time codes (password reset): e-mail through Django's mail, SMS only through a real backend
# (settings/checks.py, message_backends: a console or file backend is refused).
KWAMDEE_MESSAGE_BACKENDS = message_backends()
DEFAULT_FROM_EMAIL = os.environ.get("KWAMDEE_FROM_EMAIL", "Kwamdee <no-reply@localhost>")
EMAIL_HOST = os.environ.get("KWAMDEE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KWAMDEE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KWAMDEE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KWAMDEE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("KWAMDEE_EMAIL_TLS", "0") == "1"
# The request throttles (password reset) count in a cache every server process shares: the
# database's (its table is made by the people app's migration 0003); a per-process memory cache
# would give each gunicorn worker its own count.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kwamdee_cache"},
}
