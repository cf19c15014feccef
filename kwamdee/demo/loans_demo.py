"""The demo's goodness bank (seed_demo), made through the real services (kwamdee/loans/):
Nong Sarai's loan fund, its product with the seeds' terms, and loans at each step. Idempotent.

- The fund, opened by the committee, with three deposits: the community welfare fund's 300,000
  baht, a cooperative bank's credit line and a temple's donation.
- "สินเชื่อความดี": no interest up to 20,000 baht, 7% a year on the part above, up to 50,000;
  monthly, 3 to 24 instalments; two committee members above 20,000; 5 points pledged at least;
  pledged points go back if a loan defaults; lifetime credit 20 and 2 verified deeds in the last
  12 months at least (the demo's members joined today, so no months of membership are asked).
- The citizens give their loan-eligibility consent (the real service): the citizen role meets
  every condition; the third citizen does not reach the credit and the deeds yet.
- The second citizen's 30,000-baht loan, paid out three months ago and repaid on time three
  times (one repayment with the bank transfer's reference).
- The citizen role's 25,000-baht application, approved by one committee member and waiting for
  the second (the community-admin role)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kwamdee.areas.selectors import community_for_subdistrict
from kwamdee.loans.choices import DefaultRule, DepositSource, LoanState, RepaymentFrequency
from kwamdee.loans.schedule import add_months, to_satang
from kwamdee.loans.selectors import loan_approvers
from kwamdee.loans.services import (
    ProductIn,
    fund_deposit,
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_fund_open,
    loan_product_create,
    loan_repayment_record,
)
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.selectors import consent_active
from kwamdee.people.services import consent_give

PRODUCT_NAME = "สินเชื่อความดี"
# (source, baht, reference, days ago)
DEPOSITS = [
    (DepositSource.WELFARE_FUND, "300000", "กองทุนสวัสดิการชุมชน 2569/01", 120),
    (DepositSource.COOPERATIVE_BANK, "200000", "ธกส-วงเงิน-2569-0042", 110),
    (DepositSource.DONATION, "15000", "บริจาควัดหนองสาหร่าย 2569", 60),
]
NONG_SARAI = ProductIn(
    name_th=PRODUCT_NAME,
    name_en="Goodness loan",
    bands=[(to_satang(20_000), Decimal("0")), (to_satang(50_000), Decimal("0.07"))],
    frequency=RepaymentFrequency.MONTHLY,
    min_instalments=3,
    max_instalments=24,
    two_approvers_above_satang=to_satang(20_000),
    min_pledge_points=5,
    default_rule=DefaultRule.RELEASE,
    min_credit=20,
    min_recent_deeds=2,
    no_arrears=True,
)
REPAYMENT_REFERENCES = ["ใบเสร็จ กข-0001", "KTB 0812-7781 LN", "ใบเสร็จ กข-0003"]


def _consent(person: Any) -> None:
    if consent_active(person=person, purpose=ConsentPurpose.LOAN_ELIGIBILITY) is None:
        consent_give(person=person, purpose=ConsentPurpose.LOAN_ELIGIBILITY, actor=person)


def loans_seed(*, subdistrict: str, committee: list[Any], citizens: list[Any], elder: Any) -> None:
    """`committee`: the community's two committee members; `citizens`: the demo's citizens (the
    citizen role first); `elder`: the elderly villager (who has not given the consent: his page
    says so and links to it)."""
    community = community_for_subdistrict(subdistrict)
    if community is None:
        return
    first, second = committee[0], committee[1]
    fund = loan_fund_open(actor=first, community=community)
    today = timezone.localdate()
    for source, amount, reference, days in DEPOSITS:
        fund_deposit(
            actor=first,
            fund=fund,
            source=source,
            amount_satang=to_satang(amount),
            reference=reference,
            received_on=today - timedelta(days=days),
        )
    product = fund.products.filter(name_th=PRODUCT_NAME).first()
    if product is None:
        product = loan_product_create(actor=first, fund=fund, data=NONG_SARAI)
    for citizen in citizens:
        _consent(citizen)

    # The second citizen's loan, paid out three months ago and repaid on time since.
    repaying = loan_apply(
        actor=citizens[1],
        product=product,
        principal_satang=to_satang(30_000),
        instalments=12,
        pledge_points=5,
        key="demo-loan-repaying",
        purpose="ปลดหนี้นอกระบบที่กู้มาซื้อปุ๋ยเมื่อปีที่แล้ว ดอกเบี้ยร้อยละ 20 ต่อเดือน",
    )
    for member in (first, second):
        if repaying.state == LoanState.APPLIED and member.pk not in loan_approvers(repaying):
            repaying = loan_approve(actor=member, loan=repaying)
    if repaying.state == LoanState.APPROVED:
        repaying = loan_disburse(actor=first, loan=repaying, on=add_months(today, -3) - timedelta(days=5))
    for row, reference in zip(repaying.schedule.order_by("number")[:3], REPAYMENT_REFERENCES, strict=False):
        if not repaying.repayments.filter(reference=reference).exists():
            loan_repayment_record(
                actor=second,
                loan=repaying,
                amount_satang=row.principal_satang + row.interest_satang,
                paid_on=row.due_on - timedelta(days=1),
                reference=reference,
            )

    # The citizen role's application, approved by one committee member, waiting for the second.
    waiting = loan_apply(
        actor=citizens[0],
        product=product,
        principal_satang=to_satang(25_000),
        instalments=10,
        pledge_points=5,
        key="demo-loan-waiting",
        purpose="ซ่อมหลังคาบ้านที่รั่วก่อนหน้าฝน และซื้อพันธุ์ข้าวสำหรับนาปีนี้",
    )
    if waiting.state == LoanState.APPLIED and second.pk not in loan_approvers(waiting):
        loan_approve(actor=second, loan=waiting)
