"""The authorization matrix's rows for the loans app's pages and API operations (issue 12), and the
objects they name, made on top of seed_demo's data. See test_authorization_matrix.py for what a
row says.

The demo's goodness bank (kwamdee/demo/loans_demo.py) is kept by the community's committee (the
community_admin role); the citizen role's application waits for its second approval, another
citizen's loan is being repaid. A loan is its borrower's and its committee's: to anyone else 404.
A committee desk or decision for someone without the loans permission: 403; another community's
fund or loan for the committee: 404."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.areas.models import Community
from kwamdee.loans.models import FundDeposit, Loan, LoanFund, LoanProduct, Repayment
from kwamdee.loans.services import ProductIn, loan_apply, loan_approve, loan_fund_open, loan_product_create
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import User
from kwamdee.people.services import consent_give
from tests.factories import PHANOM_THUAN, SYSTEM, make_person
from tests.security.matrix_rows import SIGNED_IN_OK, A, Row, only

CITIZEN_OTHER = "0810000003"  # the demo's other citizen: eligible, the borrower of the repaying loan
KEEPER = "community_admin"


def _state(key: str):
    return lambda data: Loan.objects.get(public_id=data[key]).state


def _csv(data, role):
    text = f"date,amount,reference\n2020-01-01,10.00,{data['loan_reference']}\n"
    return {"file": SimpleUploadedFile("statement.csv", text.encode(), content_type="text/csv")}


def _product_body(data, role):
    return {
        "name_th": "สินเชื่อทดสอบสิทธิ์",
        "band1_up_to": "10000",
        "band1_rate": "0",
        "frequency": "monthly",
        "min_instalments": "1",
        "max_instalments": "12",
        "two_approvers_above": "5000",
        "min_pledge_points": "0",
        "default_rule": "release",
        "min_credit": "0",
        "min_level": "0",
        "min_member_months": "0",
        "min_recent_deeds": "0",
        "no_arrears": "on",
    }


APPLY_WEB = {
    "amount": "1000",
    "instalments": "3",
    "pledge_points": "5",
    "agree": "on",
    "key": "matrix-web-apply",
}

WEB: list[Row] = [
    Row("GET", "/loans/", SIGNED_IN_OK),
    # A product is a public offer to anyone signed in; applying is for the community's members
    # who consent and meet its conditions (the citizen role does): others see the form again.
    Row("GET", "/loans/products/{loan_product}/", {"anon": "login", "*": 200}),
    Row(
        "GET", "/loans/products/{loan_product}/?p-amount=30000&p-instalments=12", {"anon": "login", "*": 200}
    ),
    Row("GET", "/loans/products/{loan_product_other}/", {"anon": "login", "*": 200}),
    Row(
        "POST",
        "/loans/products/{loan_product}/",
        {"anon": "login", "citizen": "done", "*": 200},
        body=APPLY_WEB,
        effect=lambda data: Loan.objects.filter(idempotency_key="matrix-web-apply").exists(),
    ),
    # A loan: its borrower's and its committee's.
    Row("GET", "/loans/{loan_waiting}/", only(["citizen", KEEPER], 200, others=404)),
    Row("GET", "/loans/{loan_repaying}/", only(KEEPER, 200, others=404)),
    Row("GET", "/loans/{loan_other}/", {"anon": "login", "*": 404}),
    Row("GET", "/loans/{loan_repaying}/statement/", only(KEEPER, 200, others=404)),
    Row("GET", "/loans/{loan_other}/statement/", {"anon": "login", "*": 404}),
    Row("GET", "/loans/{loan_repaying}/receipts/{loan_repayment}/", only(KEEPER, 200, others=404)),
    # Decisions and repayments: the committee of the loan's fund; 403 to those who may never.
    Row(
        "POST",
        "/loans/{loan_web_approve}/decide/",
        only(KEEPER, "done"),
        body={"action": "approve"},
        effect=lambda data: _state("loan_web_approve")(data) == "approved",
    ),
    Row(
        "POST",
        "/loans/{loan_other}/decide/",
        only(KEEPER, 404),
        body={"action": "approve"},
    ),
    Row(
        "POST",
        "/loans/{loan_repaying}/repay/",
        only(KEEPER, "done"),
        body={"amount": "100", "paid_on": "2020-01-02", "reference": "matrix-web-repay"},
        effect=lambda data: Repayment.objects.filter(reference="matrix-web-repay").exists(),
    ),
    Row(
        "POST",
        "/loans/{loan_other}/repay/",
        only(KEEPER, 404),
        body={"amount": "1", "paid_on": "2020-01-02", "reference": "x"},
    ),
    # The committee's desk.
    Row("GET", "/loans/fund/", only(KEEPER, "ok")),
    Row("POST", "/loans/fund/", only(KEEPER, "ok"), body=lambda data, role: {"community": data["community"]}),
    Row("GET", "/loans/fund/{loan_fund}/", only(KEEPER, 200)),
    Row("GET", "/loans/fund/{loan_fund_other}/", only(KEEPER, 404)),
    Row(
        "POST",
        "/loans/fund/{loan_fund}/",
        only(KEEPER, "done"),
        body={
            "source": "donation",
            "amount": "500",
            "reference": "matrix-deposit",
            "received_on": "2020-01-01",
        },
        effect=lambda data: FundDeposit.objects.filter(reference="matrix-deposit").exists(),
    ),
    Row(
        "POST",
        "/loans/fund/{loan_fund_other}/",
        only(KEEPER, 404),
        body={
            "source": "donation",
            "amount": "500",
            "reference": "matrix-deposit-x",
            "received_on": "2020-01-01",
        },
    ),
    Row("GET", "/loans/fund/{loan_fund}/products/new/", only(KEEPER, 200)),
    Row(
        "POST",
        "/loans/fund/{loan_fund}/products/new/",
        only(KEEPER, "done"),
        body=_product_body,
        effect=lambda data: LoanProduct.objects.filter(name_th="สินเชื่อทดสอบสิทธิ์").exists(),
    ),
    Row("GET", "/loans/fund/{loan_fund_other}/products/new/", only(KEEPER, 404)),
    Row("GET", "/loans/fund/{loan_fund}/import/", only(KEEPER, 200)),
    Row("POST", "/loans/fund/{loan_fund}/import/", only(KEEPER, 200), body=_csv),
    Row("GET", "/loans/fund/{loan_fund_other}/import/", only(KEEPER, 404)),
    Row("GET", "/loans/fund/{loan_fund}/report/", only(KEEPER, 200)),
    Row("GET", "/loans/fund/{loan_fund_other}/report/", only(KEEPER, 404)),
]

L = f"{A}/loans"
API_KEEPER = {"anon": 401, KEEPER: 200, "*": 403}
API: list[Row] = [
    Row("GET", f"{L}/products", {"anon": 401, "*": 200}, api_template=f"{L}/products"),
    # The citizen role applies (eligible); the other roles are members who have not given the
    # loan-eligibility consent (403 loan_eligibility_consent_needed); another community's product
    # answers 404 to all.
    Row(
        "POST",
        f"{L}/products/{{loan_product}}/apply",
        {"anon": 401, "citizen": 201, "*": 403},
        body={"principal_satang": 100_000, "instalments": 3, "pledge_points": 5},
        extra={"HTTP_IDEMPOTENCY_KEY": "matrix-api-apply"},
        api_template=f"{L}/products/{{public_id}}/apply",
    ),
    Row(
        "POST",
        f"{L}/products/{{loan_product_other}}/apply",
        {"anon": 401, "*": 404},
        body={"principal_satang": 100_000, "instalments": 2, "pledge_points": 0},
        extra={"HTTP_IDEMPOTENCY_KEY": "matrix-api-apply-far"},
        api_template=f"{L}/products/{{public_id}}/apply",
    ),
    Row("GET", f"{L}/mine", {"anon": 401, "*": 200}, api_template=f"{L}/mine"),
    Row(
        "GET", f"{L}/funds/{{loan_fund}}/waiting", API_KEEPER, api_template=f"{L}/funds/{{public_id}}/waiting"
    ),
    Row(
        "GET",
        f"{L}/funds/{{loan_fund_other}}/waiting",
        {"anon": 401, KEEPER: 404, "*": 403},
        api_template=f"{L}/funds/{{public_id}}/waiting",
    ),
    Row(
        "GET",
        f"{L}/{{loan_waiting}}",
        {"anon": 401, "citizen": 200, KEEPER: 200, "*": 404},
        api_template=f"{L}/{{public_id}}",
    ),
    Row("GET", f"{L}/{{loan_other}}", {"anon": 401, "*": 404}, api_template=f"{L}/{{public_id}}"),
    Row("POST", f"{L}/{{loan_api_approve}}/approve", API_KEEPER, api_template=f"{L}/{{public_id}}/approve"),
    Row(
        "POST",
        f"{L}/{{loan_other}}/approve",
        {"anon": 401, KEEPER: 404, "*": 403},
        api_template=f"{L}/{{public_id}}/approve",
    ),
    Row(
        "POST",
        f"{L}/{{loan_api_decline}}/decline",
        API_KEEPER,
        body={"reason": "ทดสอบ"},
        api_template=f"{L}/{{public_id}}/decline",
    ),
    Row(
        "POST", f"{L}/{{loan_api_disburse}}/disburse", API_KEEPER, api_template=f"{L}/{{public_id}}/disburse"
    ),
    Row(
        "POST",
        f"{L}/{{loan_repaying}}/repayments",
        {"anon": 401, KEEPER: 201, "*": 403},
        body={"amount_satang": 10_000, "paid_on": "2020-01-03", "reference": "matrix-api-repay"},
        api_template=f"{L}/{{public_id}}/repayments",
    ),
]


def _application(phone: str, product: LoanProduct, key: str) -> Loan:
    return loan_apply(
        actor=User.objects.get(phone=phone),
        product=product,
        principal_satang=1_000_000,
        instalments=5,
        pledge_points=5,
        key=key,
    )


def objects() -> dict[str, str]:
    """The {placeholders} of the rows above: the demo's fund, product and loans; applications of
    the other citizen for each decision; another community's fund, product and loan."""
    fund = LoanFund.objects.get(community__subdistrict_code="710911")
    product = fund.products.get(name_th="สินเชื่อความดี")
    waiting = Loan.objects.get(person__phone="0810000002", state="applied")
    repaying = Loan.objects.get(person__phone=CITIZEN_OTHER, state="repaying")
    approved = _application(CITIZEN_OTHER, product, "matrix-disburse")
    loan_approve(actor=SYSTEM, loan=approved)
    # another community's bank (the fixture's other community), with a loan of one of its members
    other_community = Community.objects.filter(subdistrict_code=PHANOM_THUAN).order_by("pk").first()
    fund_other = loan_fund_open(actor=SYSTEM, community=other_community)
    product_other = loan_product_create(
        actor=SYSTEM,
        fund=fund_other,
        data=ProductIn(name_th="สินเชื่อตำบลอื่น", bands=[(5_000_000, 0)], name_en=""),
    )
    neighbour = make_person(name="สมใจ กู้ยืมตำบลอื่น", subdistrict=PHANOM_THUAN, phone="0820000041")
    consent_give(person=neighbour, purpose=ConsentPurpose.LOAN_ELIGIBILITY, actor=neighbour)
    other = loan_apply(
        actor=neighbour,
        product=product_other,
        principal_satang=100_000,
        instalments=2,
        pledge_points=0,
        key="matrix-other",
    )
    return {
        "loan_fund": str(fund.public_id),
        "loan_fund_other": str(fund_other.public_id),
        "loan_product": str(product.public_id),
        "loan_product_other": str(product_other.public_id),
        "loan_waiting": str(waiting.public_id),
        "loan_repaying": str(repaying.public_id),
        "loan_reference": f"LN-{repaying.public_id.hex[:8].upper()}",
        "loan_repayment": str(repaying.repayments.order_by("pk").first().public_id),
        "loan_other": str(other.public_id),
        "loan_web_approve": str(_application(CITIZEN_OTHER, product, "matrix-web-approve").public_id),
        "loan_api_approve": str(_application(CITIZEN_OTHER, product, "matrix-api-approve").public_id),
        "loan_api_decline": str(_application(CITIZEN_OTHER, product, "matrix-api-decline").public_id),
        "loan_api_disburse": str(approved.public_id),
    }
