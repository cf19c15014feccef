"""Witnesses of a deed: named by the person when recording a deed type that asks for them, and
their answers. A deed waits for witnesses (awaiting_witnesses) until as many as its deed type
asks have confirmed; then it goes to the verifiers (pending). A witness who declines changes
nothing else: the person may name someone else."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.deeds.choices import DeedStatus, WitnessAnswer
from kwamdee.deeds.errors import NotAskedToWitness
from kwamdee.deeds.events import DeedsEvent
from kwamdee.deeds.models import AssistConsent, Deed, DeedWitness
from kwamdee.people.selectors import consent_active, consenting_filter, contact_confirmed, person_by_login

# A person names between the deed type's number of witnesses and this many: a few spare, in
# case one cannot answer ("n of m").
MAX_WITNESSES = 5
WITNESSES_FIELD = "witnesses"


def witnesses_clean(logins: Sequence[str], *, required: int, person: Any, recorder: Any) -> list[Any]:
    """The members named as witnesses (by phone or e-mail), checked: at least `required`, at
    most MAX_WITNESSES, each a member who takes part and proved their contact, none of them the
    person or whoever records the deed for them, none twice. Refuses with every problem named."""
    named = [str(login).strip() for login in logins if str(login).strip()]
    problems: list[Any] = []
    if len(named) < required:
        problems.append(
            _("Name at least %(n)s witnesses who saw your deed (their phone numbers or e-mails).")
            % {"n": required}
        )
    if len(named) > MAX_WITNESSES:
        problems.append(_("Name at most %(n)s witnesses.") % {"n": MAX_WITNESSES})
    people: list[Any] = []
    for login in named[:MAX_WITNESSES]:
        witness = person_by_login(login)
        if witness is None or not witness.is_active or consent_active(person=witness) is None:
            problems.append(
                _("%(login)s is not a member of Kwamdee. A witness must be a member.") % {"login": login}
            )
        elif witness.pk in (person.pk, getattr(recorder, "pk", None)):
            problems.append(
                _("A witness must be someone else, not the person who did the deed or recorded it.")
            )
        elif not contact_confirmed(witness):
            problems.append(
                _("%(login)s has not yet proved their phone number or e-mail.") % {"login": login}
            )
        elif any(w.pk == witness.pk for w in people):
            problems.append(_("%(login)s is named twice.") % {"login": login})
        else:
            people.append(witness)
    if problems:
        raise ValidationFailed(fields={WITNESSES_FIELD: problems})
    return people


def witnesses_ask(*, deed: Deed, witnesses: Sequence[Any]) -> None:
    """Names the witnesses of a deed being recorded (inside its transaction)."""
    DeedWitness.objects.bulk_create([DeedWitness(deed=deed, witness=w) for w in witnesses])


def witness_requests(*, witness: Any) -> QuerySet[DeedWitness]:
    """The deeds `witness` is asked to confirm and has not answered, oldest first. Not those of a
    person who withdrew their consent (or was erased): then only the person sees their deeds."""
    return (
        DeedWitness.objects.filter(
            consenting_filter(person_field="deed__person"),
            witness=witness,
            answer=WitnessAnswer.ASKED,
            deed__status=DeedStatus.AWAITING_WITNESSES,
        )
        .select_related("deed", "deed__deed_type", "deed__person")
        .order_by("created_at", "id")
    )


def deed_witnesses(deed: Deed) -> list[DeedWitness]:
    return list(DeedWitness.objects.filter(deed=deed).select_related("witness"))


def witnesses_by_deed(deed_ids: Sequence[int]) -> dict[int, list[DeedWitness]]:
    """The witnesses of many deeds in one query (the verifier's desk)."""
    out: dict[int, list[DeedWitness]] = {}
    for row in DeedWitness.objects.filter(deed_id__in=list(deed_ids)).select_related("witness"):
        out.setdefault(row.deed_id, []).append(row)
    return out


@transaction.atomic
def witness_answer(*, actor: Any, deed_public_id: Any, confirm: bool) -> DeedWitness:
    """A named witness confirms or declines, once. When the confirmations reach the number the
    deed type asks, the deed goes to the verifiers. Anyone not asked is told the deed does not
    exist, as reading it would."""
    if not getattr(actor, "pk", None):
        raise NotFound()
    try:
        deeds = rows_lock(
            Deed.objects.filter(public_id=deed_public_id).select_related("deed_type", "person"), of=("self",)
        )
    except (ValueError, DjangoValidationError):
        raise NotFound() from None
    row = DeedWitness.objects.filter(deed__in=deeds, witness=actor).first() if deeds else None
    if row is None or consent_active(person=deeds[0].person) is None:
        raise NotFound()  # not asked, or the person no longer takes part: as witness_requests
    deed = row.deed = deeds[0]
    if row.answer != WitnessAnswer.ASKED or deed.status != DeedStatus.AWAITING_WITNESSES:
        raise NotAskedToWitness()
    row.answer = WitnessAnswer.CONFIRMED if confirm else WitnessAnswer.DECLINED
    row.answered_at = timezone.now()
    row.save(update_fields=["answer", "answered_at", "updated_at"])
    confirmed = DeedWitness.objects.filter(deed=deed, answer=WitnessAnswer.CONFIRMED).count()
    to_verifiers = confirmed >= max(deed.deed_type.witnesses_required, 1)
    if to_verifiers:
        deed.status = DeedStatus.PENDING
        deed.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, event=DeedsEvent.WITNESS_ANSWER, subject_id=deed.public_id,
        data={"answer": row.answer, "confirmed": confirmed, "to_verifiers": to_verifiers},
    )  # fmt: skip
    return row


@transaction.atomic
def witness_add(*, actor: Any, deed_public_id: Any, login: str) -> DeedWitness:
    """The person names one more witness of a deed still waiting for witnesses (one declined or
    cannot answer). Only the deed's person, or the helper who recorded it for them."""
    if not getattr(actor, "pk", None):
        raise NotFound()
    try:
        deeds = rows_lock(
            Deed.objects.filter(
                Q(person=actor) | Q(recorded_by=actor), public_id=deed_public_id
            ).select_related("person"),
            of=("self",),
        )
    except (ValueError, DjangoValidationError):
        raise NotFound() from None
    if not deeds:
        raise NotFound()
    deed = deeds[0]
    if (
        deed.person_id != actor.pk
        and not AssistConsent.objects.filter(
            person_id=deed.person_id, helper=actor, revoked_at__isnull=True
        ).exists()
    ):
        raise NotFound()  # a helper whose consent ended no longer sees the deed (deed_visible_to)
    if consent_active(person=deed.person) is None:
        raise PermissionDenied(
            _("You have withdrawn your consent to take part.")
            if deed.person_id == actor.pk
            else _("This person has withdrawn their consent to take part.")
        )
    if deed.status != DeedStatus.AWAITING_WITNESSES:
        raise NotAskedToWitness(_("This deed is not waiting for witnesses."))
    named = DeedWitness.objects.filter(deed=deed).count()
    if named >= MAX_WITNESSES:
        message = _("Name at most %(n)s witnesses.") % {"n": MAX_WITNESSES}
        raise ValidationFailed(fields={WITNESSES_FIELD: [message]})
    [witness] = witnesses_clean([login], required=1, person=deed.person, recorder=deed.recorded_by)
    if DeedWitness.objects.filter(deed=deed, witness=witness).exists():
        message = _("%(login)s is named already.") % {"login": login}
        raise ValidationFailed(fields={WITNESSES_FIELD: [message]})
    row = DeedWitness.objects.create(deed=deed, witness=witness)
    audit_record(
        actor=actor, event=DeedsEvent.WITNESS_ADD, subject_id=deed.public_id,
        data={"witnesses": [witness.pk]},
    )  # fmt: skip
    return row
