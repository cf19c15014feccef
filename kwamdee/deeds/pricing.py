"""Turns a verified deed into credit and points, split across its virtues."""

from decimal import ROUND_HALF_UP, Decimal


def amount_for(rate: int, quantity: Decimal) -> int:
    return int((Decimal(rate) * quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split_by_weight(total: int, weights: dict[str, Decimal]) -> dict[str, int]:
    """Largest-remainder split: the parts are whole numbers and always sum to `total`."""
    if total == 0 or not weights:
        return {}
    weight_sum = sum(weights.values())
    exact = {code: Decimal(total) * w / weight_sum for code, w in weights.items()}
    parts = {code: int(x) for code, x in exact.items()}
    leftover = total - sum(parts.values())
    by_remainder = sorted(exact, key=lambda c: (exact[c] - parts[c], c), reverse=True)
    for code in by_remainder[:leftover]:
        parts[code] += 1
    return {code: n for code, n in parts.items() if n}
