"""The ledger names deeds use: where credit comes from, and what a deed's transaction is."""

import uuid

from kwamdee.ledger.services import AccountKey, Source

# Credit and points are issued per province, so that provinces do not queue behind one hot row.
ISSUANCE = "issuance"
ISSUANCE_NAMESPACE = uuid.UUID("6b7c1d52-4f0e-4f36-9a8e-1f7a3c0d2b11")
DEED_CREDIT = "deed_credit"
DEED_SOURCE = "deed"


def issuance_account_key(province_code: str, unit: str, virtue_code: str) -> AccountKey:
    holder = uuid.uuid5(ISSUANCE_NAMESPACE, f"issuance:{province_code}")
    return AccountKey(holder, ISSUANCE, unit, virtue_code)


def deed_chain_key(province_code: str) -> str:
    return f"province:{province_code}"


def deed_source(deed_public_id: object) -> Source:
    return Source(DEED_SOURCE, str(deed_public_id))
