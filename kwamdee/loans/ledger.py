"""The ledger names loans use (docs/loans.md): the fund's baht (unit `satang`), each loan's
receivable, and a person's pledged points. Baht and points never mix: each transaction balances
per unit."""

from kwamdee.ledger.services import Source

# Baht, in satang, per fund (holder: the fund's `ledger_ref`).
LOAN_FUND_SOURCE = "loan_fund_source"  # where deposits came from (sub-account: the source kind); a source
LOAN_FUND = "loan_fund"  # the money the fund holds now; never below zero
LOAN_INTEREST = "loan_interest"  # interest the fund earned; a source
# Per loan (holder: the loan's `ledger_ref`): the principal the person still owes.
LOAN_RECEIVABLE = "loan_receivable"
# Points: per person and virtue (holder: the person's `ledger_ref`), a loan's guarantee.
PERSON_POINTS_PLEDGED = "person_points_pledged"
# Per fund: pledged points that a defaulted loan's rule gave to the fund.
LOAN_FUND_POINTS = "loan_fund_points"

LOAN_FUND_DEPOSIT = "loan_fund_deposit"
LOAN_DISBURSE = "loan_disburse"
LOAN_REPAYMENT = "loan_repayment"
LOAN_PLEDGE_HOLD = "loan_pledge_hold"
LOAN_PLEDGE_RELEASE = "loan_pledge_release"
LOAN_PLEDGE_TRANSFER = "loan_pledge_transfer"

FUND_SOURCE_KINDS = (LOAN_FUND_SOURCE, LOAN_INTEREST)


def fund_chain_key(fund_public_id: object) -> str:
    """A fund's own chain: its deposits, disbursements and repayments, in order."""
    return f"loan_fund:{fund_public_id}"


def deposit_source(deposit_public_id: object) -> Source:
    return Source("loan_fund_deposit", str(deposit_public_id))


LOAN_SOURCE = "loan"


def loan_source(loan_public_id: object) -> Source:
    return Source(LOAN_SOURCE, str(loan_public_id))
