from django.contrib import admin

from kwamdee.common.admin import ReadOnlyAdmin
from kwamdee.loans.models import FundDeposit, Loan, LoanFund, LoanProduct, Repayment

admin.site.register([LoanFund, FundDeposit, LoanProduct, Loan, Repayment], ReadOnlyAdmin)
