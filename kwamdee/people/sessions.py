"""Signing a person out everywhere: every web session of theirs ends, this one included, and
every API token is revoked (My account, "Sign out on every device").

Sessions live in the database (Django's engine, settings.SESSION_ENGINE). A session row keeps its
data signed and encoded, with no column that says whose it is, so `person_sessions_end` reads the
sessions that have not expired and deletes those of the person, through the session engine (a
`cached_db` engine then drops its cached copy too). Sessions end after 3 days unused (8 hours with
a role; common/middleware.py), so the rows read are those of the people active in the last three
days, in batches (about 30 µs each to decode), for a button a person presses rarely. A session
table with a person column (Django's AbstractBaseSession) would make it one DELETE, at the price
of a new session engine; docs/privacy.md says when that becomes worth it.

A password change needs none of this: Django checks every session against a hash of the password
(HASH_SESSION_KEY), so a new password ends the other sessions by itself, and the view keeps its
own with `update_session_auth_hash`. Both revoke the API tokens through `api_tokens_revoke_all`."""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import User
from kwamdee.people.services import api_tokens_revoke_all, person_lock

# The engines whose sessions are rows that can be read back (the others cannot be listed).
DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}
READ_IN_BATCHES_OF = 2000


def person_sessions_end(person: User) -> int:
    """Deletes every session of `person` that has not expired; returns how many."""
    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        raise ImproperlyConfigured("Signing out everywhere needs sessions kept in the database.")
    store: Any = import_module(settings.SESSION_ENGINE).SessionStore
    live = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    user_id = str(person.pk)
    theirs = [
        session.session_key
        for session in live.only("session_key", "session_data").iterator(chunk_size=READ_IN_BATCHES_OF)
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    for key in theirs:
        store(session_key=key).delete()
    return len(theirs)


@transaction.atomic
def person_sign_out_everywhere(*, actor: User, person: User) -> dict[str, int]:
    """Ends every web session of `person` (the caller's own included: the view then shows the
    sign-in page) and revokes every API token of theirs; one audit event with the counts."""
    if getattr(actor, "pk", None) is None or actor.pk != person.pk:
        raise PermissionDenied(_("Only the person can sign themselves out everywhere."))
    person_lock(person)
    ended = {
        "sessions_ended": person_sessions_end(person),
        "api_tokens_revoked": api_tokens_revoke_all(person),
    }
    audit_record(actor=actor, event=PeopleEvent.SIGN_OUT_EVERYWHERE, subject_id=person.public_id, data=ended)
    return ended
