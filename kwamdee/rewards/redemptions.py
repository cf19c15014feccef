"""Redemption: a person holds points and one item of stock for a one-time code; the partner's
counter confirms the code (the held points are spent) or it expires or is cancelled (they go back).

Every step is one ledger transaction (on the person's chain) and one audit event, in one database
transaction. Locks, in the project's order (common/locks.py): the person (their redemptions
queue: limits and balances hold under concurrency), the privilege's stock (a conditional UPDATE,
only for a limited stock), then the ledger's chain head and accounts. Points never go below zero
(the ledger's overdraft check under its lock, and the database's CHECK); stock never below zero
(the conditional UPDATE, and the database's CHECK)."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Least
from django.utils import timezone

from kwamdee.common.actors import Actor, SystemActor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.describe import EntryDescription
from kwamdee.common.effects import after_commit
from kwamdee.common.errors import PermissionDenied
from kwamdee.common.idempotency import MAX_KEY_LENGTH, IdempotencyConflict
from kwamdee.common.locks import rows_lock
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.errors import InsufficientBalance
from kwamdee.ledger.services import AccountKey, ledger_transaction_post
from kwamdee.people.selectors import consent_active, contact_confirmed
from kwamdee.people.services import person_lock
from kwamdee.rewards.choices import LimitPeriod, RedemptionState
from kwamdee.rewards.errors import (
    CodeCancelled,
    CodeExpired,
    CodeRefused,
    CodeUnknown,
    CodeUsed,
    IdentityConsentNeeded,
    LevelTooLow,
    LimitReached,
    NotEnoughPoints,
    NotOffered,
    OutOfStock,
    RedemptionRefused,
)
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.holds import (
    person_chain_key,
    person_points,
    points_held_in,
    points_hold_legs,
    points_pay_legs,
    points_release_legs,
    points_split,
)
from kwamdee.rewards.ledger import (
    PARTNER_RECEIVED,
    PERSON_POINTS_HELD,
    REDEMPTION_CONFIRM,
    REDEMPTION_HOLD,
    REDEMPTION_RELEASE,
    redemption_source,
)
from kwamdee.rewards.levels import level_reached, level_status
from kwamdee.rewards.models import Partner, Privilege, Redemption
from kwamdee.rewards.partners import PartnerTokenActor, partner_served_by
from kwamdee.rewards.privileges import privilege_offered_to

# Letters and digits nobody mixes up when reading aloud or typing (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
EXPIRY_ACTOR = SystemActor("redemption-expiry")


def code_normalize(raw: str) -> str:
    """What a counter typed, as stored: capitals, no spaces or dashes (`abcd-2345` → `ABCD2345`)."""
    return "".join(ch for ch in str(raw).upper() if ch.isalnum())[:12]


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Redemption.objects.filter(code=code).exists():
            return code


def person_points_held(person: Any) -> int:
    return points_held_in(person, PERSON_POINTS_HELD)


def period_start(period: str, now: datetime) -> datetime | None:
    local = timezone.localtime(now)
    if period == LimitPeriod.DAY:
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == LimitPeriod.MONTH:
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return None


def redemptions_counted(person: Any, privilege: Privilege, now: datetime) -> int:
    """How many of the person's redemptions of `privilege` count against its limit in this period
    (those waiting and those received; an expired or cancelled one gave everything back)."""
    counted = Redemption.objects.filter(
        person=person, privilege=privilege, state__in=[RedemptionState.HELD, RedemptionState.CONFIRMED]
    )
    start = period_start(privilege.per_person_period, now)
    if start is not None:
        counted = counted.filter(created_at__gte=start)
    return counted.count()


@dataclass(frozen=True)
class Redeemability:
    """Whether a person can redeem a privilege now, and if not, the first reason (an error)."""

    refusal: RedemptionRefused | None
    points: int
    rank: int

    @property
    def ok(self) -> bool:
        return self.refusal is None


def redeemability(person: Any, privilege: Privilege, *, now: datetime | None = None) -> Redeemability:
    """The one rule of "may this person redeem this privilege now", for the page, the API and the
    service (which asks again under the person's lock)."""
    now = now or timezone.now()
    points = sum(person_points(person).values())
    status = level_status(person)
    rank = status.rank
    refusal: RedemptionRefused | None = None
    if not privilege_offered_to(person, privilege, today=timezone.localdate(now)):
        refusal = NotOffered()
    elif privilege.stock_left is not None and privilege.stock_left <= 0:
        refusal = OutOfStock()
    elif privilege.min_level and not level_reached(
        status.credit, privilege.min_level, privilege.partner.community
    ):
        refusal = LevelTooLow()
    elif (
        privilege.per_person_limit
        and redemptions_counted(person, privilege, now) >= privilege.per_person_limit
    ):
        refusal = LimitReached()
    elif points < privilege.cost_points:
        refusal = NotEnoughPoints()
    return Redeemability(refusal, points, rank)


@transaction.atomic
def redemption_create(
    *, actor: Actor, privilege: Privilege, key: str, share_identity: bool = False
) -> Redemption:
    """Holds the privilege's points and one item of its stock, and gives a one-time code valid
    for the privilege's `code_minutes`. Retried with the same `key`, returns the first redemption."""
    person = person_or_none(actor)
    if person is None or isinstance(actor, PartnerTokenActor):
        raise PermissionDenied()
    if not consent_active(person=person) or not contact_confirmed(person):
        raise PermissionDenied()
    key = str(key or "").strip()[:MAX_KEY_LENGTH]
    if not key:
        raise IdempotencyConflict()
    person_lock(person)
    earlier = Redemption.objects.filter(person=person, idempotency_key=key).first()
    if earlier is not None:
        if earlier.privilege_id != privilege.pk:
            raise IdempotencyConflict()
        return earlier
    privilege = Privilege.objects.select_related("partner").get(pk=privilege.pk)
    now = timezone.now()
    check = redeemability(person, privilege, now=now)
    if check.refusal is not None:
        raise check.refusal
    if privilege.shares_identity and not share_identity:
        raise IdentityConsentNeeded()
    if privilege.stock is not None:
        taken = Privilege.objects.filter(pk=privilege.pk, stock_left__gt=0).update(
            stock_left=F("stock_left") - 1
        )
        if not taken:
            raise OutOfStock()
    # Read again under the lock: a reversal (which does not take the person's lock) may have
    # taken points since the check above; a split short of the cost is refused, never posted.
    split = points_split(person_points(person), privilege.cost_points)
    if sum(split.values()) < privilege.cost_points:
        raise NotEnoughPoints()
    redemption = Redemption.objects.create(
        privilege=privilege, partner=privilege.partner, person=person, community=person.community,
        province_code=person.province_code, code=_new_code(), points=privilege.cost_points, split=split,
        holder_ref=person.ledger_ref, ledger_chain=person_chain_key(person),
        expires_at=now + timedelta(minutes=privilege.code_minutes),
        identity_shared=bool(privilege.shares_identity and share_identity), idempotency_key=key,
    )  # fmt: skip
    if redemption.points:
        legs = points_hold_legs(person.ledger_ref, split, held_kind=PERSON_POINTS_HELD)
        try:
            ledger_transaction_post(
                chain_key=redemption.ledger_chain, kind=REDEMPTION_HOLD,
                idempotency_key=f"redemption:{redemption.public_id}:hold", legs=legs,
                source=redemption_source(redemption.public_id),
            )  # fmt: skip
        except InsufficientBalance:
            raise NotEnoughPoints() from None
    audit_record(actor=actor, event=RewardsEvent.REDEMPTION_HOLD, subject_id=redemption.public_id,
                 data={"privilege": str(privilege.public_id), "points": redemption.points,
                       "identity_shared": redemption.identity_shared})  # fmt: skip
    after_commit(_expiry_book, redemption.pk, redemption.expires_at)
    return redemption


def _expiry_book(redemption_id: int, when: datetime) -> None:
    """Books the release of an unconfirmed code at its expiry (where the task queue can wait)."""
    from django_tasks import default_task_backend

    from kwamdee.rewards.tasks import redemption_expire_task

    if default_task_backend.supports_defer:
        redemption_expire_task.using(run_after=when).enqueue(redemption_id)


def _event_data(redemption: Redemption) -> dict[str, Any]:
    """What a redemption's confirm and release events carry besides the points: whom it is for
    (the person's internal id) and what it is (the privilege's and partner's names, which are
    public), so that the notifications app, beside rewards in the layers, can tell the person
    without reading rewards' rows. Never the code, never the person's name."""
    privilege, partner = redemption.privilege, redemption.partner
    return {
        "points": redemption.points, "person": redemption.person_id, "partner": str(partner.public_id),
        "privilege": str(privilege.public_id), "privilege_th": privilege.title_th,
        "privilege_en": privilege.title_en, "partner_th": partner.name_th, "partner_en": partner.name_en,
    }  # fmt: skip


def _release(
    redemption: Redemption, *, state: str, actor: Actor, event: RewardsEvent, reason: str = ""
) -> Redemption:
    """Gives the held points and the stock back (the caller holds the redemption's lock). The
    stock first, then the ledger: the order a redemption takes them in (the privilege's row, then
    the chain head), so that a release and a new code never wait on each other in a circle."""
    now = timezone.now()
    Privilege.objects.filter(pk=redemption.privilege_id, stock__isnull=False).update(
        # Never above the stock: a stock set after this code was given already counts it as free.
        stock_left=Least(F("stock_left") + 1, F("stock"))
    )
    if redemption.points:
        legs = points_release_legs(redemption.holder_ref, redemption.split, held_kind=PERSON_POINTS_HELD)
        ledger_transaction_post(
            chain_key=redemption.ledger_chain, kind=REDEMPTION_RELEASE,
            idempotency_key=f"redemption:{redemption.public_id}:release", legs=legs,
            source=redemption_source(redemption.public_id), memo={"state": state},
        )  # fmt: skip
    redemption.state = state
    redemption.decided_at = now
    redemption.save(update_fields=["state", "decided_at", "updated_at"])
    data = _event_data(redemption)
    if reason:
        data["reason"] = reason
    audit_record(actor=actor, event=event, subject_id=redemption.public_id, data=data)
    return redemption


def _locked(redemption: Redemption) -> Redemption:
    return rows_lock(Redemption.objects.filter(pk=redemption.pk))[0]


@transaction.atomic
def redemption_expire(
    *, redemption: Redemption, actor: Actor = EXPIRY_ACTOR, now: datetime | None = None
) -> bool:
    """Releases a code that is still waiting past its time; False if it was decided meanwhile."""
    redemption = _locked(redemption)
    now = now or timezone.now()
    if redemption.state != RedemptionState.HELD or redemption.expires_at > now:
        return False
    _release(redemption, state=RedemptionState.EXPIRED, actor=actor, event=RewardsEvent.REDEMPTION_EXPIRE)
    return True


def redemptions_expire_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Releases every code past its time (the background task's sweep), one transaction each."""
    now = now or timezone.now()
    due = Redemption.objects.filter(state=RedemptionState.HELD, expires_at__lte=now).order_by(
        "expires_at", "pk"
    )
    return sum(redemption_expire(redemption=r, now=now) for r in due[:limit])


@transaction.atomic
def redemption_cancel(*, actor: Actor, redemption: Redemption) -> Redemption:
    """The person changes their mind before the counter confirms: everything goes back."""
    if person_or_none(actor) is None or redemption.person_id != actor.pk:
        raise PermissionDenied()
    # The person first (common/locks.py), as a new code takes it: the audit row names them (a
    # key-share lock on their row), which would otherwise wait on their new code holding it
    # while that code waits on the chain head this release holds.
    person_lock(person_or_none(actor))
    redemption = _locked(redemption)
    if redemption.state != RedemptionState.HELD:
        raise _code_refusal(redemption.state)
    return _release(
        redemption, state=RedemptionState.CANCELLED, actor=actor, event=RewardsEvent.REDEMPTION_CANCEL
    )


ERASURE_REASON = "erasure"


def redemptions_release_for_erasure(person: Any) -> int:
    """The person erases their account (common/erasure.py): every code still waiting is cancelled,
    its points going back to their (pseudonymous) account and its item to the privilege's stock,
    through the same release as a cancel: one ledger transaction and one `redemption:cancel` event
    (reason "erasure") each. Runs inside the erasure's transaction, which holds the person's lock
    (so no new code can be taken meanwhile); each code is locked before it is released, so a
    counter confirming it at the same moment either wins (the code is then received, not
    released) or finds it cancelled. Returns how many were released."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("redemptions_release_for_erasure must run inside the erasure's transaction")
    released = 0
    for held in Redemption.objects.filter(person=person, state=RedemptionState.HELD).order_by("pk"):
        redemption = _locked(held)
        if redemption.state != RedemptionState.HELD:
            continue
        _release(
            redemption, state=RedemptionState.CANCELLED, actor=person, event=RewardsEvent.REDEMPTION_CANCEL,
            reason=ERASURE_REASON,
        )  # fmt: skip
        released += 1
    return released


def _code_refusal(state: str) -> Exception:
    refusals: dict[str, type[CodeRefused]] = {
        RedemptionState.CONFIRMED: CodeUsed,
        RedemptionState.EXPIRED: CodeExpired,
        RedemptionState.CANCELLED: CodeCancelled,
    }
    return refusals.get(state, CodeUnknown)()


def redemption_at_counter(*, actor: Actor, partner: Partner, code: str) -> Redemption:
    """The code as the partner's counter sees it (before confirming): only a code of this partner."""
    if not partner_served_by(actor, partner):
        raise PermissionDenied()
    redemption = (
        Redemption.objects.select_related("privilege", "person")
        .filter(code=code_normalize(code), partner=partner)
        .first()
    )
    if redemption is None:
        raise CodeUnknown()
    return redemption


def redemption_confirm(*, actor: Actor, partner: Partner, code: str) -> Redemption:
    """The counter hands the privilege over: the held points are spent, once. A code of another
    partner is unknown here; a used, expired or cancelled code is refused; a code found past its
    time is released first (its points go back) and refused."""
    redemption = redemption_at_counter(actor=actor, partner=partner, code=code)
    expired = _confirm(actor=actor, redemption=redemption)
    if expired:
        redemption_expire(redemption=redemption)
        raise CodeExpired()
    redemption.refresh_from_db()
    return redemption


@transaction.atomic
def _confirm(*, actor: Actor, redemption: Redemption) -> bool:
    """Confirms under the redemption's lock; True when the code turned out to be past its time."""
    redemption = _locked(redemption)
    if redemption.state != RedemptionState.HELD:
        raise _code_refusal(redemption.state)
    now = timezone.now()
    if redemption.expires_at <= now:
        return True
    if redemption.points:
        partner_key = AccountKey(redemption.partner.ledger_ref, PARTNER_RECEIVED, Unit.POINTS, "")
        legs = points_pay_legs(
            redemption.holder_ref, redemption.split, held_kind=PERSON_POINTS_HELD, to=partner_key
        )
        ledger_transaction_post(
            chain_key=redemption.ledger_chain, kind=REDEMPTION_CONFIRM,
            idempotency_key=f"redemption:{redemption.public_id}:confirm", legs=legs,
            source=redemption_source(redemption.public_id),
        )  # fmt: skip
    redemption.state = RedemptionState.CONFIRMED
    redemption.decided_at = now
    redemption.confirmed_by = person_or_none(actor) if not isinstance(actor, PartnerTokenActor) else None
    redemption.confirmed_via = actor.label if isinstance(actor, PartnerTokenActor) else "counter"
    redemption.save(update_fields=["state", "decided_at", "confirmed_by", "confirmed_via", "updated_at"])
    audit_record(actor=actor, event=RewardsEvent.REDEMPTION_CONFIRM, subject_id=redemption.public_id,
                 data=_event_data(redemption))  # fmt: skip
    return False


# --- reads ------------------------------------------------------------------------------------


def redemption_get(public_id: Any) -> Redemption | None:
    try:
        return Redemption.objects.select_related("privilege", "partner").filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def redemptions_of(person: Any) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(person=person)
        .select_related("privilege", "partner")
        .order_by("-created_at", "-id")
    )


def redemptions_at_partner(partner: Partner) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(partner=partner).select_related("privilege").order_by("-created_at", "-id")
    )


def redemption_visible_to(actor: Any, redemption: Redemption) -> bool:
    if getattr(actor, "pk", None) and redemption.person_id == actor.pk:
        return True
    return partner_served_by(actor, redemption.partner)


def identity_for_counter(redemption: Redemption) -> str:
    """The only identity a counter sees: the person's name if they agreed to share it with this
    partner for this privilege, and only while the code waits or for the one handed over (a code
    cancelled or expired was never used: the name it shared is not shown again)."""
    used = redemption.state in (RedemptionState.HELD, RedemptionState.CONFIRMED)
    if used and redemption.identity_shared and redemption.person is not None:
        return redemption.person.full_name
    return ""


def redemption_descriptions(ids: Iterable[str]) -> dict[str, Redemption]:
    return {
        str(r.public_id): r
        for r in Redemption.objects.filter(public_id__in=list(ids)).select_related("privilege", "partner")
    }


def partner_totals(partner: Partner) -> dict[str, Any]:
    """A partner's own numbers: codes by state and the points received (confirmed)."""
    rows = (
        Redemption.objects.filter(partner=partner)
        .values("state")
        .annotate(n=Count("id"), points=Sum("points"))
    )
    by_state = {row["state"]: row for row in rows}
    confirmed = by_state.get(RedemptionState.CONFIRMED, {})
    return {
        "confirmed": confirmed.get("n", 0),
        "points_received": confirmed.get("points") or 0,
        "waiting": by_state.get(RedemptionState.HELD, {}).get("n", 0),
        "expired": by_state.get(RedemptionState.EXPIRED, {}).get("n", 0),
        "cancelled": by_state.get(RedemptionState.CANCELLED, {}).get("n", 0),
        "by_privilege": list(
            Redemption.objects.filter(partner=partner, state=RedemptionState.CONFIRMED)
            .values("privilege__public_id", "privilege__title_th", "privilege__title_en")
            .annotate(n=Count("id"), points=Sum("points"))
            .order_by("-n")
        ),
    }


def confirmed_filter(prefix: str = "") -> Q:
    return Q(**{f"{prefix}state": RedemptionState.CONFIRMED})


def redemption_entries_describe(source_ids: list[str]) -> dict[str, EntryDescription]:
    """How the passbook shows a redemption's entries (the hold takes points out, a release puts
    them back): the privilege and partner, where the code is, and its state now."""
    from django.urls import reverse

    return {
        key: EntryDescription(
            title=f"{r.privilege.title} · {r.partner.name}",
            url=reverse("rewards:redemption", args=[r.public_id]),
            rule=str(r.get_state_display()),
        )
        for key, r in redemption_descriptions(source_ids).items()
    }
