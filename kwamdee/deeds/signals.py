"""What deeds announce to the layers above them (rewards pays sponsors' bonuses on it).

Sent inside the verifying transaction, after the deeds' own credit is posted, once per
verification or bulk verification: a receiver's writes commit or roll back with it. Arguments:
`verified`, a list of `VerifiedDeed` (the deed, the rule version that priced it, its split
across virtues), and `actor`."""

from decimal import Decimal
from typing import Any, NamedTuple

from django.dispatch import Signal


class VerifiedDeed(NamedTuple):
    deed: Any
    rule: Any
    weights: dict[str, Decimal]


deeds_verified = Signal()
