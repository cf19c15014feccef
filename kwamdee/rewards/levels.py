"""Levels from lifetime credit (ต้นกล้า → ต้นไม้ → ร่มไม้ใหญ่): reads, and setting a set of levels.

A level is computed from the person's lifetime credit each time it is asked, never stored and
never from points: spending leaves it where it was, and only a reversal of a wrongly given credit
lowers the credit it is read from. The national set applies unless the person's community set its
own (which replaces the national set for its members); a privilege names a level by rank."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import community_administered_by
from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied
from kwamdee.common.text_validation import text_problems
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.selectors import holder_balances
from kwamdee.people.accounts import PERSON_CREDIT
from kwamdee.rewards.errors import LevelsInvalid
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.models import Level
from kwamdee.rewards.partners import PartnerTokenActor

MAX_LEVELS = 10
MAX_CREDIT = 1_000_000_000


@dataclass(frozen=True)
class LevelStatus:
    """Where a person stands: their credit, their level (None below the first), the next level
    and how far they are towards it (0–100), and the whole set in order."""

    credit: int
    level: Level | None
    next_level: Level | None
    credit_to_next: int
    progress_percent: int
    levels: list[Level]

    @property
    def rank(self) -> int:
        return self.level.rank if self.level else 0


def levels_for(community: Any) -> list[Level]:
    """The levels that apply in `community` (its own set, or the national one), by rank."""
    if community is not None:
        own = list(Level.objects.filter(community=community).order_by("rank"))
        if own:
            return own
    return list(Level.objects.filter(community__isnull=True).order_by("rank"))


def person_credit(person: Any) -> int:
    """Lifetime credit: the sum of the person's credit accounts (a handful of cached balances)."""
    balances = holder_balances(holder_ref=person.ledger_ref, kinds=[PERSON_CREDIT])
    return sum(b.amount for b in balances if b.unit == Unit.CREDIT)


def level_at(credit: int, levels: list[Level]) -> Level | None:
    reached = [level for level in levels if level.min_credit <= credit]
    return reached[-1] if reached else None


def level_reached(credit: int, rank: int, community: Any) -> bool:
    """Whether `credit` reaches the level of `rank` in the set of `community` (its own, or the
    national one). A privilege's level is read in its partner's set, the set its offer form named:
    a community's own, lower levels never open privileges offered beyond it."""
    needed = next((level for level in levels_for(community) if level.rank == rank), None)
    return needed is not None and credit >= needed.min_credit


def level_status(person: Any, *, credit: int | None = None) -> LevelStatus:
    """The person's level from their lifetime credit (read now unless given)."""
    credit = person_credit(person) if credit is None else credit
    levels = levels_for(getattr(person, "community", None))
    level = level_at(credit, levels)
    higher = [lv for lv in levels if lv.min_credit > credit]
    next_level = higher[0] if higher else None
    if next_level is None:
        return LevelStatus(credit, level, None, 0, 100, levels)
    base = level.min_credit if level else 0
    span = max(next_level.min_credit - base, 1)
    progress = max(0, min(99, (credit - base) * 100 // span))
    return LevelStatus(credit, level, next_level, next_level.min_credit - credit, progress, levels)


def levels_editable_by(actor: Any, community: Any) -> bool:
    """The one rule for "may set these levels": national staff for the national set, the
    community's committee (or national staff) for a community's own. Never a partner's system:
    its token is a system actor, which the committee's rule would otherwise let through."""
    if isinstance(actor, PartnerTokenActor):
        return False
    if actor.has_perm("rewards.manage_levels"):
        return True
    return community is not None and community_administered_by(actor, community)


@dataclass(frozen=True)
class LevelIn:
    name_th: str
    name_en: str
    min_credit: int
    opens_th: str = ""
    opens_en: str = ""


def levels_problems(levels: list[LevelIn]) -> dict[str, list[Any]]:
    """What is wrong with a set of levels, by field (`levels.2.min_credit`)."""
    errors: dict[str, list[Any]] = {}
    if not levels:
        errors["levels"] = [_("Give at least one level.")]
    if len(levels) > MAX_LEVELS:
        errors["levels"] = [_("At most %(n)s levels.") % {"n": MAX_LEVELS}]
    previous = -1
    for i, level in enumerate(levels):
        prefix = f"levels.{i}."
        if not level.name_th.strip():
            errors[prefix + "name_th"] = [_("Required.")]
        for field, value, limit in (
            ("name_th", level.name_th, 60), ("name_en", level.name_en, 60),
            ("opens_th", level.opens_th, 300), ("opens_en", level.opens_en, 300),
        ):  # fmt: skip
            problems = text_problems(value.strip(), max_chars=limit) if value.strip() else []
            if problems:
                errors.setdefault(prefix + field, problems)
        if not isinstance(level.min_credit, int) or level.min_credit < 0 or level.min_credit > MAX_CREDIT:
            errors[prefix + "min_credit"] = [_("Give a whole number from 0 to %(n)s.") % {"n": MAX_CREDIT}]
        elif i == 0 and level.min_credit != 0:
            errors[prefix + "min_credit"] = [
                _("The first level starts at 0 credit, so everyone has a level.")
            ]
        elif level.min_credit <= previous:
            errors[prefix + "min_credit"] = [_("Each level needs more credit than the one before it.")]
        else:
            previous = level.min_credit
    return errors


@transaction.atomic
def levels_set(*, actor: Actor, community: Any, levels: list[LevelIn]) -> list[Level]:
    """Replaces the national set (community None) or a community's own set. An empty list for a
    community removes its own set: its members then follow the national levels again."""
    if not levels_editable_by(actor, community):
        raise PermissionDenied()
    if community is not None and not levels:
        Level.objects.filter(community=community).delete()
        audit_record(actor=actor, event=RewardsEvent.LEVELS_SET, subject_id=community.public_id,
                     data={"levels": []})  # fmt: skip
        return levels_for(None)
    errors = levels_problems(levels)
    if errors:
        raise LevelsInvalid(fields=errors)
    Level.objects.filter(community=community).delete()
    created = Level.objects.bulk_create(
        [
            Level(community=community, rank=i + 1, name_th=lv.name_th.strip(), name_en=lv.name_en.strip(),
                  min_credit=lv.min_credit, opens_th=lv.opens_th.strip(), opens_en=lv.opens_en.strip())
            for i, lv in enumerate(levels)
        ]
    )  # fmt: skip
    audit_record(
        actor=actor, event=RewardsEvent.LEVELS_SET,
        subject_id=community.public_id if community is not None else "national",
        data={"levels": [[lv.name_th.strip(), lv.min_credit] for lv in levels]},
    )  # fmt: skip
    return created
