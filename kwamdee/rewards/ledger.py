"""The ledger names rewards use: sponsors' accounts and their transactions."""

from kwamdee.ledger.services import Source

SPONSOR_FUNDING = "sponsor_funding"  # a sponsor's pledges: the source of its budgets
SPONSOR_BUDGET = "sponsor_budget"  # what is left of one sponsorship's budget
SPONSORSHIP_FUND = "sponsorship_fund"
SPONSOR_BONUS = "sponsor_bonus"
SPONSORSHIP_SOURCE = "sponsorship"


def sponsorship_source(sponsorship_public_id: object) -> Source:
    return Source(SPONSORSHIP_SOURCE, str(sponsorship_public_id))
