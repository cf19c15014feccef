"""Writes about deeds: recording, verifying, rejecting."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.choices import Pricing, VerifierKind
from kwamdee.catalog.models import DeedType, RuleVersion, Sponsorship, SponsorshipPayment
from kwamdee.catalog.selectors import deed_types_for_person, rule_in_force, sponsorships_paying_for
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.errors import (
    CommitteeVerifies,
    ConsentWithdrawn,
    DeedAlreadyDecided,
    LimitReached,
    NoRuleInForce,
    OutOfScope,
    OwnDeed,
)
from kwamdee.deeds.models import Deed
from kwamdee.deeds.pricing import amount_for, split_by_weight
from kwamdee.ledger.choices import TransactionKind, Unit
from kwamdee.ledger.errors import InsufficientBalance
from kwamdee.ledger.services import (
    Leg,
    accounts_get_or_create,
    issuance_account_key,
    ledger_transaction_post,
    person_account_key,
)
from kwamdee.organizations.selectors import organizations_verified_by
from kwamdee.people.models import User
from kwamdee.people.selectors import consent_active

MAX_DEED_AGE_DAYS = 365
MAX_HOURS_PER_DEED = Decimal(24)
MAX_UNITS_PER_DEED = Decimal(100000)


def _quantity_clean(deed_type: DeedType, raw: Any) -> Decimal:
    if deed_type.pricing == Pricing.PER_DEED:
        return Decimal(1)
    try:
        quantity = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        quantity = Decimal(0)
    limit = MAX_HOURS_PER_DEED if deed_type.pricing == Pricing.PER_HOUR else MAX_UNITS_PER_DEED
    if quantity <= 0 or quantity > limit:
        message = (
            _("Enter the hours, more than 0 and at most 24.")
            if deed_type.pricing == Pricing.PER_HOUR
            else _("Enter a quantity greater than 0.")
        )
        raise ValidationFailed(fields={"quantity": [message]})
    return quantity


def _limits_check(*, person, deed_type: DeedType, rule: RuleVersion, on: date) -> None:
    """Refuses a deed beyond the rule's per day/week/month/year limits or cool-down."""
    counted = Deed.objects.filter(person=person, deed_type=deed_type).exclude(status=DeedStatus.REJECTED)
    week_start = on - timedelta(days=on.weekday())
    windows = [
        (rule.per_day, on, on, _("You can record this deed at most %(n)s times a day.")),
        (rule.per_week, week_start, week_start + timedelta(days=6),
         _("You can record this deed at most %(n)s times a week.")),
        (rule.per_month, on.replace(day=1),
         (on.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1),
         _("You can record this deed at most %(n)s times a month.")),
        (rule.per_year, on.replace(month=1, day=1), on.replace(month=12, day=31),
         _("You can record this deed at most %(n)s times a year.")),
    ]  # fmt: skip
    for limit, start, end, message in windows:
        if limit is not None and counted.filter(performed_on__range=(start, end)).count() >= limit:
            raise LimitReached(message % {"n": limit}, fields={"performed_on": [message % {"n": limit}]})
    if rule.cooldown_days:
        gap = timedelta(days=rule.cooldown_days)
        if counted.filter(performed_on__gt=on - gap, performed_on__lt=on + gap).exists():
            message = _("This deed can be recorded again only %(n)s days after the last one.")
            text = message % {"n": rule.cooldown_days}
            raise LimitReached(text, fields={"performed_on": [text]})


@transaction.atomic
def deed_record(
    *,
    actor,
    deed_type_public_id: Any,
    performed_on: date,
    description: str,
    quantity: Any = None,
    submission_key: str | None = None,
) -> Deed:
    """Records a deed by `actor` as pending. Retried with the same key, returns the first."""
    if not actor.has_perm("deeds.record_deed"):
        raise PermissionDenied()
    if submission_key and len(submission_key) > 80:
        raise ValidationFailed(
            fields={"idempotency_key": [_("The idempotency key is at most 80 characters.")]}
        )
    # One person's submissions queue here, so that limits and retries hold under concurrency.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if submission_key:
        existing = Deed.objects.filter(person=actor, submission_key=submission_key).first()
        if existing:
            return existing
    if consent_active(person=actor) is None:
        raise PermissionDenied(_("You have withdrawn your consent to take part."))
    deed_type = deed_types_for_person(actor).filter(public_id=deed_type_public_id).first()
    if deed_type is None:
        raise ValidationFailed(fields={"deed_type": [_("Please choose a deed type from the catalog.")]})
    errors: dict[str, list[Any]] = {}
    today = timezone.localdate()
    if performed_on > today:
        errors["performed_on"] = [_("The date cannot be in the future.")]
    elif performed_on < today - timedelta(days=MAX_DEED_AGE_DAYS):
        errors["performed_on"] = [_("Deeds older than one year cannot be recorded.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Please describe what you did.")]
    elif len(description) > 2000:
        errors["description"] = [_("Please keep the description under 2,000 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    quantity_clean = _quantity_clean(deed_type, quantity)
    rule = rule_in_force(deed_type, performed_on, actor.community_id)
    if rule is None:
        raise NoRuleInForce()
    _limits_check(person=actor, deed_type=deed_type, rule=rule, on=performed_on)

    deed = Deed.objects.create(
        person=actor,
        deed_type=deed_type,
        performed_on=performed_on,
        description=description,
        quantity=quantity_clean,
        subdistrict_code=actor.subdistrict_code,
        province_code=actor.province_code,
        community_id=actor.community_id,
        submission_key=submission_key or None,
    )
    audit_record(
        actor=actor, event_type="deed:record", subject_id=deed.public_id,
        data={"deed_type": deed_type.code, "performed_on": performed_on.isoformat(),
              "quantity": str(quantity_clean)},
    )  # fmt: skip
    return deed


def _deed_for_decision(*, actor, deed_public_id: Any) -> Deed:
    """Locks the deed and checks that `actor` may decide it."""
    if not actor.has_perm("deeds.verify_deed"):
        raise PermissionDenied()
    deed = (
        # Lock only the deed row ("of self"): locking its deed type would queue the whole country.
        Deed.objects.select_for_update(of=("self",))
        .select_related("deed_type", "person", "community")
        .prefetch_related("deed_type__virtue_weights__virtue")
        .filter(public_id=deed_public_id)
        .first()
    )
    if deed is None:
        raise NotFound()
    if deed.person_id == actor.pk:
        raise OwnDeed()
    if deed.deed_type.verifier_kind == VerifierKind.COMMITTEE and deed.community is not None:
        if not deed.community.admins.filter(pk=actor.pk).exists():
            raise CommitteeVerifies()
    else:
        scopes = [o.scope_area_code for o in organizations_verified_by(actor)]
        if not any(deed.subdistrict_code.startswith(code) for code in scopes):
            raise OutOfScope()
    if deed.status != DeedStatus.PENDING:
        raise DeedAlreadyDecided()
    if consent_active(person=deed.person) is None:
        raise ConsentWithdrawn()
    return deed


def _virtue_weights(deed: Deed, rule: RuleVersion) -> dict:
    """The split across virtues under the rule version that prices the deed."""
    if rule.virtue_weights:
        return {code: Decimal(w) for code, w in rule.virtue_weights.items()}
    return {w.virtue.code: w.weight for w in deed.deed_type.virtue_weights.all()}


def _deed_accounts(deed: Deed, weights: dict) -> dict:
    """Every account a verification of `deed` may touch, fetched (or made) in one go."""
    keys = []
    for unit in (Unit.CREDIT, Unit.POINTS):
        for virtue_code in weights:
            keys.append(issuance_account_key(deed.province_code, unit, virtue_code))
            keys.append(person_account_key(deed.person, unit, virtue_code))
    return accounts_get_or_create(keys)


def _credit_legs(deed: Deed, rule: RuleVersion, weights: dict, accounts: dict) -> tuple[list[Leg], int, int]:
    credit = amount_for(rule.credit_per_unit, deed.quantity)
    points = amount_for(rule.points_per_unit, deed.quantity)
    legs: list[Leg] = []
    for unit, total in ((Unit.CREDIT, credit), (Unit.POINTS, points)):
        for virtue_code, share in split_by_weight(total, weights).items():
            source = accounts[issuance_account_key(deed.province_code, unit, virtue_code)]
            target = accounts[person_account_key(deed.person, unit, virtue_code)]
            legs += [Leg(source, -share), Leg(target, share)]
    return legs, credit, points


def _bonus_legs(deed: Deed, sponsorship: Sponsorship, weights: dict, accounts: dict) -> list[Leg]:
    legs = [Leg(sponsorship.budget_account, -sponsorship.bonus_points)]
    for virtue_code, share in split_by_weight(sponsorship.bonus_points, weights).items():
        legs.append(Leg(accounts[person_account_key(deed.person, Unit.POINTS, virtue_code)], share))
    return legs


def _post_with_bonuses(deed: Deed, rule: RuleVersion, legs: list[Leg], weights: dict, accounts: dict):
    """Posts the deed's credit with every sponsor bonus whose budget still covers it.

    A budget too small for its bonus is dropped and the rest posted again; the ledger's row
    locks make this exact under concurrency (the budget is never overdrawn)."""
    # A deed type priced at 0 points is a gift that stays unpaid: no bonus either.
    sponsorships = list(sponsorships_paying_for(deed)) if rule.points_per_unit else []
    while True:
        bonus_legs = [leg for s in sponsorships for leg in _bonus_legs(deed, s, weights, accounts)]
        memo = {
            "deed": str(deed.public_id),
            "deed_type": deed.deed_type.code,
            "rule_version": rule.version,
            "rule_effective_from": rule.effective_from.isoformat(),
        }
        if sponsorships:
            memo["sponsor_bonus"] = sum(s.bonus_points for s in sponsorships)
            memo["sponsorships"] = [str(s.public_id) for s in sponsorships]
        try:
            with transaction.atomic():
                entry = ledger_transaction_post(
                    chain_key=f"province:{deed.province_code}",
                    kind=TransactionKind.DEED_CREDIT,
                    idempotency_key=f"deed:{deed.public_id}:credit",
                    legs=legs + bonus_legs,
                    memo=memo,
                )
            return entry, [(s, s.bonus_points) for s in sponsorships]
        except InsufficientBalance as exc:
            spent = [s for s in sponsorships if s.budget_account_id in exc.account_ids]
            if not spent:
                raise
            sponsorships = [s for s in sponsorships if s not in spent]


@transaction.atomic
def deed_verify(*, actor, deed_public_id: Any) -> Deed:
    """Verifies a pending deed and credits it under the rule in force on the deed's date."""
    deed = _deed_for_decision(actor=actor, deed_public_id=deed_public_id)
    rule = rule_in_force(deed.deed_type, deed.performed_on, deed.community_id)
    if rule is None:
        raise NoRuleInForce()
    weights = _virtue_weights(deed, rule)
    accounts = _deed_accounts(deed, weights)
    legs, credit, points = _credit_legs(deed, rule, weights, accounts)
    entry, paid = _post_with_bonuses(deed, rule, legs, weights, accounts) if legs else (None, [])
    for sponsorship, bonus in paid:
        SponsorshipPayment.objects.create(sponsorship=sponsorship, deed=deed, points=bonus)
    deed.status = DeedStatus.VERIFIED
    deed.rule_version = rule
    deed.credit_awarded, deed.points_awarded = credit, points
    deed.decided_by, deed.decided_at = actor, timezone.now()
    deed.ledger_transaction = entry
    deed.save()
    audit_record(
        actor=actor, event_type="deed:verify", subject_id=deed.public_id,
        data={"rule_version": rule.pk, "credit": credit, "points": points,
              "sponsor_bonus": sum(b for _s, b in paid),
              "ledger_transaction": str(entry.public_id) if entry else None},
    )  # fmt: skip
    return deed


@transaction.atomic
def deed_reject(*, actor, deed_public_id: Any, reason: str) -> Deed:
    """Rejects a pending deed with a reason the person will read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Please give a reason.")]})
    deed = _deed_for_decision(actor=actor, deed_public_id=deed_public_id)
    deed.status = DeedStatus.REJECTED
    deed.rejection_reason = reason[:1000]
    deed.decided_by, deed.decided_at = actor, timezone.now()
    deed.save()
    audit_record(
        actor=actor, event_type="deed:reject", subject_id=deed.public_id,
        data={"reason": deed.rejection_reason},
    )  # fmt: skip
    return deed
