from kwamdee.common.events import EventType


class LoansEvent(EventType):
    FUND_OPEN = "loan_fund:open"
    FUND_DEPOSIT = "loan_fund:deposit"
    PRODUCT_CREATE = "loan_product:create"
    LOAN_APPLY = "loan:apply"
    LOAN_APPROVE = "loan:approve"
    LOAN_DECLINE = "loan:decline"
    LOAN_DISBURSE = "loan:disburse"
    LOAN_REPAY = "loan:repay"
    LOAN_CLOSE = "loan:close"
    LOAN_DEFAULT = "loan:default"
    # The person erased their account while their application waited: it is withdrawn, the pledge
    # goes back (loans/erasure.py).
    LOAN_WITHDRAW = "loan:withdraw"
    # Repayments imported from a bank statement (loans/statement_import.py): one event for the
    # import, besides each repayment's own `loan:repay`.
    STATEMENT_IMPORT = "loan_fund:statement_import"
