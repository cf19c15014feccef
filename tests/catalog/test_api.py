import json

import pytest

from kwamdee.areas.services import community_admin_grant
from kwamdee.catalog.models import DeedType, RuleVersion
from kwamdee.catalog.services import catalog_load_default
from kwamdee.common.roles import role_grant
from kwamdee.people.models import User
from kwamdee.rewards.services import sponsor_member_add, sponsor_register
from tests.api.test_api import get, post, record_via_api, token_for
from tests.factories import SYSTEM, approve_proposals, days_ago, make_community, make_person

ROW = {
    "code": "canal-cleanup",
    "category": "volunteering",
    "name_th": "ลอกคลอง",
    "name_en": "Canal clean-up",
    "pricing": "per_hour",
    "credit_per_unit": 6,
    "points_per_unit": 6,
    "per_day": 1,
    "virtues": {"volunteerism": 0.6, "sufficiency": 0.4},
    "sdgs": ["6", "6.3", "11"],
    "indicators": [{"code": "canal-cleanup-hours", "name_th": "ชั่วโมงลอกคลอง", "name_en": "Hours"}],
}


def put(client, url, body, token):
    return client.put(
        url,
        data=json.dumps(body, default=str),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def staff_token(client, deed_types):
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role="staff")
    return token_for(client, staff.phone)


def test_browse_filter_and_search_public(client, db):
    catalog_load_default(actor=SYSTEM)
    everything = get(client, "/api/v1/catalog/deed-types").json()
    assert len(everything) == DeedType.objects.count() >= 22
    honesty = get(client, "/api/v1/catalog/deed-types?virtue=honesty").json()
    assert honesty and all(any(w["virtue"] == "honesty" for w in d["virtues"]) for d in honesty)
    goal13 = get(client, "/api/v1/catalog/deed-types?sdg=13").json()
    assert goal13 and all(13 in d["sdgs"] for d in goal13)
    env = get(client, "/api/v1/catalog/deed-types?category=environment").json()
    assert env and all(d["category"] == "environment" for d in env)
    # Thai is written without spaces: a word inside a name is found.
    trees = get(client, "/api/v1/catalog/deed-types?q=ต้นไม้").json()
    assert "tree-planting" in [d["code"] for d in trees]
    assert get(client, "/api/v1/catalog/deed-types?q=ไม่มีคำนี้แน่นอน").json() == []
    detail = get(client, "/api/v1/catalog/deed-types/blood-donation").json()
    assert detail["rule_in_force"]["cooldown_days"] == 84 and detail["indicators"]
    assert len(get(client, "/api/v1/catalog/sdgs").json()) == 17
    assert len(get(client, "/api/v1/catalog/virtues").json()) == 5


def test_staff_create_edit_and_version(client, staff_token, citizen):
    created = post(client, "/api/v1/catalog/deed-types", ROW, staff_token)
    assert created.status_code == 201, created.content
    assert created.json()["rule_in_force"]["version"] == 1
    assert created.json()["sdg_targets"] == ["6.3"]
    refused = post(
        client, "/api/v1/catalog/deed-types", ROW | {"code": "x-1"}, token_for(client, citizen.phone)
    )
    assert refused.status_code == 403
    taken = post(client, "/api/v1/catalog/deed-types", ROW, staff_token)
    assert taken.status_code == 409 and taken.json()["code"] == "deed_type_code_taken"
    bad = post(
        client, "/api/v1/catalog/deed-types", ROW | {"code": "y-1", "virtues": {"honesty": 0.5}}, staff_token
    )
    assert bad.status_code == 400 and "virtues" in bad.json()["fields"]
    past = put(
        client,
        "/api/v1/catalog/deed-types/canal-cleanup",
        ROW | {"credit_per_unit": 9, "effective_from": "2020-01-02"},
        staff_token,
    )
    assert past.status_code == 400 and "effective_from" in past.json()["fields"]
    edited = put(
        client, "/api/v1/catalog/deed-types/canal-cleanup", ROW | {"credit_per_unit": 9}, staff_token
    )
    assert edited.status_code == 200
    assert [r["version"] for r in edited.json()["rule_history"]] == [2, 1]
    assert RuleVersion.objects.filter(deed_type__code="canal-cleanup").count() == 2


def test_export_and_import_through_the_api(client, staff_token):
    exported = client.get("/api/v1/catalog/export?format=csv")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    from django.core.files.uploadedfile import SimpleUploadedFile

    same = client.post(
        "/api/v1/catalog/import?format=csv",
        {"file": SimpleUploadedFile("c.csv", exported.content, "text/csv")},
        HTTP_AUTHORIZATION=f"Bearer {staff_token}",
    )
    assert same.status_code == 200 and same.json()["updated"] == 0 and same.json()["created"] == 0
    broken = exported.content.decode("utf-8-sig").replace("volunteerism=1", "volunteerism=2", 1).encode()
    bad = client.post(
        "/api/v1/catalog/import?format=csv",
        {"file": SimpleUploadedFile("c.csv", broken, "text/csv")},
        HTTP_AUTHORIZATION=f"Bearer {staff_token}",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "catalog_import_invalid"
    assert bad.json()["errors"][0]["column"] == "virtues" and bad.json()["errors"][0]["row"] >= 2


def test_community_admin_through_the_api(client, deed_types):
    community = make_community()
    admin = make_person(name="ผู้ดูแล")
    community_admin_grant(actor=SYSTEM, community=community, person=admin)
    member = make_person(name="สมาชิก")
    token, member_token = token_for(client, admin.phone), token_for(client, member.phone)
    base = f"/api/v1/catalog/communities/{community.public_id}"
    adopted = post(client, f"{base}/adopt", {}, token)
    assert adopted.status_code == 200 and adopted.json()["catalog_adopted_at"] is not None
    off = post(client, f"{base}/items/tree-planting/switch", {"enabled": False}, token)
    assert off.status_code == 200 and off.json()["enabled"] is False
    mine = [d["code"] for d in get(client, "/api/v1/catalog/deed-types", member_token).json()]
    assert "tree-planting" not in mine and "volunteer-hours" in mine
    assert "tree-planting" in [d["code"] for d in get(client, "/api/v1/catalog/deed-types").json()]
    too_much = post(
        client,
        f"{base}/items/volunteer-hours/adjust",
        {"effective_from": days_ago(0), "credit_per_unit": 13, "points_per_unit": 8},
        token,
    )
    assert too_much.status_code == 400 and too_much.json()["code"] == "adjustment_out_of_bounds"
    ok = post(
        client,
        f"{base}/items/volunteer-hours/adjust",
        {"effective_from": days_ago(0), "credit_per_unit": 12, "points_per_unit": 4},
        token,
    )
    assert ok.status_code == 201 and ok.json()["approved"] is False  # waits for a second approver
    local = post(client, f"{base}/deed-types", ROW | {"code": "nong-sarai-canal", "per_year": 50}, token)
    assert local.status_code == 201 and local.json()["community"] == str(community.public_id)
    approve_proposals(community)
    assert "nong-sarai-canal" in [
        d["code"] for d in get(client, "/api/v1/catalog/deed-types", member_token).json()
    ]
    assert "nong-sarai-canal" not in [d["code"] for d in get(client, "/api/v1/catalog/deed-types").json()]
    other = post(client, f"{base}/items/tree-planting/switch", {"enabled": True}, member_token)
    assert other.status_code == 403


def test_sponsorship_through_the_api(client, deed_types, citizen, verifier):
    sponsor = sponsor_register(actor=SYSTEM, name_th="บริษัทใจดี", name_en="Jaidee", kind="business", members=[])
    member = make_person(name="ผู้สนับสนุน")
    sponsor_member_add(actor=SYSTEM, sponsor=sponsor, person=member)
    token = token_for(client, member.phone)
    body = {
        "sponsor": str(sponsor.public_id),
        "deed_type": "returning-lost-property",
        "bonus_points": 5,
        "budget_points": 10,
        "starts_on": days_ago(1),
        "ends_on": days_ago(-30),
    }
    pledged = post(client, "/api/v1/sponsorships", body, token)
    assert pledged.status_code == 201, pledged.content
    assert pledged.json()["budget_left"] == "0" and pledged.json()["funded_points"] == 0
    staff = make_person(name="เจ้าหน้าที่ การเงิน")
    role_grant(actor=SYSTEM, person=staff, role="staff")
    funded = post(
        client, f"/api/v1/sponsorships/{pledged.json()['public_id']}/fundings",
        {"points": 10, "reference": "KTB-2025-0001", "received_on": days_ago(0)}, token_for(client, staff.phone),
    )  # fmt: skip
    assert funded.status_code == 201 and funded.json()["funded_points"] == 10
    not_staff = post(
        client, f"/api/v1/sponsorships/{pledged.json()['public_id']}/fundings",
        {"points": 1, "reference": "KTB-2025-0002", "received_on": days_ago(0)}, token,
    )  # fmt: skip
    assert not_staff.status_code == 403
    assert (
        post(client, "/api/v1/sponsorships", body | {"budget_points": 1}, token).json()["code"]
        == "sponsorship_invalid"
    )
    assert post(client, "/api/v1/sponsorships", body, token_for(client, citizen.phone)).status_code == 403

    citizen_token, verifier_token = token_for(client, citizen.phone), token_for(client, verifier.phone)
    for _ in range(3):
        deed = record_via_api(
            client, citizen_token, deed_types["returning-lost-property"], days_ago(1), "คืนของ"
        ).json()
        post(client, f"/api/v1/deeds/{deed['public_id']}/verify", {}, verifier_token)
    book = get(client, "/api/v1/passbook", citizen_token).json()
    assert book["credit"] == 60 and book["points"] == 60 + 10  # two bonuses, then the budget is spent
    # three deed entries and two bonus entries, each naming the deed it was for
    assert [e["kind"] for e in book["entries"]].count("sponsor_bonus") == 2
    assert sorted(e["sponsor_bonus"] for e in book["entries"]) == [0, 0, 0, 5, 5]
    assert {e["source_kind"] for e in book["entries"]} == {"deed"}
    report = get(client, f"/api/v1/sponsorships/{pledged.json()['public_id']}/report", token).json()
    assert report["verified_deeds"] == "<10" and report["people_reached"] == "<10"
    assert report["points_paid"] == "—" and report["budget_left"] == "—"  # 2 deeds: withheld
    assert citizen.full_name not in json.dumps(report, ensure_ascii=False)
    assert User.objects.filter(pk=member.pk).exists()


def test_staff_maintains_categories_and_sponsors(client, staff_token, citizen):
    made = post(
        client,
        "/api/v1/catalog/categories",
        {"code": "local-wisdom", "name_th": "ภูมิปัญญา", "name_en": "Local wisdom"},
        staff_token,
    )
    assert made.status_code == 201 and made.json()["code"] == "local-wisdom"
    bad = post(
        client, "/api/v1/catalog/categories", {"code": "Bad Code", "name_th": "", "name_en": "x"}, staff_token
    )
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"code", "name_th"}
    refused = post(
        client,
        "/api/v1/catalog/categories",
        {"code": "x", "name_th": "x", "name_en": "x"},
        token_for(client, citizen.phone),
    )
    assert refused.status_code == 403
    sponsor = post(
        client,
        "/api/v1/sponsorships/sponsors",
        {"name_th": "มูลนิธิ", "kind": "foundation", "members": [str(citizen.public_id)]},
        staff_token,
    )
    assert sponsor.status_code == 201
    assert User.objects.get(pk=citizen.pk).has_perm("rewards.pledge_sponsorship")
