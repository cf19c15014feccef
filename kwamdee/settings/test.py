"""Test settings: fast password hashing; the database follows DATABASE_URL like base."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NATIONAL_ID_HASH_KEY = "test-national-id-key"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": None}  # noqa: F405
# The test client's login() passes no request, which django-axes needs; the lockout has its
# own tests, which switch it on.
AXES_ENABLED = False
# Tests read from the primary only, even when DATABASE_REPLICA_URLS names a replica: a test that
# proves the replicas (tests/common/test_replica.py) turns them on for itself.
DATABASE_REPLICAS = []

# Tests book tasks themselves: a queue holds only what a test put there.
RETENTION_AUTOBOOK = False
# The whole suite signs people up from 127.0.0.1; tests of the limit set their own.
SIGNUP_LIMIT_PER_CLIENT = (10_000, 3600)
