"""Production settings: every secret comes from the environment, PostgreSQL is required."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
NATIONAL_ID_HASH_KEY = os.environ["KWAMDEE_NATIONAL_ID_KEY"]
if "DATABASE_URL" not in os.environ:
    raise RuntimeError("Production needs DATABASE_URL pointing at PostgreSQL.")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("KWAMDEE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
