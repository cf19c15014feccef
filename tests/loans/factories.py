"""A community's goodness bank for loans tests, made through the real services."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from kwamdee.loans.services import ProductIn, fund_deposit, loan_fund_open, loan_product_create
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.services import consent_give
from tests.factories import SYSTEM, make_community, make_person
from tests.rewards.factories import give, make_committee

# Nong Sarai's terms: 0% up to 20,000 baht, 7% a year on the part above, up to 50,000.
NONG_SARAI_BANDS = [(2_000_000, Decimal("0")), (5_000_000, Decimal("0.07"))]


def nong_sarai_product(fund, **overrides):
    data = {
        "name_th": "สินเชื่อความดี", "name_en": "Goodness loan", "bands": NONG_SARAI_BANDS,
        "min_instalments": 1, "max_instalments": 24, "two_approvers_above_satang": 2_000_000,
        "min_pledge_points": 10, "min_credit": 50, **overrides,
    }  # fmt: skip
    return loan_product_create(actor=SYSTEM, fund=fund, data=ProductIn(**data))


def open_bank(*, baht=0, community=None):
    """A community, its fund (with `baht` deposited by the welfare fund) and two committee members."""
    community = community or make_community()
    fund = loan_fund_open(actor=SYSTEM, community=community)
    if baht:
        deposit(fund, baht * 100)
    first = make_committee(community, name="กรรมการ หนึ่ง")
    second = make_committee(community, name="กรรมการ สอง")
    return fund, first, second


def deposit(fund, satang, *, reference=None, source="welfare_fund"):
    import uuid

    return fund_deposit(
        actor=SYSTEM, fund=fund, source=source, amount_satang=satang,
        reference=reference or f"DEP-{uuid.uuid4().hex[:10]}", received_on=date(2027, 1, 5),
    )  # fmt: skip


def borrower(*, points=100, credit=100, consent=True, name="สมชาย ใจบุญ"):
    """A member of the community (made before them) with points and credit, who consents to the
    committee reading their record for a loan."""
    person = make_person(name=name)
    if points or credit:
        give(person, points=points, credit=credit)
    if consent:
        with transaction.atomic():
            consent_give(person=person, purpose=ConsentPurpose.LOAN_ELIGIBILITY, actor=person)
    return person
