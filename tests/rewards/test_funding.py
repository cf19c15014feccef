"""The fairness review, rewards side: a pledge is a promise; only the funding staff record on
receipt fills its budget, and public pages never reveal how much budget is left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.common.errors import PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.rewards.errors import FundingInvalid, SponsorshipInvalid
from kwamdee.rewards.models import SponsorshipPayment
from kwamdee.rewards.services import sponsorship_fund
from tests.factories import days_ago, fund, make_person, make_verifier
from tests.rewards.test_services import make_sponsor, pledge, verify_new_deed


@pytest.fixture
def setup(deed_types):
    sponsor, member = make_sponsor()
    return sponsor, member, deed_types["returning-lost-property"]


def test_a_pledge_without_funding_pays_no_bonus(setup):
    sponsor, member, deed_type = setup
    pledge(member, sponsor, deed_type, funded=False)
    citizen, verifier = make_person(name="ผู้ทำดี"), make_verifier(name="ผู้ตรวจ")
    verify_new_deed(citizen, verifier, deed_type)
    assert not SponsorshipPayment.objects.exists()


def test_funding_fills_the_budget_and_is_audited(setup):
    sponsor, member, deed_type = setup
    sponsorship = pledge(member, sponsor, deed_type, funded=False)
    fund(sponsorship, 14, reference="SCB 0001/2568")
    sponsorship.budget_account.refresh_from_db()
    assert sponsorship.budget_account.balance == 14
    [event] = AuditEvent.objects.filter(event_type="sponsorship:fund")
    assert event.data["reference"] == "SCB 0001/2568" and event.data["points"] == 14


def test_funding_over_the_pledge_is_refused(setup):
    sponsor, member, deed_type = setup
    sponsorship = pledge(member, sponsor, deed_type, funded=False)  # 20 points pledged
    fund(sponsorship, 15)
    with pytest.raises(FundingInvalid) as exc:
        fund(sponsorship, 6, reference="OTHER-REF-1")
    assert "points" in exc.value.fields


def test_a_payment_reference_is_used_once_per_sponsor(setup):
    sponsor, member, deed_type = setup
    first = pledge(member, sponsor, deed_type, funded=False)
    second = pledge(member, sponsor, deed_type, funded=False)
    fund(first, 10, reference="KBANK-778899")
    with pytest.raises(FundingInvalid) as exc:
        fund(second, 10, reference="KBANK-778899")
    assert "reference" in exc.value.fields
    for bad in ("   ", "x", "<script>", "ref\u202e1234"):
        with pytest.raises(FundingInvalid):
            fund(second, 10, reference=bad)


def test_only_staff_record_funding(setup):
    sponsor, member, deed_type = setup
    sponsorship = pledge(member, sponsor, deed_type, funded=False)
    with pytest.raises(PermissionDenied):  # not the sponsor itself
        sponsorship_fund(actor=member, sponsorship=sponsorship, points=20, reference="MINE-0001",
                         received_on=days_ago(0))  # fmt: skip


def test_a_pledge_is_capped(setup, settings):
    sponsor, member, deed_type = setup
    settings.KWAMDEE_PLEDGE_MAX_POINTS = 1000
    with pytest.raises(SponsorshipInvalid) as exc:
        pledge(member, sponsor, deed_type, budget_points=1001, funded=False)
    assert "budget_points" in exc.value.fields


def test_public_page_does_not_reveal_the_budget_left(client, setup):
    sponsor, member, deed_type = setup
    ends = timezone.localdate() + timedelta(days=30)
    url = f"/catalog/{deed_type.code}/"
    small = pledge(member, sponsor, deed_type, bonus_points=7, budget_points=63, ends_on=ends, funded=False)
    fund(small, 63)  # nine bonuses: it pays, but is never shown (its end would tell a count under 10)
    assert "+7" not in client.get(url).content.decode()
    big = pledge(member, sponsor, deed_type, bonus_points=5, budget_points=50, ends_on=ends, funded=False)
    assert "+5" not in client.get(url).content.decode()  # a promise is not shown
    fund(big, 50)  # ten bonuses: shown, without the budget
    page = client.get(url).content.decode()
    assert "+5" in page and "50" not in page.split("+5")[1].split("</section>")[0]
    # one verified deed changes nothing a visitor (or the sponsor) can see
    verify_new_deed(make_person(name="ผู้ทำดี"), make_verifier(name="ผู้ตรวจ"), deed_type)
    assert SponsorshipPayment.objects.filter(sponsorship=big).count() == 1

    def supported(html):
        return html.split("+5")[0][-400:] + html.split("+5")[1].split("</section>")[0]

    assert supported(client.get(url).content.decode()) == supported(page)
