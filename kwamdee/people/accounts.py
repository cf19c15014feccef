"""A person's accounts in the ledger: lifetime credit and spendable points, one per virtue.

They belong to the person's pseudonymous `ledger_ref`, never to their name or number, so that
erasing the person leaves the ledger whole. Every domain that credits or spends a person's
credit or points (deeds, rewards, loans) names the accounts through these keys."""

from kwamdee.ledger.choices import Unit
from kwamdee.ledger.services import AccountKey

PERSON_CREDIT = "person_credit"
PERSON_POINTS = "person_points"
PERSON_KINDS = (PERSON_CREDIT, PERSON_POINTS)


def person_account_key(person: object, unit: str, virtue_code: str) -> AccountKey:
    kind = PERSON_CREDIT if unit == Unit.CREDIT else PERSON_POINTS
    return AccountKey(person.ledger_ref, kind, unit, virtue_code)  # type: ignore[attr-defined]
