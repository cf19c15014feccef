"""The ledger names deeds use: where credit comes from, and what a deed's transaction is."""

import hashlib
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings

from kwamdee.deeds.pricing import split_by_weight
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.services import AccountKey, Leg, Source
from kwamdee.people.accounts import person_account_key

if TYPE_CHECKING:
    from kwamdee.ledger.models import Account

# Credit and points are issued per province shard: each province's deeds are spread over
# `LEDGER_SHARDS_PER_PROVINCE` chains (and issuance accounts), chosen by a hash of the person, so
# verifications in one province do not queue behind one chain head. A person's deeds always land
# on the same shard, so their own entries stay in one chain, in order.
ISSUANCE = "issuance"
ISSUANCE_NAMESPACE = uuid.UUID("6b7c1d52-4f0e-4f36-9a8e-1f7a3c0d2b11")
DEED_CREDIT = "deed_credit"
DEED_SOURCE = "deed"


def deed_shard(province_code: str, holder_ref: uuid.UUID) -> str:
    """`10/3`: the province and the shard of the person whose ledger reference is `holder_ref`."""
    shards = max(1, int(settings.LEDGER_SHARDS_PER_PROVINCE))
    return f"{province_code}/{int(hashlib.sha256(holder_ref.bytes).hexdigest()[:8], 16) % shards}"


def issuance_account_key(shard: str, unit: str, virtue_code: str) -> AccountKey:
    holder = uuid.uuid5(ISSUANCE_NAMESPACE, f"issuance:{shard}")
    return AccountKey(holder, ISSUANCE, unit, virtue_code)


def issuance_holders(province_code: str) -> list[uuid.UUID]:
    """Every issuance holder of a province (one per shard): what a province has credited."""
    shards = max(1, int(settings.LEDGER_SHARDS_PER_PROVINCE))
    return [uuid.uuid5(ISSUANCE_NAMESPACE, f"issuance:{province_code}/{n}") for n in range(shards)]


def deed_chain_key(shard: str) -> str:
    return f"province:{shard}"


def deed_source(deed_public_id: object) -> Source:
    return Source(DEED_SOURCE, str(deed_public_id))


def deed_credit_account_keys(shard: str, person: object, weights: Mapping[str, object]) -> list[AccountKey]:
    """Every account a deed's credit may touch: the shard's issuance and the person's, per unit
    and virtue."""
    return [
        key
        for unit in (Unit.CREDIT, Unit.POINTS)
        for code in weights
        for key in (issuance_account_key(shard, unit, code), person_account_key(person, unit, code))
    ]


def deed_credit_legs(
    shard: str, person: object, *, credit: int, points: int, weights: dict[str, Decimal],
    accounts: Mapping[AccountKey, "Account"],
) -> list[Leg]:  # fmt: skip
    """The legs of a deed's credit: each unit's total split by the virtue weights (largest
    remainder), from the shard's issuance to the person."""
    legs: list[Leg] = []
    for unit, total in ((Unit.CREDIT, credit), (Unit.POINTS, points)):
        for code, share in split_by_weight(total, weights).items():
            legs += [
                Leg(accounts[issuance_account_key(shard, unit, code)], -share),
                Leg(accounts[person_account_key(person, unit, code)], share),
            ]
    return legs
