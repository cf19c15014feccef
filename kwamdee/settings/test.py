"""Test settings: fast password hashing; the database follows DATABASE_URL like base."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NATIONAL_ID_HASH_KEY = "test-national-id-key"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files of the suite go to a temporary folder, never into var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kwamdee-test-media-"))
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
# Two-step sign-in is off for the suite: the hundreds of tests that sign in a verifier, staff or an
# admin would each need a device and a code. The two-factor tests (tests/people/test_two_factor.py,
# the browser test) turn it on; a device a test gives someone counts whatever this says.
TWO_FACTOR_REQUIRED = False
# The same for the codes that confirm a phone or e-mail (tests of the limits set their own).
CONTACT_CODE_LIMIT_PER_LOGIN = (10_000, 3600)
CONTACT_CODE_LIMIT_PER_CLIENT = (10_000, 3600)
CONTACT_CODE_ENTRY_LIMIT_PER_CLIENT = (10_000, 900)
