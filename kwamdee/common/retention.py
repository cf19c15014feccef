"""How long each kind of data is kept, said by the app that keeps it (its `retention.py`,
registered when the app loads), applied every day by the privacy app's background task
(privacy/tasks.py) and listed in docs/privacy.md with the reason for each period.

A rule is `function(now) -> int`: it deletes or blanks what is older than its period (from
settings.RETENTION_DAYS[key]) and returns how many rows it touched."""

from collections.abc import Callable
from datetime import datetime

# What stands where free text was once its period ended: fixed words, the same for everyone.
EXPIRED_TEXT = "[ลบตามระยะเวลาการเก็บ]"  # "[deleted at the end of its retention period]"

_RULES: dict[str, Callable[[datetime], int]] = {}


def retention_rule(key: str) -> Callable[[Callable[[datetime], int]], Callable[[datetime], int]]:
    def register(function: Callable[[datetime], int]) -> Callable[[datetime], int]:
        if key in _RULES and _RULES[key] is not function:
            raise ValueError(f"two retention rules named {key!r}")
        _RULES[key] = function
        return function

    return register


def retention_rules() -> dict[str, Callable[[datetime], int]]:
    return dict(_RULES)
