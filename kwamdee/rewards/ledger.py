"""The ledger names rewards use: sponsors' accounts and their transactions."""

from kwamdee.ledger.services import Source

SPONSOR_FUNDING = "sponsor_funding"  # a sponsor's pledges: the source of its budgets
SPONSOR_BUDGET = "sponsor_budget"  # what is left of one sponsorship's budget
SPONSORSHIP_FUND = "sponsorship_fund"
SPONSOR_BONUS = "sponsor_bonus"
SPONSORSHIP_SOURCE = "sponsorship"


def sponsorship_source(sponsorship_public_id: object) -> Source:
    return Source(SPONSORSHIP_SOURCE, str(sponsorship_public_id))


# Redemptions: points a person set aside for a code (theirs until the counter confirms), and
# what partners received. The person's spendable points are what they earned, less what they
# spent, less what is held: held points are not spendable, and not gone.
PERSON_POINTS_HELD = "person_points_held"
PARTNER_RECEIVED = "partner_received"
REDEMPTION_HOLD = "redemption_hold"
REDEMPTION_CONFIRM = "redemption_confirm"
REDEMPTION_RELEASE = "redemption_release"
REDEMPTION_SOURCE = "redemption"


def redemption_source(redemption_public_id: object) -> Source:
    return Source(REDEMPTION_SOURCE, str(redemption_public_id))
