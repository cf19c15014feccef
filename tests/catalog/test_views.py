import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.areas.services import community_admin_grant
from kwamdee.catalog.models import CommunityDeedTypeSetting, DeedType
from kwamdee.catalog.services import catalog_load_default
from kwamdee.common.roles import role_grant
from kwamdee.exchange.services import catalog_export
from kwamdee.rewards.models import Sponsorship
from kwamdee.rewards.services import sponsor_member_add, sponsor_register
from tests.factories import PASSWORD, SYSTEM, days_ago, fund, make_community, make_person

FORM = {
    "code": "canal-cleanup",
    "category": "volunteering",
    "name_th": "ลอกคลอง",
    "name_en": "Canal clean-up",
    "pricing": "per_hour",
    "credit_per_unit": "6",
    "points_per_unit": "6",
    "evidence": "none",
    "verifier": "organization",
    "weight_volunteerism": "0.6",
    "weight_sufficiency": "0.4",
    "sdgs": ["3", "11"],
    "sdg_targets": "11.6",
    "indicator_0_th": "ชั่วโมงลอกคลอง",
    "indicator_0_en": "Hours",
    "adjust_bound_pct": "50",
    "is_active": "on",
}


@pytest.fixture
def staff_client(client, deed_types):
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role="staff")
    client.login(username=staff.phone, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_browse_is_thai_by_default_and_filters(client):
    catalog_load_default(actor=SYSTEM)
    page = client.get("/catalog/", {"q": "โลหิต"}).content.decode()
    assert "บริจาคโลหิต" in page and "ปลูกต้นไม้" not in page
    assert 'lang="th"' in page
    page = client.get("/catalog/", {"sdg": "15"}).content.decode()
    assert "ปลูกต้นไม้" in page and "บริจาคโลหิต" not in page
    detail = client.get("/catalog/blood-donation/").content.decode()
    assert "84" in detail and "ฉบับที่ 1" in detail and "blood-donation" not in detail.split("<main")[1]
    assert client.get("/catalog/no-such-deed/").status_code == 404


def test_staff_adds_and_edits_a_deed_type(staff_client):
    response = staff_client.post("/catalog/manage/new/", FORM)
    assert response.status_code == 302
    deed_type = DeedType.objects.get(code="canal-cleanup")
    assert deed_type.indicators.count() == 1
    bad = staff_client.post("/catalog/manage/new/", FORM | {"code": "other", "weight_sufficiency": "0.1"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    assert not DeedType.objects.filter(code="other").exists()
    edit = staff_client.get("/catalog/manage/canal-cleanup/").content.decode()
    assert 'value="ลอกคลอง"' in edit
    staff_client.post("/catalog/manage/canal-cleanup/", FORM | {"credit_per_unit": "8"})
    assert deed_type.rule_versions.count() == 2
    # SDGs come from tick boxes and targets from their own box; an indicator keeps its code
    assert sorted(s.number for s in deed_type.sdgs.all()) == [3, 11]
    deed_type.refresh_from_db()
    assert deed_type.sdg_targets == ["11.6"]
    assert [i.code for i in deed_type.indicators.all()] == ["canal-cleanup-1"]


def test_citizen_cannot_manage(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    # signed in without the role: the site's own 403 page, never a redirect back to sign-in
    response = client.get("/catalog/manage/")
    assert response.status_code == 403
    assert 'data-testid="error-page"' in response.content.decode()


def test_import_page_lists_errors_and_imports_nothing(staff_client):
    content = catalog_export("csv").decode("utf-8-sig").replace("volunteerism=1", "volunteerism=3")
    before = catalog_export("json")
    page = staff_client.post(
        "/catalog/manage/interchange/",
        {"format": "csv", "file": SimpleUploadedFile("c.csv", content.encode(), "text/csv")},
    ).content.decode()
    assert 'data-testid="import-errors"' in page and "virtues" in page
    assert catalog_export("json") == before


def test_community_admin_switches_and_adjusts(client, deed_types):
    community = make_community()
    admin = make_person(name="ผู้ดูแล")
    community_admin_grant(actor=SYSTEM, community=community, person=admin)
    client.login(username=admin.phone, password=PASSWORD)
    assert client.get("/catalog/community/").status_code == 302
    base = f"/catalog/community/{community.public_id}"
    client.post(f"{base}/switch/tree-planting/", {"enabled": "0"})
    assert CommunityDeedTypeSetting.objects.get(community=community).is_enabled is False
    out = client.post(
        f"{base}/adjust/volunteer-hours/",
        {"effective_from": days_ago(0), "credit_per_unit": "20", "points_per_unit": "8"},
    )
    assert out.status_code == 200 and "errorlist" in out.content.decode()
    assert community.rule_versions.count() == 0
    ok = client.post(
        f"{base}/adjust/volunteer-hours/",
        {"effective_from": days_ago(0), "credit_per_unit": "10", "points_per_unit": "8"},
    )
    assert ok.status_code == 302


def test_sponsor_pledges_and_reads_report(client, deed_types):
    sponsor = sponsor_register(
        actor=SYSTEM, name_th="มูลนิธิ", name_en="Foundation", kind="foundation", members=[]
    )
    member = make_person(name="ผู้สนับสนุน")
    sponsor_member_add(actor=SYSTEM, sponsor=sponsor, person=member)
    client.login(username=member.phone, password=PASSWORD)
    response = client.post(
        "/sponsorships/",
        {
            "sponsor": str(sponsor.public_id),
            "deed_type": "volunteer-hours",
            "bonus_points": "5",
            "budget_points": "100",
            "starts_on": days_ago(0),
            "ends_on": days_ago(-10),
        },
    )
    assert response.status_code == 302
    sponsorship = Sponsorship.objects.get()
    fund(sponsorship)
    report = client.get(f"/sponsorships/{sponsorship.public_id}/").content.decode()
    assert 'data-testid="report"' in report and "100" in report


def test_staff_registers_sponsor_and_category(staff_client, citizen):
    response = staff_client.post(
        "/sponsorships/sponsors/",
        {"name_th": "บริษัทดี", "name_en": "Good Co.", "kind": "business", "member": citizen.phone},
    )
    assert response.status_code == 302
    missing = staff_client.post(
        "/sponsorships/sponsors/", {"name_th": "อื่น", "kind": "business", "member": "0899999999"}
    )
    assert "errorlist" in missing.content.decode()
    from kwamdee.catalog.models import Category
    from kwamdee.rewards.models import Sponsor

    assert list(Sponsor.objects.values_list("name_th", flat=True)) == ["บริษัทดี"]
    staff_client.post(
        "/catalog/manage/categories/", {"code": "wisdom", "name_th": "ภูมิปัญญา", "name_en": "Wisdom"}
    )
    assert Category.objects.filter(code="wisdom").exists()


def test_admin_is_a_read_only_window(admin_client, deed_types):
    assert admin_client.get("/admin/ledger/ledgertransaction/").status_code == 200
    assert admin_client.get("/admin/catalog/deedtype/").status_code == 200
    assert admin_client.get("/admin/catalog/deedtype/add/").status_code == 403
