"""The scoring rules, as pure functions of numbers (no database): an item's 2/1/0, an
assessment's total and share, and the level it reaches. Decimal throughout; shares are never
rounded before they are compared, so 79.995% is below 80% and scores 1."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kwamdee.assessments.choices import ScoringRule

HUNDRED = Decimal(100)
MAX_ITEM_SCORE = 2
# The published thresholds (docs/organizations.md): at least 80% → 2, 50–79.99% → 1, below → 0.
# Each item carries its own; these are the defaults of a new threshold item.
DEFAULT_FULL = Decimal("80")
DEFAULT_HALF = Decimal("50")


def share_percent(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator in percent, exact to Decimal's precision (not rounded)."""
    if denominator <= 0:
        raise ValueError("a share needs a denominator above zero")
    if numerator < 0 or numerator > denominator:
        raise ValueError("a share's numerator is between 0 and its denominator")
    return Decimal(numerator) * HUNDRED / Decimal(denominator)


def score_by_thresholds(value: Decimal, *, full: Decimal, half: Decimal) -> int:
    """2 when `value` is at least `full`, 1 when at least `half`, else 0."""
    if half > full:
        raise ValueError("the threshold for 1 point cannot be above the one for 2")
    if value >= full:
        return 2
    if value >= half:
        return 1
    return 0


def item_score(
    rule: str, *, value: Decimal | None = None, full: Decimal | None = None, half: Decimal | None = None,
    judgement: int | None = None,
) -> int | None:  # fmt: skip
    """An item's score by its rule: `threshold` and `computed` from `value` against the
    thresholds, `judgement` from the score given. None when what it needs is missing."""
    if rule == ScoringRule.JUDGEMENT:
        if judgement is None:
            return None
        if judgement not in (0, 1, 2):
            raise ValueError("a judgement is 2, 1 or 0")
        return judgement
    if rule in (ScoringRule.THRESHOLD, ScoringRule.COMPUTED):
        if value is None or full is None or half is None:
            return None
        return score_by_thresholds(value, full=full, half=half)
    raise ValueError(f"unknown scoring rule {rule!r}")


@dataclass(frozen=True)
class LevelRule:
    """A level: its `order` (1 is the lowest), the share of the most points needed and the lowest
    score allowed on any item, over the items of its own and every lower level's activities."""

    code: str
    order: int
    min_percent: Decimal
    min_item_score: int = 0


@dataclass(frozen=True)
class ScoredItem:
    level_order: int  # the order of the level whose activity holds the item
    score: int


@dataclass(frozen=True)
class Result:
    total: int
    max_total: int
    percent: Decimal  # of every item, rounded to 2 places for showing
    level: str | None  # the code of the highest level reached, or None


def level_reached(levels: Sequence[LevelRule], items: Sequence[ScoredItem]) -> str | None:
    """The highest level reached, climbing from the lowest: a level counts only when every level
    below it was reached too. A level with no items of its own or below is never reached."""
    reached: str | None = None
    for level in sorted(levels, key=lambda lv: lv.order):
        counted = [item for item in items if item.level_order <= level.order]
        if not counted:
            break
        total = sum(item.score for item in counted)
        most = MAX_ITEM_SCORE * len(counted)
        share = Decimal(total) * HUNDRED / Decimal(most)
        if share < level.min_percent or any(item.score < level.min_item_score for item in counted):
            break
        reached = level.code
    return reached


def assessment_result(levels: Sequence[LevelRule], items: Sequence[ScoredItem]) -> Result:
    total = sum(item.score for item in items)
    most = MAX_ITEM_SCORE * len(items)
    percent = (
        (Decimal(total) * HUNDRED / Decimal(most)).quantize(Decimal("0.01")) if most else Decimal("0.00")
    )
    return Result(total=total, max_total=most, percent=percent, level=level_reached(levels, items))
