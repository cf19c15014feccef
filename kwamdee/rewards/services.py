"""Writes about rewards: sponsors, their pledges, and the bonuses paid from them."""

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.selectors import national_rule_in_force
from kwamdee.catalog.validation import MAX_POINTS_PER_UNIT, NAME_MAX
from kwamdee.common.actors import Actor, is_system, person_or_none
from kwamdee.common.audit import audit_record, audit_records
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.roles import Role, role_grant
from kwamdee.common.text_validation import text_fields_problems, text_problems
from kwamdee.deeds.ledger import deed_chain_key, deed_shard, deed_source
from kwamdee.deeds.pricing import split_by_weight
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.services import (
    EntryIn,
    Leg,
    account_get_or_create,
    accounts_get_or_create,
    accounts_lock,
    ledger_transaction_post,
    ledger_transactions_post,
)
from kwamdee.people.accounts import person_account_key
from kwamdee.rewards.choices import SponsorKind
from kwamdee.rewards.errors import FundingInvalid, SponsorshipInvalid
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.ledger import (
    SPONSOR_BONUS,
    SPONSOR_BUDGET,
    SPONSOR_FUNDING,
    SPONSORSHIP_FUND,
    sponsorship_source,
)
from kwamdee.rewards.models import Sponsor, Sponsorship, SponsorshipFunding, SponsorshipPayment
from kwamdee.rewards.selectors import (
    sponsor_pledgeable_by,
    sponsorship_funded_points,
    sponsorship_pays_for,
    sponsorships_paying_for_deeds,
)

if TYPE_CHECKING:
    from kwamdee.catalog.models import DeedType
    from kwamdee.deeds.signals import VerifiedDeed

MAX_BUDGET_POINTS = 1_000_000_000  # fits the database's integer columns with room
# A bank transfer's or receipt's reference: letters (Thai too), digits, and a few separators.
PAYMENT_REFERENCE = re.compile(r"[0-9A-Za-z\u0e00-\u0e7f][0-9A-Za-z\u0e00-\u0e7f ./#_-]{2,63}")


@transaction.atomic
def sponsor_register(
    *, actor: Actor, name_th: str, name_en: str, kind: str, members: list[Any], organization: Any = None
) -> Sponsor:
    """Registers a sponsor with the people who pledge for it (national staff). The web form and
    the API both come here, so that a sponsor is never left without its members. `organization`
    names the registered organization it is, whose page and report then show its CSR."""
    if not actor.has_perm("catalog.manage_catalog"):
        raise PermissionDenied()
    errors: dict[str, list[Any]] = {}
    if not name_th.strip():
        errors["name_th"] = [_("Required.")]
    names = {"name_th": name_th.strip(), "name_en": name_en.strip()}
    for field, problems in text_fields_problems(names, max_chars=dict.fromkeys(names, NAME_MAX)).items():
        errors.setdefault(field, problems)
    if kind not in SponsorKind.values:
        errors["kind"] = [_("Choose a kind.")]
    if errors:
        raise ValidationFailed(fields=errors)
    sponsor = Sponsor.objects.create(
        name_th=name_th.strip(), name_en=name_en.strip(), kind=kind, organization=organization
    )
    audit_record(actor=actor, event=RewardsEvent.SPONSOR_CREATE, subject_id=sponsor.public_id,
                 data={"kind": kind,
                       "organization": str(organization.public_id) if organization else None})  # fmt: skip
    for person in members:
        sponsor_member_add(actor=actor, sponsor=sponsor, person=person)
    return sponsor


@transaction.atomic
def sponsor_organization_set(*, actor: Actor, sponsor: Sponsor, organization: Any) -> Sponsor:
    """National staff name the registered organization a sponsor is (or none): its sponsorships
    then show as CSR on that organization's page and report."""
    if not actor.has_perm("catalog.manage_catalog"):
        raise PermissionDenied()
    if sponsor.organization_id == getattr(organization, "pk", None):
        return sponsor
    sponsor.organization = organization
    sponsor.save(update_fields=["organization", "updated_at"])
    audit_record(actor=actor, event=RewardsEvent.SPONSOR_ORGANIZATION_SET, subject_id=sponsor.public_id,
                 data={"organization": str(organization.public_id) if organization else None})  # fmt: skip
    return sponsor


@transaction.atomic
def sponsor_member_add(*, actor: Actor, sponsor: Sponsor, person: Any) -> None:
    if not actor.has_perm("catalog.manage_catalog"):
        raise PermissionDenied()
    if sponsor.members.filter(pk=person.pk).exists():
        return
    sponsor.members.add(person)
    role_grant(actor=actor, person=person, role=Role.SPONSOR, audit=False)
    audit_record(actor=actor, event=RewardsEvent.SPONSOR_MEMBER_ADD, subject_id=sponsor.public_id,
                 data={"person": str(person.public_id), "role": Role.SPONSOR})  # fmt: skip


@transaction.atomic
def sponsorship_pledge(
    *, actor: Actor, sponsor: Sponsor, deed_type: "DeedType", bonus_points: int, budget_points: int,
    starts_on: date, ends_on: date, community: Any = None,
) -> Sponsorship:  # fmt: skip
    """A sponsor pledges bonus points per verified deed of `deed_type`, up to a budget (at most
    settings.KWAMDEE_PLEDGE_MAX_POINTS). A pledge is a promise: its budget account starts empty,
    and only the funding national staff record on receipt (`sponsorship_fund`) fills it, from
    which each bonus is later paid."""
    if not sponsor_pledgeable_by(actor, sponsor):
        raise PermissionDenied(_("Only the sponsor's members can pledge for it."))
    errors: dict[str, list[Any]] = {}
    if bonus_points < 1:
        errors["bonus_points"] = [_("Must be at least %(n)s.") % {"n": 1}]
    if bonus_points > MAX_POINTS_PER_UNIT:
        errors["bonus_points"] = [_("Must be at most %(n)s.") % {"n": MAX_POINTS_PER_UNIT}]
    if budget_points > pledge_max_points():
        errors["budget_points"] = [_("Must be at most %(n)s.") % {"n": pledge_max_points()}]
    elif budget_points < max(bonus_points, 1):
        errors["budget_points"] = [_("The budget must cover at least one bonus.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The end date must not be before the start date.")]
    elif ends_on < timezone.localdate():
        errors["ends_on"] = [_("The end date must not be in the past.")]
    rule = national_rule_in_force(deed_type, max(starts_on, timezone.localdate()))
    if rule is not None and rule.points_per_unit == 0:
        errors["deed_type"] = [
            _(
                "This deed type earns no spendable points on purpose (a gift that stays unpaid); "
                "it cannot carry a bonus."
            )
        ]
    if (
        not deed_type.is_active
        or deed_type.proposed
        or (deed_type.community_id is not None and deed_type.community_id != getattr(community, "pk", None))
    ):
        errors["deed_type"] = [_("Choose an active deed type of the catalog.")]
    if errors:
        raise SponsorshipInvalid(fields=errors)

    sponsorship = Sponsorship(
        sponsor=sponsor, deed_type=deed_type, community=community, bonus_points=bonus_points,
        budget_points=budget_points, starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    budget = account_get_or_create(holder_ref=sponsorship.public_id, kind=SPONSOR_BUDGET, unit=Unit.POINTS)
    sponsorship.budget_account = budget
    sponsorship.save()
    audit_record(
        actor=actor, event=RewardsEvent.SPONSORSHIP_PLEDGE, subject_id=sponsorship.public_id,
        data={"sponsor": str(sponsor.public_id), "deed_type": deed_type.code,
              "community": str(community.public_id) if community else None,
              "bonus_points": bonus_points, "budget_points": budget_points,
              "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )  # fmt: skip
    return sponsorship


def pledge_max_points() -> int:
    return min(int(settings.KWAMDEE_PLEDGE_MAX_POINTS), MAX_BUDGET_POINTS)


def _reference_problems(reference: str) -> list[Any]:
    if not reference:
        return [_("Enter the payment's reference (the bank transfer or receipt number).")]
    if not PAYMENT_REFERENCE.fullmatch(reference):
        return [_("Use 3 to 64 letters, digits, spaces and . / - _ # (as on the bank slip or receipt).")]
    return text_problems(reference, max_chars=64)


@transaction.atomic
def sponsorship_fund(
    *, actor: Actor, sponsorship: Sponsorship, points: int, reference: str, received_on: date
) -> SponsorshipFunding:
    """National staff record funding a sponsor paid for a pledge, with the payment's reference
    (used once per sponsor): the points move into the pledge's budget, from which bonuses are
    paid. Together the fundings never exceed the pledged budget."""
    if not actor.has_perm("rewards.record_funding"):
        raise PermissionDenied()
    sponsorship = rows_lock(Sponsorship.objects.filter(pk=sponsorship.pk))[0]
    reference = " ".join((reference or "").split())
    errors: dict[str, list[Any]] = {}
    if problems := _reference_problems(reference):
        errors["reference"] = problems
    elif SponsorshipFunding.objects.filter(sponsor_id=sponsorship.sponsor_id, reference=reference).exists():
        errors["reference"] = [_("This payment reference is already recorded for this sponsor.")]
    funded = sponsorship_funded_points(sponsorship)
    if points < 1:
        errors["points"] = [_("Must be at least %(n)s.") % {"n": 1}]
    elif funded + points > sponsorship.budget_points:
        errors["points"] = [
            _("At most %(n)s: the funding recorded may not exceed the pledge.")
            % {"n": sponsorship.budget_points - funded}
        ]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise FundingInvalid(fields=errors)
    funding = SponsorshipFunding.objects.create(
        sponsorship=sponsorship, sponsor_id=sponsorship.sponsor_id, points=points, reference=reference,
        received_on=received_on, recorded_by=person_or_none(actor),
    )  # fmt: skip
    sponsor = sponsorship.sponsor
    source_account = account_get_or_create(
        holder_ref=sponsor.ledger_ref, kind=SPONSOR_FUNDING, unit=Unit.POINTS, may_go_negative=True
    )
    ledger_transaction_post(
        chain_key=f"sponsor:{sponsor.public_id}",
        kind=SPONSORSHIP_FUND,
        idempotency_key=f"sponsorship:{sponsorship.public_id}:funding:{funding.public_id}",
        legs=[Leg(source_account, -points), Leg(sponsorship.budget_account, points)],
        source=sponsorship_source(sponsorship.public_id),
        memo={"deed_type": sponsorship.deed_type.code, "funding": str(funding.public_id)},
    )
    audit_record(
        actor=actor, event=RewardsEvent.SPONSORSHIP_FUND, subject_id=sponsorship.public_id,
        data={"funding": str(funding.public_id), "sponsor": str(sponsor.public_id), "points": points,
              "reference": reference, "received_on": received_on.isoformat(),
              "funded_points": funded + points, "budget_points": sponsorship.budget_points},
    )  # fmt: skip
    return funding


def sponsorship_bonuses_pay(
    sender: Any, *, verified: "list[VerifiedDeed]", actor: Actor, **_kwargs: Any
) -> list[SponsorshipPayment]:
    """Pays every sponsor bonus that just-verified deeds earn, each as its own ledger entry on
    the deed's chain, inside the verification's transaction (deeds' `deeds_verified`): one query
    finds the pledges for the whole batch, and one ledger batch pays them.

    The pledges' budget accounts are locked (after the chain heads the verification holds, as
    common/locks.py orders them) and each bonus is paid only while its budget covers it, deed by
    deed in order: a budget is never overdrawn, and a bonus it cannot cover is skipped."""
    # A deed type priced at 0 points is a gift that stays unpaid: no bonus either.
    paying = [v for v in verified if v.rule.points_per_unit]
    if not paying:
        return []
    pledges = list(sponsorships_paying_for_deeds([v.deed for v in paying]))
    if not pledges:
        return []
    budgets = accounts_lock({p.budget_account_id for p in pledges})
    # The people's points accounts exist already: the deeds' own credit was just posted to them.
    accounts = accounts_get_or_create(
        [person_account_key(v.deed.person, Unit.POINTS, code) for v in paying for code in v.weights]
    )
    entries, payments, changes = [], [], []
    for deed, _rule, weights in paying:
        for pledge in pledges:
            if (
                not sponsorship_pays_for(pledge, deed)
                or budgets[pledge.budget_account_id] < pledge.bonus_points
            ):
                continue
            budgets[pledge.budget_account_id] -= pledge.bonus_points
            legs = [Leg(pledge.budget_account, -pledge.bonus_points)]
            for virtue_code, share in split_by_weight(pledge.bonus_points, weights).items():
                legs.append(Leg(accounts[person_account_key(deed.person, Unit.POINTS, virtue_code)], share))
            entries.append(
                EntryIn(
                    chain_key=deed_chain_key(deed_shard(deed.province_code, deed.person.ledger_ref)),
                    kind=SPONSOR_BONUS,
                    idempotency_key=f"sponsorship:{pledge.public_id}:deed:{deed.public_id}",
                    legs=legs,
                    source=deed_source(deed.public_id),
                    memo={"sponsorship": str(pledge.public_id)},
                )
            )  # fmt: skip
            payments.append(SponsorshipPayment(sponsorship=pledge, deed=deed, points=pledge.bonus_points))
            changes.append((pledge.public_id, {"deed": str(deed.public_id), "points": pledge.bonus_points,
                                               "by_system": is_system(actor)}))  # fmt: skip
    if not entries:
        return []
    ledger_transactions_post(entries)
    SponsorshipPayment.objects.bulk_create(payments)
    audit_records(actor=actor, event=RewardsEvent.SPONSORSHIP_BONUS_PAY, changes=changes)
    return payments
