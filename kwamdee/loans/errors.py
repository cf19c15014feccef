from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import FileRowsInvalid, ServiceError, ValidationFailed


class DepositInvalid(ValidationFailed):
    code = "loan_deposit_invalid"
    message = _("The deposit is not valid.")


class ProductInvalid(ValidationFailed):
    code = "loan_product_invalid"
    message = _("The loan product is not valid.")


class LoanInvalid(ValidationFailed):
    code = "loan_invalid"
    message = _("The loan's amount or term is not one this product offers.")


class LoanRefused(ServiceError):
    """Why a loan step cannot be taken now: nothing changed."""

    code = "loan_refused"
    status = 409
    message = _("This cannot be done with this loan now.")


class ConsentNeeded(LoanRefused):
    code = "loan_eligibility_consent_needed"
    status = 403
    message = _("The committee reads your goodness record for a loan only with your consent to it.")


class NotEligible(LoanRefused):
    code = "loan_not_eligible"
    message = _("You do not meet every condition of this loan yet. Your points were not pledged.")


class NotEnoughPointsToPledge(LoanRefused):
    code = "loan_not_enough_points"
    message = _("You do not have enough spendable points to pledge. Your points were not pledged.")


class OwnLoan(LoanRefused):
    code = "loan_own"
    status = 403
    message = _("You cannot decide on your own loan.")


class AlreadyApproved(LoanRefused):
    code = "loan_already_approved_by_you"
    message = _("You have already approved this loan; another committee member must approve it too.")


class FundTooLow(LoanRefused):
    code = "loan_fund_too_low"
    message = _("The fund does not hold enough money for this loan now.")


class WrongState(LoanRefused):
    code = "loan_wrong_state"
    message = _("This loan is not at the step this needs.")


class RepaymentInvalid(ValidationFailed):
    code = "loan_repayment_invalid"
    message = _("The repayment is not valid.")


class StillOwed(LoanRefused):
    code = "loan_still_owed"
    message = _("This loan is not fully repaid yet.")


class LoanBlocksErasure(LoanRefused):
    """Erasure (loans/erasure.py) refused: the person still owes the community's fund. Nothing
    was erased (the whole erasure is one transaction)."""

    code = "loan_blocks_erasure"
    message = _(
        "Your account cannot be erased yet: you still owe your community's goodness bank on a loan, "
        "and the fund must know who repays it. Once the loan is repaid and closed you can erase "
        "your account. Nothing was erased."
    )


class StatementInvalid(FileRowsInvalid):
    """The bank statement cannot be read at all (loans/statement_import.py): its errors as
    (row, column, message). Nothing was recorded. A row that is read but not matched is not an
    error: the preview lists it with its reason."""

    code = "loan_statement_invalid"
    message = _("The bank statement cannot be read; nothing was recorded.")


class StatementTooLarge(StatementInvalid):
    code = "loan_statement_too_large"
    status = 413
    message = _("The bank statement is too large; nothing was recorded.")
