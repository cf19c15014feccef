"""Confirming a person's national ID: a verifier looks at the ID card, face to face.

A number typed at sign-up is only a claim, kept as a keyed fingerprint (people/national_id.py).
Claims do not block each other: two accounts may claim one number (one of them typed someone
else's). Once a verifier has seen the card, the number is confirmed for that account, and it is
then the only account that may hold it (a unique constraint over confirmed numbers): other
accounts' claims to it are cleared, and new sign-ups with it are refused.

The card is what counts: when the person typed another number at sign-up (or none), the number
read from the card replaces it. Who may confirm whom is the organizations app's rule (a verifier
of the person's area); this module trusts the caller on that."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.access import NATIONAL_ID_CONFIRM, access_record
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import ValidationFailed
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import User
from kwamdee.people.national_id import national_id_hash, national_id_is_valid, national_id_normalize
from kwamdee.people.services import person_locked


class NationalIdConfirmedElsewhere(ValidationFailed):
    code = "national_id_confirmed_elsewhere"
    message = _(
        "This ID card is already confirmed for another account. The person should sign in to "
        "that account; if it is not theirs, ask the staff for help."
    )


class NationalIdInvalid(ValidationFailed):
    code = "national_id_invalid"
    message = _("This national ID number is not valid. Check the 13 digits on the card.")


@transaction.atomic
def national_id_confirm(*, actor: Any, person: User, national_id: str) -> int:
    """Confirms `national_id` (read from the card) for `person`; returns how many other accounts'
    unconfirmed claims to it were cleared. Writes one audit event and an access record (the
    person sees that a verifier checked their card)."""
    number = national_id_normalize(national_id or "")
    if not national_id_is_valid(number):
        raise NationalIdInvalid(fields={"national_id": [NationalIdInvalid.message]})
    fingerprint = national_id_hash(number)
    person = person_locked(person.pk)  # FOR NO KEY UPDATE, first in the order (common/locks.py)
    others = User.objects.filter(national_id_hash=fingerprint).exclude(pk=person.pk)
    if others.filter(national_id_confirmed_at__isnull=False).exists():
        raise NationalIdConfirmedElsewhere(fields={"national_id": [NationalIdConfirmedElsewhere.message]})
    replaced = bool(person.national_id_hash) and person.national_id_hash != fingerprint
    already = person.national_id_hash == fingerprint and person.national_id_confirmed_at is not None
    cleared = others.update(national_id_hash=None)
    if already and not cleared:
        access_record(viewer=actor, person=person, what=NATIONAL_ID_CONFIRM, subject_id=person.public_id)
        return 0
    person.national_id_hash = fingerprint
    person.national_id_confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            person.save(update_fields=["national_id_hash", "national_id_confirmed_at"])
    except IntegrityError as exc:  # another verifier confirmed the same card for someone else now
        raise NationalIdConfirmedElsewhere(
            fields={"national_id": [NationalIdConfirmedElsewhere.message]}
        ) from exc
    audit_record(
        actor=actor,
        event=PeopleEvent.NATIONAL_ID_CONFIRM,
        subject_id=person.public_id,
        data={"replaced_claim": replaced, "claims_cleared": cleared},
    )
    access_record(viewer=actor, person=person, what=NATIONAL_ID_CONFIRM, subject_id=person.public_id)
    return cleared
