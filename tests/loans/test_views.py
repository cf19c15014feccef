"""The goodness bank's pages: a person's eligibility, preview and application; a loan's page,
statement and receipt; the committee's desk, decisions and repayments (docs/loans.md)."""

import pytest
from django.utils import timezone

from kwamdee.loans.models import FundDeposit, Loan, LoanProduct, Repayment
from kwamdee.loans.services import loan_apply, loan_approve, loan_disburse, loan_repayment_record
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.services import consent_give
from tests.factories import PHANOM_THUAN, SYSTEM, make_community
from tests.loans.factories import borrower, nong_sarai_product, open_bank
from tests.rewards.factories import give, make_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    fund, first, second = open_bank(baht=100_000)
    product = nong_sarai_product(fund, min_credit=50, min_pledge_points=10)
    return fund, product, first, second


def _apply(person, product, satang=3_000_000, key="k1"):
    return loan_apply(
        actor=person, product=product, principal_satang=satang, instalments=3, pledge_points=10, key=key
    )


def _paid_out(person, product, first, second, satang=3_000_000):
    loan = _apply(person, product, satang)
    loan_approve(actor=first, loan=loan)
    loan_approve(actor=second, loan=loan)
    return loan_disburse(actor=first, loan=Loan.objects.get(pk=loan.pk), on=timezone.localdate())


# --- a person ---------------------------------------------------------------------------------


def test_home_shows_each_condition_met_and_not(client, bank):
    _fund, product, *_ = bank
    person = borrower(points=5, credit=100)  # not enough points to pledge 10
    client.force_login(person)
    page = client.get("/loans/").content.decode()
    assert product.name_th in page
    assert 'data-testid="condition-credit"' in page and 'class="met" data-testid="condition-credit"' in page
    assert 'class="unmet" data-testid="condition-pledge"' in page


def test_without_consent_the_record_is_not_read_and_the_page_says_where_to_give_it(client, bank):
    person = borrower(consent=False)
    client.force_login(person)
    page = client.get("/loans/").content.decode()
    assert 'data-testid="consent-needed"' in page and "/people/consent/" in page
    assert 'data-testid="conditions"' not in page


def test_the_product_page_previews_a_schedule_and_shows_the_default_rule(client, bank):
    _fund, product, *_ = bank
    client.force_login(borrower())
    page = client.get(f"/loans/products/{product.public_id}/?p-amount=30000&p-instalments=3").content.decode()
    assert 'data-testid="schedule"' in page and "58.33" in page  # 10,000 × 7% ÷ 12 in the first month
    assert 'data-testid="default-rule"' in page


def test_a_bad_application_comes_back_translated_and_changes_nothing(client, bank):
    _fund, product, *_ = bank
    person = borrower()
    client.force_login(person)
    response = client.post(
        f"/loans/products/{product.public_id}/",
        {"amount": "90000", "instalments": "99", "pledge_points": "1", "key": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ข้อผิดพลาด:" in page  # the title says the form came back
    assert "กรุณาทำเครื่องหมายที่" in page  # the unticked agreement, in Thai
    assert not Loan.objects.exists()


def test_applying_pledges_and_opens_the_loan_page(client, bank):
    _fund, product, *_ = bank
    person = borrower()
    client.force_login(person)
    response = client.post(
        f"/loans/products/{product.public_id}/",
        {"amount": "30000", "instalments": "3", "pledge_points": "10", "agree": "on", "key": "web-1",
         "purpose": "ซ่อมหลังคาบ้านก่อนหน้าฝน"},
    )  # fmt: skip
    loan = Loan.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/loans/{loan.public_id}/"
    assert loan.principal_satang == 3_000_000 and loan.approvals_needed == 2
    # pressed twice: one loan
    client.post(
        f"/loans/products/{product.public_id}/",
        {"amount": "30000", "instalments": "3", "pledge_points": "10", "agree": "on", "key": "web-1"},
    )
    assert Loan.objects.filter(person=person).count() == 1
    page = client.get(f"/loans/{loan.public_id}/").content.decode()
    assert 'data-testid="approvals"' in page and "0 " in page
    assert loan.purpose == "ซ่อมหลังคาบ้านก่อนหน้าฝน" and 'data-testid="purpose"' in page


def test_the_borrower_sees_how_many_approved_never_who(client, bank):
    _fund, product, first, _second = bank
    person = borrower()
    loan = _apply(person, product)
    loan_approve(actor=first, loan=loan)
    client.force_login(person)
    page = client.get(f"/loans/{loan.public_id}/").content.decode()
    assert first.full_name not in page
    client.force_login(first)
    assert first.full_name in client.get(f"/loans/{loan.public_id}/").content.decode()


def test_another_persons_loan_is_not_found(client, bank):
    _fund, product, *_ = bank
    loan = _apply(borrower(), product)
    client.force_login(borrower(name="คนอื่น"))
    assert client.get(f"/loans/{loan.public_id}/").status_code == 404
    assert client.get(f"/loans/{loan.public_id}/statement/").status_code == 404


def test_statement_and_receipt_print_for_the_borrower(client, bank):
    _fund, product, first, second = bank
    person = borrower()
    loan = _paid_out(person, product, first, second)
    repayment = loan_repayment_record(
        actor=first, loan=loan, amount_satang=1_005_833, paid_on=timezone.localdate(), reference="R-1"
    )
    client.force_login(person)
    statement = client.get(f"/loans/{loan.public_id}/statement/").content.decode()
    assert 'data-testid="statement"' in statement and "10,058.33" in statement and "data-print" in statement
    receipt = client.get(f"/loans/{loan.public_id}/receipts/{repayment.public_id}/")
    assert receipt.status_code == 200 and "R-1" in receipt.content.decode()


# --- the committee ----------------------------------------------------------------------------


def test_a_committee_member_cannot_approve_their_own_loan(client, bank):
    _fund, product, first, _second = bank
    give(first, points=50, credit=100)
    consent_give(person=first, purpose=ConsentPurpose.LOAN_ELIGIBILITY, actor=first)
    loan = _apply(first, product, satang=1_000_000)
    client.force_login(first)
    response = client.post(f"/loans/{loan.public_id}/decide/", {"action": "approve"}, follow=True)
    assert "คุณพิจารณาเงินกู้ของตัวเองไม่ได้" in response.content.decode()
    loan.refresh_from_db()
    assert loan.state == "applied" and not loan.approvals.exists()


def test_two_committee_members_approve_above_the_threshold(client, bank):
    _fund, product, first, second = bank
    loan = _apply(borrower(), product)
    client.force_login(first)
    client.post(f"/loans/{loan.public_id}/decide/", {"action": "approve"})
    assert Loan.objects.get(pk=loan.pk).state == "applied"
    client.force_login(second)
    client.post(f"/loans/{loan.public_id}/decide/", {"action": "approve"})
    assert Loan.objects.get(pk=loan.pk).state == "approved"
    client.post(f"/loans/{loan.public_id}/decide/", {"action": "disburse"})
    assert Loan.objects.get(pk=loan.pk).schedule.count() == 3


def test_another_communitys_committee_gets_not_found(client, bank):
    fund, product, *_ = bank
    loan = _apply(borrower(), product)
    other = make_committee(make_community(subdistrict=PHANOM_THUAN), name="กรรมการ ตำบลอื่น")
    client.force_login(other)
    assert client.get(f"/loans/fund/{fund.public_id}/").status_code == 404
    assert client.get(f"/loans/{loan.public_id}/").status_code == 404
    assert client.post(f"/loans/{loan.public_id}/decide/", {"action": "approve"}).status_code == 404
    assert not loan.approvals.exists()


def test_a_citizen_may_never_keep_a_fund(client, bank):
    fund, *_ = bank
    client.force_login(borrower())
    assert client.get(f"/loans/fund/{fund.public_id}/").status_code == 403
    assert client.get("/loans/fund/").status_code == 403


def test_a_repayment_over_what_is_owed_is_refused_on_the_page(client, bank):
    _fund, product, first, second = bank
    loan = _paid_out(borrower(), product, first, second)
    client.force_login(first)
    response = client.post(
        f"/loans/{loan.public_id}/repay/", {"amount": "99999", "paid_on": "2020-01-01", "reference": "R-9"}
    )
    assert response.status_code == 200 and "ข้อมูลการชำระคืนไม่ถูกต้อง" in response.content.decode()
    assert not Repayment.objects.exists()
    response = client.post(f"/loans/{loan.public_id}/repay/", {"amount": "", "paid_on": "", "reference": ""})
    assert response.status_code == 200 and not Repayment.objects.exists()
    ok = client.post(
        f"/loans/{loan.public_id}/repay/", {"amount": "100", "paid_on": "2020-01-01", "reference": "R-1"}
    )
    assert ok.status_code == 302 and Repayment.objects.get().amount_satang == 10_000


def test_deposit_and_product_forms(client, bank):
    fund, *_ = bank
    _f, first, _s = fund, bank[2], bank[3]
    client.force_login(first)
    bad = client.post(f"/loans/fund/{fund.public_id}/", {"source": "", "amount": "-1", "reference": ""})
    assert bad.status_code == 200 and "ข้อผิดพลาด:" in bad.content.decode()
    count = FundDeposit.objects.count()
    client.post(
        f"/loans/fund/{fund.public_id}/",
        {"source": "donation", "amount": "1500.50", "reference": "D-1", "received_on": "2020-01-01"},
    )
    assert (
        FundDeposit.objects.count() == count + 1
        and FundDeposit.objects.get(reference="D-1").amount_satang == 150_050
    )
    body = {
        "name_th": "กู้ซ่อมบ้าน",
        "band1_up_to": "10000",
        "band1_rate": "0",
        "band2_up_to": "5000",
        "frequency": "monthly",
        "min_instalments": "1",
        "max_instalments": "12",
        "two_approvers_above": "0",
        "min_pledge_points": "0",
        "default_rule": "release",
        "min_credit": "0",
        "min_level": "0",
        "min_member_months": "0",
        "min_recent_deeds": "0",
    }
    assert client.post(f"/loans/fund/{fund.public_id}/products/new/", body).status_code == 200
    assert not LoanProduct.objects.filter(name_th="กู้ซ่อมบ้าน").exists()
    body.update(band2_up_to="20000", band2_rate="7")
    assert client.post(f"/loans/fund/{fund.public_id}/products/new/", body).status_code == 302
    made = LoanProduct.objects.get(name_th="กู้ซ่อมบ้าน")
    assert [str(b.annual_rate) for b in made.bands.all()] == ["0.0000", "0.0700"]


def test_statement_import_previews_then_confirms(client, bank):
    fund, product, first, second = bank
    loan = _paid_out(borrower(), product, first, second)
    reference = f"LN-{loan.public_id.hex[:8].upper()}"
    csv = f"date,amount,reference\n{timezone.localdate().isoformat()},100.00,โอน {reference}\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(second)
    preview = client.post(f"/loans/fund/{fund.public_id}/import/", {"file": SimpleUploadedFile("s.csv", csv)})
    page = preview.content.decode()
    assert 'data-testid="preview"' in page and not Repayment.objects.exists()
    content = page.split('name="content" value="')[1].split('"')[0]
    done = client.post(f"/loans/fund/{fund.public_id}/import/", {"confirm": "1", "content": content})
    assert 'data-testid="imported"' in done.content.decode()
    assert Repayment.objects.get().amount_satang == 10_000
    bad = client.post(
        f"/loans/fund/{fund.public_id}/import/", {"file": SimpleUploadedFile("s.csv", b"%PDF-1.4")}
    )
    assert bad.status_code == 200 and "ข้อผิดพลาด:" in bad.content.decode()


def test_report_and_desk(client, bank):
    fund, product, first, second = bank
    _paid_out(borrower(), product, first, second)
    _apply(borrower(name="รอพิจารณา"), product, key="k2")
    client.force_login(first)
    desk = client.get(f"/loans/fund/{fund.public_id}/").content.decode()
    assert 'data-testid="waiting"' in desk and "รอพิจารณา" in desk and 'data-testid="record"' in desk
    report = client.get(f"/loans/fund/{fund.public_id}/report/").content.decode()
    assert "30,000.00" in report and "&lt;10" in report
    assert client.get("/loans/fund/").status_code == 302
    assert SYSTEM  # the factories' system actor opened the fund
