"""Writes about deeds: recording, verifying, rejecting, asking for more, verifying on appeal."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.choices import Evidence, Pricing
from kwamdee.catalog.selectors import (
    deed_types_for_community,
    deed_types_for_person,
    rule_in_force,
    rule_pick,
    rule_versions_stamped,
    rules_stamp_of,
)
from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record, audit_records
from kwamdee.common.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from kwamdee.common.idempotency import (
    MAX_KEY_LENGTH,
    idempotent_replay_check,
    idempotent_response_get,
    idempotent_response_store,
    request_fingerprint,
)
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_problems
from kwamdee.deeds.assisted import assist_person_for
from kwamdee.deeds.choices import DeedStatus, RejectionReason
from kwamdee.deeds.errors import LimitReached, NoRuleInForce, NotAwaitingAnswer, PersonUnconfirmed
from kwamdee.deeds.events import DeedsEvent
from kwamdee.deeds.flags import flags_check_recorded, flags_check_verified
from kwamdee.deeds.ledger import (
    DEED_CREDIT,
    ISSUANCE,
    deed_chain_key,
    deed_credit_account_keys,
    deed_credit_legs,
    deed_shard,
    deed_source,
)
from kwamdee.deeds.limits import limit_windows
from kwamdee.deeds.models import Deed, DeedQuestion
from kwamdee.deeds.pricing import amount_for
from kwamdee.deeds.reversal import (  # noqa: F401  (the auditor's writes, served from here)
    NOTE_MAX_CHARS,
    deed_credit_reverse,
    deed_flag_dismiss,
)
from kwamdee.deeds.selectors import (
    deed_appeal_decision_refusal,
    deed_decision_refusal,
    deed_virtue_weights,
    deeds_for_decision,
)
from kwamdee.deeds.signals import VerifiedDeed, deeds_verified
from kwamdee.deeds.witnessing import WITNESSES_FIELD, witnesses_ask, witnesses_clean
from kwamdee.evidence.errors import EVIDENCE_FIELD
from kwamdee.evidence.services import (
    evidence_attach,
    evidence_required_error,
    evidence_writes_undone_on_failure,
)
from kwamdee.ledger.services import EntryIn, accounts_get_or_create, ledger_transactions_post
from kwamdee.people.errors import ContactUnconfirmed
from kwamdee.people.selectors import consent_active, contact_confirmed
from kwamdee.people.services import people_lock, person_lock

if TYPE_CHECKING:
    from kwamdee.catalog.models import DeedType, RuleVersion

MAX_DEED_AGE_DAYS = 365
MAX_HOURS_PER_DEED = Decimal(24)
MAX_UNITS_PER_DEED = Decimal(100000)
DESCRIPTION_MAX_CHARS = 2000  # DeedForm.description
REJECTION_REASON_MAX_CHARS = 1000  # RejectForm.reason


def _quantity_clean(deed_type: "DeedType", raw: Any) -> Decimal:
    if deed_type.pricing == Pricing.PER_DEED:
        return Decimal(1)
    try:
        quantity = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        quantity = Decimal(0)
    limit = MAX_HOURS_PER_DEED if deed_type.pricing == Pricing.PER_HOUR else MAX_UNITS_PER_DEED
    limit = min(limit, deed_type.quantity_max)  # a community's own type: within national bounds
    if quantity <= 0 or quantity > limit:
        # The limit in force is named: 24 hours nationally, less for a community's own type.
        message = (
            _("Enter the hours, more than 0 and at most %(limit)s.") % {"limit": f"{limit:g}"}
            if deed_type.pricing == Pricing.PER_HOUR
            else _("Enter a quantity greater than 0 and at most %(limit)s.") % {"limit": f"{limit:g}"}
        )
        raise ValidationFailed(fields={"quantity": [message]})
    return quantity


def _limits_check(*, person: Any, deed_type: "DeedType", rule: "RuleVersion", on: date) -> None:
    """Refuses a deed beyond the rule's per day/week/month/year limits or cool-down."""
    # A rejected deed, or one whose credit was reversed, earned nothing: it does not count.
    counted = Deed.objects.filter(person=person, deed_type=deed_type).exclude(
        status__in=[DeedStatus.REJECTED, DeedStatus.REVERSED]
    )
    period = limit_windows(on)
    windows = [
        (rule.per_day, *period["day"], _("You can record this deed at most %(n)s times a day.")),
        (rule.per_week, *period["week"], _("You can record this deed at most %(n)s times a week.")),
        (rule.per_month, *period["month"], _("You can record this deed at most %(n)s times a month.")),
        (rule.per_year, *period["year"], _("You can record this deed at most %(n)s times a year.")),
    ]
    for limit, start, end, message in windows:
        if limit is not None and counted.filter(performed_on__range=(start, end)).count() >= limit:
            raise LimitReached(message % {"n": limit}, fields={"performed_on": [message % {"n": limit}]})
    if rule.cooldown_days:
        gap = timedelta(days=rule.cooldown_days)
        if counted.filter(performed_on__gt=on - gap, performed_on__lt=on + gap).exists():
            message = _("This deed can be recorded again only %(n)s days after the last one.")
            text = message % {"n": rule.cooldown_days}
            raise LimitReached(text, fields={"performed_on": [text]})


# What the person is asked to agree to when a deed type is marked sensitive (catalog.Sensitive).
SENSITIVE_CONSENT_NEEDED = {
    "health": _(
        "This deed says something about your health. Tick the box to agree that it is recorded; "
        "only you and your verifier will see it."
    ),
    "religion": _(
        "This deed says something about your religion or belief. Tick the box to agree that it is "
        "recorded; only you and your verifier will see it."
    ),
}


# The deed types whose deeds need files, and the kind each needs (evidence.choices.EvidenceKind).
EVIDENCE_FILES_NEEDED: dict[str, str] = {Evidence.PHOTO: "photo", Evidence.DOCUMENT: "document"}


def deed_record(
    *,
    actor: Any,
    deed_type_public_id: Any,
    performed_on: date,
    description: str,
    quantity: Any = None,
    submission_key: str | None = None,
    sensitive_consent: bool = False,
    evidence_files: Sequence[Any] = (),
    witnesses: Sequence[str] = (),
    on_behalf_of: Any = None,
) -> Deed:
    """Records a deed by `actor` as pending. Retried with the same key, returns the first. A deed
    type marked sensitive (health, religion) is recorded only with `sensitive_consent`: the
    person's explicit agreement, kept with the deed (PDPA §26). A deed type whose evidence is a
    photo or a document needs `evidence_files` (uploads), stored in the same transaction; files
    written for a deed that then rolls back are deleted from storage. A deed type that asks for
    witnesses needs `witnesses` (members' phones or e-mails); the deed then waits for them.
    `on_behalf_of` (a person's public id): a helper records for a person who gave them a
    standing consent (deeds/assisted.py); every rule is the person's, as if they recorded it."""
    with evidence_writes_undone_on_failure():
        return _deed_record(
            actor=actor, deed_type_public_id=deed_type_public_id, performed_on=performed_on,
            description=description, quantity=quantity, submission_key=submission_key,
            sensitive_consent=sensitive_consent, evidence_files=evidence_files,
            witnesses=witnesses, on_behalf_of=on_behalf_of,
        )  # fmt: skip


@transaction.atomic
def _deed_record(
    *,
    actor: Any,
    deed_type_public_id: Any,
    performed_on: date,
    description: str,
    quantity: Any,
    submission_key: str | None,
    sensitive_consent: bool,
    evidence_files: Sequence[Any],
    witnesses: Sequence[str] = (),
    on_behalf_of: Any = None,
) -> Deed:
    if not actor.has_perm("deeds.record_deed"):
        raise PermissionDenied()
    # Who did the deed: the actor, or the person a helper records for under their consent.
    person = assist_person_for(helper=actor, person_public_id=on_behalf_of) if on_behalf_of else actor
    if submission_key and len(submission_key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            fields={"idempotency_key": [_("The idempotency key is at most 80 characters.")]}
        )
    fingerprint = request_fingerprint(
        {"deed_type": str(deed_type_public_id), "performed_on": str(performed_on),
         "description": (description or "").strip(), "quantity": None if quantity is None else str(quantity)}
    )  # fmt: skip
    person_lock(person)
    if person is not actor:  # the consent again, locked: a revocation committed meanwhile refuses
        person = assist_person_for(helper=actor, person_public_id=on_behalf_of, lock=True)
    if submission_key:
        existing = Deed.objects.filter(person=person, submission_key=submission_key).first()
        if existing:
            idempotent_replay_check(
                stored_fingerprint=existing.submission_fingerprint, fingerprint=fingerprint
            )
            return existing
    if consent_active(person=person) is None:
        raise PermissionDenied(_("You have withdrawn your consent to take part."))
    if not contact_confirmed(person):  # the phone or e-mail is proven by a code first
        raise ContactUnconfirmed()
    deed_type = deed_types_for_person(person).filter(public_id=deed_type_public_id).first()
    if deed_type is None:
        raise ValidationFailed(fields={"deed_type": [_("Please choose a deed type from the catalog.")]})
    errors: dict[str, list[Any]] = {}
    today = timezone.localdate()
    if performed_on > today:
        errors["performed_on"] = [_("The date cannot be in the future.")]
    elif performed_on < today - timedelta(days=MAX_DEED_AGE_DAYS):
        errors["performed_on"] = [_("Deeds older than one year cannot be recorded.")]
    if deed_type.sensitive and not sensitive_consent:
        errors["sensitive_consent"] = [SENSITIVE_CONSENT_NEEDED[deed_type.sensitive]]
    evidence_kind = EVIDENCE_FILES_NEEDED.get(deed_type.evidence)
    if evidence_kind and not evidence_files:
        errors[EVIDENCE_FIELD] = evidence_required_error(evidence_kind).fields[EVIDENCE_FIELD]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Please describe what you did.")]
    elif len(description) > DESCRIPTION_MAX_CHARS:
        errors["description"] = [_("Please keep the description under 2,000 characters.")]
    elif problems := text_problems(description, multiline=True):
        errors["description"] = problems
    named: list[Any] = []
    if deed_type.evidence == Evidence.WITNESSES:
        try:
            named = witnesses_clean(
                witnesses, required=deed_type.witnesses_required, person=person, recorder=actor
            )
        except ValidationFailed as exc:
            errors.update(exc.fields)
    elif [w for w in witnesses if str(w).strip()]:
        errors[WITNESSES_FIELD] = [_("This deed type does not ask for witnesses.")]
    if errors:
        raise ValidationFailed(fields=errors)
    quantity_clean = _quantity_clean(deed_type, quantity)
    rule = rule_in_force(deed_type, performed_on, person.community_id)
    if rule is None:
        raise NoRuleInForce()
    _limits_check(person=person, deed_type=deed_type, rule=rule, on=performed_on)

    deed = Deed.objects.create(
        person=person,
        recorded_by=actor if person is not actor else None,
        deed_type=deed_type,
        performed_on=performed_on,
        description=description,
        quantity=quantity_clean,
        status=DeedStatus.AWAITING_WITNESSES if named else DeedStatus.PENDING,
        subdistrict_code=person.subdistrict_code,
        province_code=person.province_code,
        community_id=person.community_id,
        submission_key=submission_key or None,
        submission_fingerprint=fingerprint if submission_key else "",
        sensitive_consent_at=timezone.now() if deed_type.sensitive else None,
    )
    if named:
        witnesses_ask(deed=deed, witnesses=named)
    data: dict[str, Any] = {
        "deed_type": deed_type.code, "performed_on": performed_on.isoformat(),
        "quantity": str(quantity_clean),
    }  # fmt: skip
    if named:  # the witnesses are told (notifications), by these ids
        data["witnesses"] = [w.pk for w in named]
    if person is not actor:
        data["on_behalf_of"] = person.pk
    audit_record(actor=actor, event=DeedsEvent.RECORD, subject_id=deed.public_id, data=data)
    if evidence_files:
        evidence_attach(actor=actor, deed=deed, files=evidence_files, required_kind=evidence_kind)
    flags_check_recorded([deed], rules={deed.pk: rule}, with_evidence=bool(evidence_files))
    return deed


def _deed_for_decision(*, actor: Actor, deed_public_id: Any, crediting: bool = False) -> Deed:
    """Locks the deed and checks, under the lock, that `actor` may decide it. `crediting`: a
    verification, whose flags' facts come with the lock (deeds.flags.verification_facts)."""
    if not actor.has_perm("deeds.verify_deed"):
        raise PermissionDenied()
    # Lock only the deed row ("of self"): locking its deed type would queue the whole country.
    deeds = deeds_for_decision(actor, crediting=crediting)
    locked = rows_lock(deeds.filter(public_id=deed_public_id), of=("self",))
    if not locked:
        raise NotFound()
    deed = locked[0]
    refusal = deed_decision_refusal(actor, deed)
    if refusal is not None:
        raise refusal
    return deed


class _Credit(NamedTuple):
    deed: Deed
    rule: "RuleVersion"
    weights: dict[str, Decimal]
    credit: int
    points: int
    entry: EntryIn | None


def _credits_plan(deeds: list[Deed]) -> list[_Credit]:
    """What each deed earns under the rule in force on its date, as ledger entries to post."""
    rules = {}
    versions_of: dict[tuple[int, int], list[RuleVersion]] = {}  # one read per deed type in a batch
    for deed in deeds:
        rule = _deed_rule(deed, versions_of)
        rules[deed.pk] = (rule, deed_virtue_weights(deed, rule))
    shards = {deed.pk: deed_shard(deed.province_code, deed.person.ledger_ref) for deed in deeds}
    keys = [
        key
        for deed in deeds
        for key in deed_credit_account_keys(shards[deed.pk], deed.person, rules[deed.pk][1])
    ]
    accounts = accounts_get_or_create(keys, negative_kinds=[ISSUANCE])
    plan = []
    for deed in deeds:
        rule, weights = rules[deed.pk]
        shard = shards[deed.pk]
        credit = amount_for(rule.credit_per_unit, deed.quantity)
        points = amount_for(rule.points_per_unit, deed.quantity)
        legs = deed_credit_legs(
            shard, deed.person, credit=credit, points=points, weights=weights, accounts=accounts
        )
        entry = None
        if legs:
            entry = EntryIn(
                chain_key=deed_chain_key(shard), kind=DEED_CREDIT,
                idempotency_key=f"deed:{deed.public_id}:credit", legs=legs,
                source=deed_source(deed.public_id),
                memo={"deed_type": deed.deed_type.code, "rule_version": rule.version,
                      "rule_effective_from": rule.effective_from.isoformat()},
            )  # fmt: skip
        plan.append(_Credit(deed, rule, weights, credit, points, entry))
    return plan


def _stamp(deed: Deed) -> int | None:
    return getattr(deed, "rules_stamp", None)


def _deed_rule(deed: Deed, versions_of: dict[tuple[int, int], list["RuleVersion"]]) -> "RuleVersion":
    """The rule in force on the deed's date for its community; `versions_of` keeps the versions
    read for a batch (one read per deed type)."""
    stamp = _stamp(deed)
    if stamp is None:
        rule = rule_in_force(deed.deed_type, deed.performed_on, deed.community_id)
    else:
        key = (deed.deed_type_id, stamp)
        if key not in versions_of:
            versions_of[key] = rule_versions_stamped(deed.deed_type_id, stamp)
        rule = rule_pick(versions_of[key], deed.performed_on, deed.community_id)
    if rule is None:
        raise NoRuleInForce()
    return rule


def _second_approval_needed(deeds: list[Deed]) -> set[int]:
    """The deeds whose credit is above the national threshold (settings
    KWAMDEE_SECOND_APPROVAL_CREDIT) and that no verifier approved yet: the verifier's decision is
    then a first approval, and a second verifier credits them. Guards against one verifier
    minting large credit alone."""
    threshold = settings.KWAMDEE_SECOND_APPROVAL_CREDIT
    versions_of: dict[tuple[int, int], list[RuleVersion]] = {}
    return {
        d.pk
        for d in deeds
        if d.first_approved_by_id is None
        and amount_for(_deed_rule(d, versions_of).credit_per_unit, d.quantity) > threshold
    }


def _deeds_approve_first(actor: Actor, deeds: list[Deed]) -> None:
    """Records the first verifier's approval of high-credit deeds; they stay in the queue of the
    other verifiers, marked as waiting for a second one. One audit event each."""
    now = timezone.now()
    Deed.objects.filter(pk__in=[d.pk for d in deeds]).update(
        first_approved_by=person_or_none(actor), first_approved_at=now, updated_at=now
    )
    for d in deeds:
        d.first_approved_by, d.first_approved_at = person_or_none(actor), now
    audit_records(
        actor=actor, event=DeedsEvent.FIRST_APPROVAL,
        changes=[(d.public_id, {"threshold": settings.KWAMDEE_SECOND_APPROVAL_CREDIT}) for d in deeds],
    )  # fmt: skip


def _deeds_credit(actor: Actor, deeds: list[Deed]) -> list[Deed]:
    """Credits decided deeds in one ledger batch, marks them verified, one audit event each."""
    plan = _credits_plan(deeds)
    posted = ledger_transactions_post([c.entry for c in plan if c.entry is not None])
    entry_of = {p.idempotency_key: p for p in posted}
    decided_by, decided_at = person_or_none(actor), timezone.now()
    changes: list[tuple[object, dict[str, Any]]] = []
    for c in plan:
        entry = entry_of.get(c.entry.idempotency_key) if c.entry else None
        deed = c.deed
        deed.status = DeedStatus.VERIFIED
        deed.rule_version = c.rule
        deed.credit_awarded, deed.points_awarded = c.credit, c.points
        deed.decided_by, deed.decided_at = decided_by, decided_at
        deed.updated_at = decided_at
        deed.ledger_transaction_id = entry.pk if entry else None
        changes.append((
            deed.public_id,
            {"rule_version": c.rule.pk, "credit": c.credit, "points": c.points,
             "ledger_transaction": str(entry.public_id) if entry else None},
        ))  # fmt: skip
    # The deeds in hand go with their events: the person's notification is built from them
    # (notifications' subscriber reads nothing, one INSERT, no savepoint).
    audit_records(actor=actor, event=DeedsEvent.VERIFY, changes=changes, subjects=[c.deed for c in plan])
    if len(deeds) == 1:
        deeds[0].save(update_fields=VERIFY_FIELDS)
    else:
        _deeds_mark_verified(deeds)
    flags_check_verified(actor=actor, deeds=deeds, rules={c.deed.pk: c.rule for c in plan})
    verified = [VerifiedDeed(c.deed, c.rule, c.weights) for c in plan]
    deeds_verified.send(sender=Deed, verified=verified, actor=actor)
    return deeds


def _deeds_mark_verified(deeds: list[Deed]) -> None:
    """Writes the decision of many deeds in a few statements: what they share in one UPDATE, their
    pricing per (rule, credit, points) group, their ledger entries in one CASE (Django's
    `bulk_update` of every field, a CASE per row and field, was 40% of a bulk verification)."""
    first = deeds[0]
    Deed.objects.filter(pk__in=[d.pk for d in deeds]).update(
        status=first.status,
        decided_by=first.decided_by,
        decided_at=first.decided_at,
        updated_at=first.updated_at,
    )
    groups: dict[tuple[int | None, int, int], list[int]] = {}
    for d in deeds:
        groups.setdefault((d.rule_version_id, d.credit_awarded, d.points_awarded), []).append(d.pk)
    for (rule_id, credit, points), ids in groups.items():
        Deed.objects.filter(pk__in=ids).update(
            rule_version_id=rule_id, credit_awarded=credit, points_awarded=points
        )
    Deed.objects.bulk_update(deeds, ["ledger_transaction"])


VERIFY_FIELDS = [
    "status", "rule_version", "credit_awarded", "points_awarded", "decided_by", "decided_at",
    "ledger_transaction", "updated_at",
]  # fmt: skip


@transaction.atomic
def deed_verify(*, actor: Actor, deed_public_id: Any) -> Deed:
    """Verifies a pending deed and credits it under the rule in force on the deed's date."""
    deed = _deed_for_decision(actor=actor, deed_public_id=deed_public_id, crediting=True)
    if _second_approval_needed([deed]):
        _deeds_approve_first(actor, [deed])
        return deed
    return _deeds_credit(actor, [deed])[0]


MAX_BULK_VERIFY = 200  # one volunteer day of 200 people in one request (issue 10)


class BulkOutcome(NamedTuple):
    """What became of one deed in a bulk verification."""

    deed: str
    verified: bool
    code: str
    message: str
    credit: int
    points: int


@transaction.atomic
def deeds_verify_bulk(
    *, actor: Actor, deed_public_ids: list[Any], idempotency_key: str | None = None
) -> list[BulkOutcome]:
    """The verifier's desk: verifies up to 200 deeds at once, in one database transaction and
    one ledger batch. Each deed the verifier may not decide is left as it was and named with the
    reason; the others are verified. A retry with the same key and deeds answers as the first
    time; the same key with other deeds is refused."""
    if not actor.has_perm("deeds.verify_deed"):
        raise PermissionDenied()
    ids = list(dict.fromkeys(str(i) for i in deed_public_ids))
    if not ids or len(ids) > MAX_BULK_VERIFY:
        message = _("Choose between 1 and %(n)s deeds.") % {"n": MAX_BULK_VERIFY}
        raise ValidationFailed(message, fields={"deeds": [message]})
    if idempotency_key and len(idempotency_key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            fields={"idempotency_key": [_("The idempotency key is at most 80 characters.")]}
        )
    fingerprint = request_fingerprint(sorted(ids))
    scope = f"deeds.verify_bulk:{getattr(actor, 'pk', '')}"
    if idempotency_key:
        answered = idempotent_response_get(scope=scope, key=idempotency_key, fingerprint=fingerprint)
        if answered is not None:
            return [BulkOutcome(**row) for row in answered]
    try:
        locked = {
            str(d.public_id): d
            for d in rows_lock(
                deeds_for_decision(actor, crediting=True).filter(public_id__in=ids), of=("self",)
            )
        }
    except (ValueError, DjangoValidationError):
        raise ValidationFailed(fields={"deeds": [_("These are not deed ids.")]}) from None
    refusals: dict[str, ServiceError] = {}
    for deed_id in ids:
        deed = locked.get(deed_id)
        refusal = NotFound() if deed is None else deed_decision_refusal(actor, deed)
        if refusal is not None:
            refusals[deed_id] = refusal
    decidable = [locked[i] for i in ids if i not in refusals]
    first = _second_approval_needed(decidable)
    if first:
        _deeds_approve_first(actor, [d for d in decidable if d.pk in first])
        decidable = [d for d in decidable if d.pk not in first]
    credited = {str(d.public_id): d for d in (_deeds_credit(actor, decidable) if decidable else [])}
    outcomes = []
    for deed_id in ids:
        if deed_id in locked and locked[deed_id].pk in first:
            message = str(
                _("Approved. Its credit is high, so a second verifier must agree before it is credited.")
            )
            outcomes.append(BulkOutcome(deed_id, False, "first_approval", message, 0, 0))
        elif deed_id in credited:
            d = credited[deed_id]
            outcomes.append(
                BulkOutcome(deed_id, True, "verified", str(_("Verified")), d.credit_awarded, d.points_awarded)
            )
        else:
            refusal = refusals[deed_id]
            outcomes.append(BulkOutcome(deed_id, False, refusal.code, str(refusal.message), 0, 0))
    if idempotency_key:
        idempotent_response_store(
            scope=scope,
            key=idempotency_key,
            fingerprint=fingerprint,
            response=[o._asdict() for o in outcomes],
        )
    return outcomes


@transaction.atomic
def deed_reject(*, actor: Actor, deed_public_id: Any, reason_code: str = "", reason: str = "") -> Deed:
    """Rejects a pending deed with a reason from the list (RejectionReason) and, beside it, the
    verifier's words the person will read (needed when the reason is "other")."""
    reason = (reason or "").strip()
    errors: dict[str, list[Any]] = {}
    if reason_code not in RejectionReason.values:
        errors["reason_code"] = [_("Choose the reason from the list.")]
    if not reason and reason_code == RejectionReason.OTHER:
        errors["reason"] = [_("Please write the reason in a few words.")]
    elif reason and (problems := text_problems(reason, multiline=True, max_chars=REJECTION_REASON_MAX_CHARS)):
        errors["reason"] = problems
    if errors:
        raise ValidationFailed(fields=errors)
    deed = _deed_for_decision(actor=actor, deed_public_id=deed_public_id)
    deed.status = DeedStatus.REJECTED
    deed.rejection_code = reason_code
    deed.rejection_reason = reason
    deed.decided_by, deed.decided_at = person_or_none(actor), timezone.now()
    deed.save()
    audit_record(
        actor=actor, event=DeedsEvent.REJECT, subject_id=deed.public_id, subject=deed,
        # Not the reason's text: it may name the person, and the audit log is append-only, so
        # erasure could not remove it there (the deed keeps it, and erasure blanks it).
        data={"reason_code": reason_code, "reason_length": len(deed.rejection_reason)},
    )  # fmt: skip
    return deed


QUESTION_MAX_CHARS = 1000  # AskForm.question
ANSWER_MAX_CHARS = 2000  # AnswerForm.answer


def _text_required(text: str, *, field: str, max_chars: int, empty: Any) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(fields={field: [empty]})
    if problems := text_problems(text, multiline=True, max_chars=max_chars):
        raise ValidationFailed(fields={field: problems})
    return text


@transaction.atomic
def deed_ask(*, actor: Actor, deed_public_id: Any, question: str) -> Deed:
    """The third decision: the verifier asks the person for more information. The deed leaves
    the queue and waits for the person's answer (needs_info). Who may ask is who may decide."""
    question = _text_required(
        question, field="question", max_chars=QUESTION_MAX_CHARS, empty=_("Please write your question.")
    )
    deed = _deed_for_decision(actor=actor, deed_public_id=deed_public_id)
    now = timezone.now()
    deed.status = DeedStatus.NEEDS_INFO
    deed.save(update_fields=["status", "updated_at"])
    asked = DeedQuestion.objects.create(
        deed=deed, asked_by=person_or_none(actor), question=question, asked_at=now
    )
    audit_record(
        actor=actor, event=DeedsEvent.ASK, subject_id=deed.public_id, subject=deed,
        data={"question": asked.pk, "question_length": len(question)},  # not the text (erasure)
    )  # fmt: skip
    return deed


def deed_answer(*, actor: Any, deed_public_id: Any, answer: str, evidence_files: Sequence[Any] = ()) -> Deed:
    """The person answers the verifier's question; the deed goes back to pending, into the queue
    of every verifier of its area (not only the one who asked). Only the deed's own person
    answers; anyone else is told the deed does not exist. Photos or documents the verifier asked
    for may come with the answer (`evidence_files`, checked like those of a new deed); files
    written for an answer that then rolls back are deleted from storage."""
    with evidence_writes_undone_on_failure():
        return _deed_answer(
            actor=actor, deed_public_id=deed_public_id, answer=answer, evidence_files=evidence_files
        )


@transaction.atomic
def _deed_answer(*, actor: Any, deed_public_id: Any, answer: str, evidence_files: Sequence[Any]) -> Deed:
    answer = _text_required(
        answer, field="answer", max_chars=ANSWER_MAX_CHARS, empty=_("Please write your answer.")
    )
    if not getattr(actor, "pk", None):
        raise NotFound()
    try:
        locked = rows_lock(Deed.objects.filter(public_id=deed_public_id, person=actor), of=("self",))
    except (ValueError, DjangoValidationError):
        raise NotFound() from None
    if not locked:
        raise NotFound()
    deed = locked[0]
    open_question = (
        DeedQuestion.objects.filter(deed=deed, answered_at__isnull=True).order_by("-asked_at", "-id").first()
    )
    if deed.status != DeedStatus.NEEDS_INFO or open_question is None:
        raise NotAwaitingAnswer()
    now = timezone.now()
    open_question.answer, open_question.answered_at = answer, now
    open_question.save(update_fields=["answer", "answered_at", "updated_at"])
    deed.status = DeedStatus.PENDING
    deed.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, event=DeedsEvent.ANSWER, subject_id=deed.public_id,
        data={"question": open_question.pk, "answer_length": len(answer), "files": len(evidence_files)},
    )  # fmt: skip
    if evidence_files:
        evidence_attach(actor=actor, deed=deed, files=evidence_files)
    return deed


@transaction.atomic
def deed_verify_on_appeal(*, actor: Actor, deed_public_id: Any) -> Deed:
    """An appeal overturns a rejection: the rejected deed is verified and credited through the
    same path as any verification (the ledger's idempotency key credits it once). The rejection's
    code and reason stay on the deed; the appeal keeps its own decision. Who may: whoever may
    decide the deed, except the verifier who rejected it (deed_appeal_decision_refusal). Above
    KWAMDEE_SECOND_APPROVAL_CREDIT the first overturn is a first approval (the deed comes back
    still rejected): the caller keeps the appeal open."""
    if not actor.has_perm("deeds.verify_deed"):
        raise PermissionDenied()
    try:
        deeds = deeds_for_decision(actor, crediting=True)
        locked = rows_lock(deeds.filter(public_id=deed_public_id), of=("self",))
    except (ValueError, DjangoValidationError):
        raise NotFound() from None
    if not locked:
        raise NotFound()
    deed = locked[0]
    refusal = deed_appeal_decision_refusal(actor, deed)
    if refusal is not None:
        raise refusal
    if not contact_confirmed(deed.person):  # as deed_decision_refusal: an unproven account mints nothing
        raise PersonUnconfirmed()
    if _second_approval_needed([deed]):
        # A high credit needs two verifiers here too: this overturn is the first approval; the
        # deed stays rejected and its appeal open until another verifier overturns it as well.
        _deeds_approve_first(actor, [deed])
        return deed
    return _deeds_credit(actor, [deed])[0]


class VerifiedEntry(NamedTuple):
    """One deed witnessed by the one who records it (an activity's attendance): recorded and
    verified at once by `deeds_record_verified`."""

    person: Any
    deed_type: "DeedType"
    performed_on: date
    quantity: Decimal
    description: str


class RecordOutcome(NamedTuple):
    """What became of one entry: its deed when credited, else the refusal's code and words."""

    person_id: int
    deed: Deed | None
    code: str
    message: str


def _limits_may_bind(deed_type: "DeedType", rule: "RuleVersion", on: date, person_ids: list[int]) -> set[int]:
    """The people among `person_ids` whom the rule's limits could refuse, in one or two queries:
    those with at least as many deeds of this type within the widest window the rule sets as its
    smallest limit (every window lies inside it), and, under a cool-down, those with any deed
    within it. For the others `_limits_check` would find nothing, so a batch asks it only of these."""
    limits = [(limit, days) for limit, days in ((rule.per_day, 0), (rule.per_week, 6), (rule.per_month, 31),
                                                (rule.per_year, 366)) if limit is not None]  # fmt: skip
    if any(limit == 0 for limit, _days in limits):
        return set(person_ids)  # nothing is allowed: every one of them is refused
    deeds = Deed.objects.filter(person_id__in=person_ids, deed_type=deed_type)
    found: set[int] = set()
    if limits:
        widest = max(days for _limit, days in limits)
        found |= set(
            deeds.filter(performed_on__range=(on - timedelta(days=widest), on + timedelta(days=widest)))
            .values("person_id")
            .annotate(n=Count("id"))
            .filter(n__gte=min(limit for limit, _days in limits))
            .values_list("person_id", flat=True)
        )
    if rule.cooldown_days:
        gap = timedelta(days=rule.cooldown_days)
        near = deeds.filter(performed_on__range=(on - gap, on + gap))
        found |= set(near.values_list("person_id", flat=True))
    return found


def _entries_refusals(
    actor: Actor, entries: list[VerifiedEntry], consenting: set[int]
) -> tuple[dict[int, ServiceError | None], dict[int, int | None]]:
    """The rules `deed_record` and `deed_verify` apply, asked of every entry (None: it may be
    credited), in a few queries for the whole batch: the catalog and the rule once per deed type
    and community, the limits only for the people they could bind. Also the rules stamp of each
    entry's deed type, so that pricing reads the rules from the per-process cache."""
    from kwamdee.deeds.errors import OwnDeed

    refusals: dict[int, ServiceError | None] = {}
    stamps: dict[int, int | None] = {}
    catalog: dict[tuple[int, int | None], tuple[int, int | None] | None] = {}
    may_bind: dict[tuple[int, date, int], list[VerifiedEntry]] = {}
    rules: dict[int, RuleVersion] = {}
    versions_of: dict[tuple[int, int], list[RuleVersion]] = {}
    for entry in entries:
        person, deed_type = entry.person, entry.deed_type
        refusals[person.pk] = None
        if person.pk == getattr(actor, "pk", None):
            refusals[person.pk] = OwnDeed()
            continue
        if person.pk not in consenting:
            refusals[person.pk] = PermissionDenied(_("This person has withdrawn their consent to take part."))
            continue
        if not contact_confirmed(person):
            refusals[person.pk] = ContactUnconfirmed()
            continue
        key = (deed_type.pk, person.community_id)
        if key not in catalog:
            catalog[key] = (
                deed_types_for_community(person.community_id)
                .filter(pk=deed_type.pk)
                .annotate(rules_stamp=rules_stamp_of("pk"))
                .values_list("pk", "rules_stamp")
                .first()
            )
        found = catalog[key]
        if found is None:
            refusals[person.pk] = ValidationFailed(
                _("This deed type is not in the catalog of this person's community.")
            )
            continue
        try:
            _quantity_clean(deed_type, entry.quantity)
            stamp = found[1]
            rule = None
            if stamp is not None:
                if (deed_type.pk, stamp) not in versions_of:  # one read per deed type in a batch
                    versions_of[(deed_type.pk, stamp)] = rule_versions_stamped(deed_type.pk, stamp)
                rule = rule_pick(versions_of[(deed_type.pk, stamp)], entry.performed_on, person.community_id)
            if rule is None:
                raise NoRuleInForce()
        except ServiceError as exc:
            refusals[person.pk] = exc
            continue
        stamps[person.pk], rules[person.pk] = stamp, rule
        may_bind.setdefault((deed_type.pk, entry.performed_on, rule.pk), []).append(entry)
    for group in may_bind.values():
        first, by_person = group[0], {e.person.pk: e for e in group}
        rule = rules[first.person.pk]
        for person_id in _limits_may_bind(first.deed_type, rule, first.performed_on, list(by_person)):
            entry = by_person[person_id]
            try:
                _limits_check(
                    person=entry.person, deed_type=first.deed_type, rule=rule, on=first.performed_on
                )
            except ServiceError as exc:
                refusals[person_id] = exc
    return refusals, stamps


def deeds_record_verified(*, actor: Actor, entries: list[VerifiedEntry]) -> list[RecordOutcome]:
    """Records deeds that `actor` saw done (an activity's attendances) and credits them in one
    ledger batch, inside the caller's transaction: all credited or none. Each entry is held to the
    rules of recording and verifying (consent, a confirmed phone or e-mail, the person's catalog,
    the quantity, the rule in force, the limits per day/week/month/year, not one's own deed); an
    entry that fails one is left out and named with the reason, and the rest are credited. The
    caller guards against running twice (the activity's row lock and status)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("deeds_record_verified runs inside the caller's transaction")
    if not actor.has_perm("deeds.verify_deed"):
        raise PermissionDenied()
    if len({e.person.pk for e in entries}) != len(entries):
        raise ValidationFailed(_("A person can be named only once."))
    entries = sorted(entries, key=lambda e: e.person.pk)
    # The people first, in primary-key order (common/locks.py), in one statement.
    consenting = {p.pk for p in people_lock([e.person for e in entries]) if getattr(p, "consenting", False)}
    refusals, stamps = _entries_refusals(actor, entries, consenting)
    created = Deed.objects.bulk_create(
        [
            Deed(
                person=e.person,
                deed_type=e.deed_type,
                performed_on=e.performed_on,
                description=e.description[:DESCRIPTION_MAX_CHARS],
                quantity=_quantity_clean(e.deed_type, e.quantity),
                subdistrict_code=e.person.subdistrict_code,
                province_code=e.person.province_code,
                community_id=e.person.community_id,
            )
            for e in entries
            if refusals[e.person.pk] is None
        ]
    )
    if created:
        audit_records(
            actor=actor, event=DeedsEvent.RECORD,
            changes=[(d.public_id, {"deed_type": d.deed_type.code, "performed_on": d.performed_on.isoformat(),
                                    "quantity": str(d.quantity), "recorded_by": getattr(actor, "pk", None)})
                     for d in created],
        )  # fmt: skip
        flags_check_recorded(created, by_the_person=False)  # the organizer recorded them
        for deed in created:  # priced from the per-process rule cache (`_deed_rule`)
            deed.rules_stamp = stamps[deed.person_id]  # type: ignore[attr-defined]
        _deeds_credit(actor, created)
    deed_of = {d.person_id: d for d in created}
    outcomes = []
    for e in entries:
        refusal = refusals[e.person.pk]
        if refusal is None:
            outcomes.append(RecordOutcome(e.person.pk, deed_of[e.person.pk], "verified", str(_("Verified"))))
        else:
            outcomes.append(RecordOutcome(e.person.pk, None, refusal.code, str(refusal.message)))
    return outcomes
