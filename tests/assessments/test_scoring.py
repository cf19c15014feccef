"""The scoring rules as pure functions: table-driven, with the published 80% / 50% boundaries."""

from decimal import Decimal

import pytest

from kwamdee.assessments.choices import ScoringRule
from kwamdee.assessments.scoring import (
    LevelRule,
    ScoredItem,
    assessment_result,
    item_score,
    level_reached,
    score_by_thresholds,
    share_percent,
)

FULL, HALF = Decimal("80"), Decimal("50")


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (8000, 10000, 2),  # 80.00% → 2
        (7999, 10000, 1),  # 79.99% → 1
        (5000, 10000, 1),  # 50.00% → 1
        (4999, 10000, 0),  # 49.99% → 0
        (100, 100, 2),
        (0, 100, 0),
        (4, 5, 2),  # 80% exactly from a small count
        (2, 3, 1),  # 66.67%
        (1, 2, 1),  # 50%
        (1, 3, 0),  # 33.33%
        (79995, 100000, 1),  # 79.995% is not rounded up to 80
    ],
)
def test_a_share_scores_by_the_published_thresholds(numerator, denominator, expected):
    assert score_by_thresholds(share_percent(numerator, denominator), full=FULL, half=HALF) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("80", 2), ("79.99", 1), ("50", 1), ("49.99", 0), ("80.00", 2), ("50.00", 1), ("0", 0), ("100", 2)],
)
def test_a_percentage_at_each_boundary(value, expected):
    assert score_by_thresholds(Decimal(value), full=FULL, half=HALF) == expected


@pytest.mark.parametrize(
    ("rule", "kwargs", "expected"),
    [
        (ScoringRule.THRESHOLD, {"value": Decimal("80"), "full": FULL, "half": HALF}, 2),
        (ScoringRule.THRESHOLD, {"value": Decimal("79.99"), "full": FULL, "half": HALF}, 1),
        (ScoringRule.THRESHOLD, {"value": None, "full": FULL, "half": HALF}, None),
        # A computed count against count thresholds (4 activities → 2, 2–3 → 1).
        (ScoringRule.COMPUTED, {"value": Decimal(4), "full": Decimal(4), "half": Decimal(2)}, 2),
        (ScoringRule.COMPUTED, {"value": Decimal(3), "full": Decimal(4), "half": Decimal(2)}, 1),
        (ScoringRule.COMPUTED, {"value": Decimal(1), "full": Decimal(4), "half": Decimal(2)}, 0),
        (ScoringRule.JUDGEMENT, {"judgement": 2}, 2),
        (ScoringRule.JUDGEMENT, {"judgement": 1}, 1),
        (ScoringRule.JUDGEMENT, {"judgement": 0}, 0),
        (ScoringRule.JUDGEMENT, {}, None),
    ],
)
def test_each_rule_type(rule, kwargs, expected):
    assert item_score(rule, **kwargs) == expected


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (share_percent, (1, 0)),
        (share_percent, (3, 2)),
        (share_percent, (-1, 2)),
    ],
)
def test_impossible_shares_are_refused(call, args):
    with pytest.raises(ValueError):
        call(*args)


def test_impossible_rules_are_refused():
    with pytest.raises(ValueError):
        score_by_thresholds(Decimal(60), full=Decimal(50), half=Decimal(80))
    with pytest.raises(ValueError):
        item_score(ScoringRule.JUDGEMENT, judgement=3)
    with pytest.raises(ValueError):
        item_score("guess", judgement=1)


LEVELS = [
    LevelRule("promoting", 1, Decimal("50"), 1),
    LevelRule("moral", 2, Decimal("65"), 1),
    LevelRule("model", 3, Decimal("80"), 1),
]


def _items(*scores_by_level):
    return [ScoredItem(level, score) for level, scores in enumerate(scores_by_level, 1) for score in scores]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (_items([2, 2], [2, 2], [2, 2]), "model"),
        (_items([1, 1], [1, 1], [1, 1]), "promoting"),  # 50% everywhere: only the first level
        (_items([2, 1], [2, 1], [2, 1]), "moral"),  # 75%: not 80
        (_items([2, 2], [2, 2], [2, 0]), "moral"),  # an item at 0 stops the top level
        (_items([2, 0], [2, 2], [2, 2]), None),  # an item at 0 in level 1 stops every level
        (_items([1, 0], [2, 2], [2, 2]), None),
        (_items([2, 2], [0, 2], [2, 2]), "promoting"),  # a level is climbed in order
        ([], None),
    ],
)
def test_the_level_reached(items, expected):
    assert level_reached(LEVELS, items) == expected


def test_the_result_adds_up():
    result = assessment_result(LEVELS, _items([2, 1], [2, 2], [1, 0]))
    assert (result.total, result.max_total, result.percent, result.level) == (
        8,
        12,
        Decimal("66.67"),
        "moral",
    )
