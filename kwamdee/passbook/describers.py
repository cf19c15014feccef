"""How each domain's ledger entries read in the passbook, by the kind of their source.

Adding a domain that posts to the ledger (rewards' redemptions, loans, the time bank) adds one
describer in that domain's selectors and one line here; the ledger itself does not change."""

from collections.abc import Callable

from kwamdee.common.describe import EntryDescription
from kwamdee.deeds.ledger import DEED_SOURCE
from kwamdee.deeds.selectors import deed_entries_describe
from kwamdee.loans.ledger import LOAN_SOURCE
from kwamdee.loans.selectors import loan_entries_describe
from kwamdee.rewards.ledger import REDEMPTION_SOURCE
from kwamdee.rewards.redemptions import redemption_entries_describe

Describer = Callable[[list[str]], dict[str, EntryDescription]]

DESCRIBERS: dict[str, Describer] = {
    DEED_SOURCE: deed_entries_describe,
    REDEMPTION_SOURCE: redemption_entries_describe,
    LOAN_SOURCE: loan_entries_describe,
}
