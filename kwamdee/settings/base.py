"""Settings for Kwamdee. SQLite under var/ by default; PostgreSQL when DATABASE_URL is set."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .checks import proxy_networks

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("KWAMDEE_VAR_DIR", PROJECT_DIR / "var"))

# Development defaults; production.py demands real values from the environment.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-kwamdee")
# Off unless asked for: `make run` asks (DJANGO_DEBUG=1), a server that forgets stays safe.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

# The ledger's keys, which the database never holds (docs/ledger.md, "Tamper evidence"):
# LEDGER_MAC_KEY seals each entry (HMAC-SHA256); LEDGER_SIGNING_KEY (an Ed25519 seed, 64 hex
# digits) signs checkpoints of every chain head, which are also written to LEDGER_CHECKPOINT_DIR
# for the operator to ship elsewhere.
LEDGER_MAC_KEY = os.environ.get("KWAMDEE_LEDGER_KEY", "dev-only-ledger-mac-key-change-me-kwamdee")
DEV_LEDGER_SIGNING_KEY = "9d1f5c0e3b7a4d2e8f6a1c3b5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d0e"
LEDGER_SIGNING_KEY = os.environ.get("KWAMDEE_LEDGER_SIGNING_KEY", DEV_LEDGER_SIGNING_KEY)
LEDGER_CHECKPOINT_DIR = Path(os.environ.get("KWAMDEE_CHECKPOINT_DIR", VAR_DIR / "checkpoints"))
# Each province's deed credit is spread over this many chains (by a hash of the person), so that
# verifications in one province do not queue behind one chain head.
LEDGER_SHARDS_PER_PROVINCE = int(os.environ.get("KWAMDEE_LEDGER_SHARDS", "8"))

# Key of the keyed hash (HMAC-SHA256) under which national ID numbers are stored.
# The number itself is never stored.
NATIONAL_ID_HASH_KEY = os.environ.get("KWAMDEE_NATIONAL_ID_KEY", "dev-only-national-id-key")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the project's FORM_RENDERER
    "csp",
    "ninja",
    "kwamdee.common.third_party_apps.AxesConfig",  # axes, named in Thai in the admin
    "django_tasks",
    "kwamdee.common.third_party_apps.TasksDatabaseConfig",  # django_tasks_db, named in Thai in the admin
    # Two-step sign-in (kwamdee/people/two_factor.py): an authenticator app (TOTP) and recovery
    # codes (django-otp's static tokens). Before the project's apps: people/admin.py unregisters
    # their admin pages, which would show the keys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The project's apps, in their layers from the ground up (docs/architecture.md).
    "kwamdee.common",
    "kwamdee.ledger",
    "kwamdee.areas",
    "kwamdee.people",
    "kwamdee.organizations",
    "kwamdee.catalog",
    "kwamdee.evidence",
    "kwamdee.deeds",
    "kwamdee.rewards",
    "kwamdee.activities",
    "kwamdee.appeals",
    "kwamdee.notifications",
    "kwamdee.review",
    "kwamdee.loans",
    "kwamdee.timebank",
    "kwamdee.assessments",
    "kwamdee.passbook",
    "kwamdee.impact",
    "kwamdee.exchange",
    "kwamdee.privacy",
    "kwamdee.site",
    "kwamdee.demo",
]

# Background tasks (django-tasks, the backport of Django 6's django.tasks). The database backend
# needs no extra server: `manage.py db_worker` runs them (`make run` starts one beside the web
# server; production runs several). KWAMDEE_TASKS_IMMEDIATE=1 runs each task at once, in-process.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("KWAMDEE_TASKS_IMMEDIATE") == "1"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that even an error page answered by a later middleware carries them.
    "csp.middleware.CSPMiddleware",
    "kwamdee.common.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A browser that wrote reads from the primary for a while (kwamdee/common/db_router.py).
    "kwamdee.common.db_router.ReadYourWritesMiddleware",
    "kwamdee.common.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "kwamdee.common.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sends a signed-in person to the second step, or to set it up when their role needs it.
    "kwamdee.people.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kwamdee.common.middleware.RejectNulMiddleware",
    "kwamdee.common.middleware.NoStoreForPersonalMiddleware",
    # Last, as django-axes asks: it answers for sign-ins that are locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kwamdee.urls"
WSGI_APPLICATION = "kwamdee.wsgi.application"
ASGI_APPLICATION = "kwamdee.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kwamdee.site.navigation.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]


# Forms draw the project's field component (kwamdee/templates/components/, docs/ui.md).
FORM_RENDERER = "kwamdee.common.forms.FormRenderer"


def _database_from_env() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "kwamdee.sqlite3",
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
            # failing with "database is locked" half-way through a transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database_from_env()}


def replica_databases(urls: str) -> dict[str, dict[str, Any]]:
    """`DATABASE_REPLICA_URLS` (comma-separated URLs of read replicas of the default database)
    as the aliases replica_1, replica_2, ... In tests each mirrors the default's test database,
    which a real streaming replica receives by itself (docs/scaling.md, "Read replicas")."""
    parsed = [dj_database_url.parse(url.strip(), conn_max_age=60) for url in urls.split(",") if url.strip()]
    return {f"replica_{n}": {**db, "TEST": {"MIRROR": "default"}} for n, db in enumerate(parsed, 1)}


# Reads go to a replica only where the code marks them replica-safe, never a person's own pages
# (kwamdee/common/db_router.py); writes and migrations always go to the default database.
DATABASES.update(replica_databases(os.environ.get("DATABASE_REPLICA_URLS", "")))
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["kwamdee.common.db_router.ReplicaRouter"]
# How long a browser that wrote keeps reading from the primary (above any normal replica lag).
REPLICA_PIN_SECONDS = int(os.environ.get("KWAMDEE_REPLICA_PIN_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not the site's own name ("kwamdee1"), nor the person's name, phone or e-mail.
    {"NAME": "kwamdee.common.passwords.SiteWordsValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["full_name", "phone", "email", "username"]},
    },
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "passbook:passbook"
LOGOUT_REDIRECT_URL = "home"

# Thai first: the site is in Thai unless the person picks English.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development, serve straight from the app folders; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# A session ends after this long unused (common/middleware.py, SessionIdleMiddleware): three days
# for a citizen on their own phone, eight hours for anyone with a role (verifier, staff, admins).
SESSION_IDLE_SECONDS = 3 * 24 * 3600
SESSION_IDLE_SECONDS_ROLES = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): everything from this site only. Scripts run from files
# (an inline script would need `{{ request.csp_nonce }}`); style attributes are allowed for the
# SDG swatches' colours (validated to #rrggbb on import) but no <style> element is; no site may
# frame the pages. The API's Swagger page (django-ninja's, inline script) is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Features no page uses, switched off for every page (kwamdee.common.middleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# The version of the membership notice a newcomer consents to; bump it when the text changes.
CONSENT_NOTICE_VERSION = "2026-11-01"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in after too many failures (web and API token alike).
    "axes.backends.AxesStandaloneBackend",
    "kwamdee.people.backends.PhoneOrEmailBackend",
]
# The sign-in throttle (django-axes; docs/privacy.md, "Sign-in attempts"). Within the cool-off, a
# sign-in is refused after AXES_FAILURE_LIMIT failures for one login from one client, or after
# SIGNIN_CLIENT_FAILURE_LIMIT failures from one client across all logins (password spraying).
# One rule names the login (people/throttle.py: the phone or e-mail normalized, as the backend
# reads it) and one names the client (common/client.py: behind TRUSTED_PROXIES only).
AXES_HANDLER = "kwamdee.people.throttle.SignInThrottleHandler"
AXES_USERNAME_CALLABLE = "kwamdee.people.throttle.signin_login"
AXES_CLIENT_IP_CALLABLE = "kwamdee.common.client.client_throttle_key"
AXES_FAILURE_LIMIT = 10
SIGNIN_CLIENT_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True  # the login's own failures; never the client's (people/throttle.py)
AXES_LOCKOUT_CALLABLE = "kwamdee.people.views.locked_out"
# No record of successful sign-ins (address, user agent); failures are kept only while they count,
# then `manage.py axes_prune` (run daily) removes what is left.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
SIGNIN_LOG_RETENTION_DAYS = 0  # axes_prune deletes sign-in logs older than this (0: every one)
# The reverse proxies whose X-Forwarded-For tells the client's address (common/client.py): a
# comma-separated list of addresses or networks. Empty, the default, trusts none (REMOTE_ADDR).
TRUSTED_PROXIES = proxy_networks("KWAMDEE_TRUSTED_PROXIES")
# Two-step sign-in (kwamdee/people/two_factor.py): a code from an authenticator app after the
# password. Required for verifiers, organization and community admins, auditors, staff and the
# Django admin's staff (two_factor_required); a citizen may turn it on. Off only in tests.
TWO_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = "Kwamdee"  # the name the authenticator app shows beside the code
TWO_FACTOR_RECOVERY_CODES = 10
# Codes typed (second step, its setup, the API's token) per person: (count, seconds). django-otp
# also makes each device wait 1, 2, 4, 8… seconds after each wrong code.
TWO_FACTOR_CODE_LIMIT_PER_PERSON = (10, 900)
# API tokens expire; a person takes a new one by signing in again.
API_TOKEN_LIFETIME_DAYS = 90
API_TOKEN_IDLE_DAYS = 30  # unused this long, a token ends

# How one-time codes reach people (kwamdee/people/messaging.py): one backend per channel. E-mail
# goes through Django's mail (EMAIL_BACKEND); SMS prints to the console in development and tests.
# Production (production.py) never takes a console or file backend unless told so in words.
KWAMDEE_MESSAGE_BACKENDS = {
    "email": "kwamdee.people.messaging.EmailBackend",
    "sms": "kwamdee.people.messaging.ConsoleBackend",
}
KWAMDEE_MESSAGE_FILE_DIR = VAR_DIR / "messages"  # for kwamdee.people.messaging.FileBackend
# One-time codes (people/codes.py; docs/privacy.md, "One-time codes"), for a password reset and
# for confirming a phone or e-mail: 6 digits, valid this many minutes, this many tries, once.
# Requests are limited per login and per client (common/client.py) in Django's cache:
# (count, seconds).
ONE_TIME_CODE_MINUTES = 15
ONE_TIME_CODE_MAX_TRIES = 5
SIGNUP_LIMIT_PER_CLIENT = (20, 3600)  # sign-ups from one client address an hour (a family, a kiosk)
PASSWORD_RESET_LIMIT_PER_LOGIN = (3, 3600)
PASSWORD_RESET_LIMIT_PER_CLIENT = (10, 3600)
PASSWORD_RESET_CODE_LIMIT_PER_CLIENT = (30, 900)  # codes typed, across logins
# Confirming a contact (people/contact_confirmation.py): codes sent to one phone or address
# (the sign-up's first, then "send again" and profile changes), "send again" asked from one client,
# codes typed from one client; and the notice to the owner of a phone or address someone tried to
# join with, at most once an hour each, so that the sign-up cannot be used to flood anyone.
CONTACT_CODE_LIMIT_PER_LOGIN = (5, 3600)
CONTACT_CODE_LIMIT_PER_CLIENT = (10, 3600)
CONTACT_CODE_ENTRY_LIMIT_PER_CLIENT = (30, 900)
SIGNUP_OWNER_NOTICE_LIMIT = (1, 3600)

# How long each kind of data is kept, in days, applied every day at 03:00 by the privacy app's
# background task (common/retention.py; docs/privacy.md gives the reason for each).
RETENTION_AUTOBOOK = True  # `migrate` books the first daily run (off in tests: queues stay empty)
RETENTION_DAYS = {
    "rejected_deed_text": int(os.environ.get("KWAMDEE_RETAIN_REJECTED_TEXT_DAYS", "365")),
    "idempotency_records": 7,
    # What a person and staff wrote in a request about personal data, after the answer (privacy).
    "data_request_text": int(os.environ.get("KWAMDEE_RETAIN_REQUEST_TEXT_DAYS", "365")),
    # A notification once read (notifications/retention.py); unread ones stay until read.
    "read_notifications": int(os.environ.get("KWAMDEE_RETAIN_READ_NOTIFICATIONS_DAYS", "180")),
    # Photos and documents of a rejected deed, after the decision (evidence/retention.py).
    "rejected_deed_evidence": int(os.environ.get("KWAMDEE_RETAIN_REJECTED_EVIDENCE_DAYS", "180")),
}

# Uploaded files (evidence of deeds) go through Django's storage API: local files under var/media
# by default. Never served from MEDIA_URL: the deeds app streams each file only to those who may
# see its deed (deeds:evidence). Production may set an S3-compatible storage in STORAGES["default"]
# (django-storages' S3Storage with a private bucket, AWS_DEFAULT_ACL=None, querystring auth off:
# the files still pass through the serving view).
MEDIA_ROOT = Path(os.environ.get("KWAMDEE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Evidence of a deed (kwamdee/evidence/services.py): each file at most this many bytes, at most
# this many files per deed, images at most this many pixels (a decompression bomb is refused) and
# downscaled to this longest side.
EVIDENCE_MAX_BYTES = int(os.environ.get("KWAMDEE_EVIDENCE_MAX_BYTES", str(8 * 1024 * 1024)))
EVIDENCE_MAX_FILES = 4
EVIDENCE_MAX_PIXELS = 40_000_000
EVIDENCE_MAX_DIMENSION = 2000

# The fairness review (docs/architecture.md, "Fairness"). A community's local deed type stays
# within these national bounds: credit and points per deed, hour or unit, and the quantity of one
# deed, by how it is priced; and it must set the limits named in "required_limits", each at most
# the number given. kwamdee.catalog.validation.local_rule_problems applies them, in one place.
KWAMDEE_LOCAL_BOUNDS = {
    "credit_per_unit": {"per_hour": 10, "per_unit": 5, "per_deed": 30},
    "points_per_unit": {"per_hour": 10, "per_unit": 5, "per_deed": 30},
    "quantity_per_deed": {"per_hour": 8, "per_unit": 100, "per_deed": 1},
    "required_limits": {"per_day": 4, "per_year": 200},
}
# A sponsor's pledge is a promise of at most this many points; its budget is spendable only once
# staff record the funding received. A deed type's public page shows a sponsor's bonus only while
# the funded budget left covers at least this many bonuses, so that its disappearing never tells
# the sponsor that exactly one deed was verified.
KWAMDEE_PLEDGE_MAX_POINTS = 1_000_000
KWAMDEE_BONUS_SHOWN_MIN_BONUSES = 10

# A verification whose credit is above this needs a second verifier (deeds.services): the first
# one's "verify" is an approval, and another verifier of the area credits it. 200 is 20 hours of
# the national catalog's highest-priced hours (10 credit an hour): rare for one deed.
KWAMDEE_SECOND_APPROVAL_CREDIT = int(os.environ.get("KWAMDEE_SECOND_APPROVAL_CREDIT", "200"))

# A person may appeal the rejection of their deed once, within this many days of the rejection
# (kwamdee/appeals). Another verifier of the area, or the community committee, decides.
APPEAL_WINDOW_DAYS = int(os.environ.get("KWAMDEE_APPEAL_WINDOW_DAYS", "30"))
