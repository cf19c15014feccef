"""Settings for Kwamdee. SQLite under var/ by default; PostgreSQL when DATABASE_URL is set."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("KWAMDEE_VAR_DIR", PROJECT_DIR / "var"))

# Development defaults; production.py demands real values from the environment.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-kwamdee")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

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
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # The project's apps, in their layers from the ground up (docs/architecture.md).
    "kwamdee.common",
    "kwamdee.ledger",
    "kwamdee.areas",
    "kwamdee.people",
    "kwamdee.organizations",
    "kwamdee.catalog",
    "kwamdee.deeds",
    "kwamdee.rewards",
    "kwamdee.passbook",
    "kwamdee.exchange",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kwamdee.common.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kwamdee.common.middleware.RejectNulMiddleware",
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
            ],
        },
    },
]


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
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kwamdee.people.views.locked_out"
# API tokens expire; a person takes a new one by signing in again.
API_TOKEN_LIFETIME_DAYS = 90
