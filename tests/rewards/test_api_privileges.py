"""The privileges API (issue 11): privileges near a person, redeeming with an idempotency key,
their codes and level; the partner's counter by a staff member's token or the partner's own."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.rewards.models import Privilege, Redemption
from kwamdee.rewards.partners import partner_token_issue, partner_token_revoke
from kwamdee.rewards.privileges import privilege_withdraw
from kwamdee.rewards.redemptions import person_points, redemption_create
from tests.api.test_api import get, post, token_for
from tests.factories import BANGKOK_SUBDISTRICT, SYSTEM, make_person
from tests.rewards.factories import give, make_partner, make_privilege

pytestmark = pytest.mark.django_db
A = "/api/v1"
CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")


def redeem(client, token, privilege, key="k-1", **body):
    return post(client, f"{A}/privileges/{privilege.public_id}/redeem", body, token, HTTP_IDEMPOTENCY_KEY=key)


@pytest.fixture
def clerk(db):
    return make_person(name="มานี ค้าขาย")


@pytest.fixture
def shop(clerk):
    return make_partner(staff=clerk)


@pytest.fixture
def person(db):
    someone = make_person(name="สมหญิง รักดี")
    give(someone, points=100, credit=150)  # the second national level (ต้นไม้, from 100 credit)
    return someone


@pytest.fixture
def token(client, person):
    return token_for(client, person.phone)


@pytest.fixture
def clerk_token(client, clerk, shop):
    return token_for(client, clerk.phone)


@pytest.fixture
def discount(shop):
    return make_privilege(shop, cost=20, title_th="ส่วนลด 20 บาท", description_th="ลด 20 บาทที่เคาน์เตอร์")


def held(person, privilege, key="held-1", **kwargs):
    return redemption_create(actor=person, privilege=privilege, key=key, **kwargs)


# --- privileges near me -----------------------------------------------------------------------


def test_privileges_near_me_say_whether_i_can_redeem_and_filter(client, token, shop, discount):
    make_privilege(shop, cost=500, title_th="ของแพง")
    make_privilege(shop, cost=0, min_level=3, title_th="ตรวจสุขภาพ")
    bangkok = make_partner(subdistrict=BANGKOK_SUBDISTRICT, name="ร้านในกรุง")
    make_privilege(bangkok, cost=1, title_th="ไกลบ้าน")  # offered in its own district only

    response = get(client, f"{A}/privileges", token)

    assert response.status_code == 200, response.content
    rows = {row["title"]: row for row in response.json()}
    assert set(rows) == {"ส่วนลด 20 บาท", "ของแพง", "ตรวจสุขภาพ"}
    assert rows["ส่วนลด 20 บาท"]["can_redeem"] is True and rows["ส่วนลด 20 บาท"]["refusal"] is None
    assert rows["ส่วนลด 20 บาท"]["partner"] == {"public_id": str(shop.public_id), "name": shop.name}
    assert rows["ส่วนลด 20 บาท"]["stock_left"] is None and rows["ส่วนลด 20 บาท"]["min_level_name"] is None
    assert rows["ของแพง"]["can_redeem"] is False and rows["ของแพง"]["refusal"] == "not_enough_points"
    assert rows["ตรวจสุขภาพ"]["refusal"] == "level_too_low"
    assert rows["ตรวจสุขภาพ"]["min_level"] == 3 and rows["ตรวจสุขภาพ"]["min_level_name"] == "ร่มไม้ใหญ่"
    affordable = {r["title"] for r in get(client, f"{A}/privileges?affordable=true", token).json()}
    assert affordable == {"ส่วนลด 20 บาท", "ตรวจสุขภาพ"}
    reachable = {r["title"] for r in get(client, f"{A}/privileges?reachable=true", token).json()}
    assert reachable == {"ส่วนลด 20 บาท", "ของแพง"}


def test_one_privilege_and_404_for_one_not_offered_to_me(client, token, shop, discount):
    bangkok = make_partner(subdistrict=BANGKOK_SUBDISTRICT, name="ร้านในกรุง")
    far = make_privilege(bangkok, cost=1)

    one = get(client, f"{A}/privileges/{discount.public_id}", token)

    assert one.status_code == 200 and one.json()["description"] == "ลด 20 บาทที่เคาน์เตอร์"
    assert get(client, f"{A}/privileges/{far.public_id}", token).status_code == 404
    assert get(client, f"{A}/privileges/{uuid.uuid4()}", token).status_code == 404
    privilege_withdraw(actor=SYSTEM, privilege=discount)
    assert get(client, f"{A}/privileges/{discount.public_id}", token).json()["code"] == "not_found"


# --- redeeming --------------------------------------------------------------------------------


def test_redeeming_holds_the_points_and_a_retry_gives_the_same_code(client, token, person, shop, discount):
    response = redeem(client, token, discount, key="phone-42")

    assert response.status_code == 201, response.content
    body = response.json()
    assert CODE.match(body["code"]) and body["state"] == "held" and body["points"] == 20
    assert body["privilege"]["public_id"] == str(discount.public_id)
    assert body["partner"] == {"public_id": str(shop.public_id), "name": shop.name}
    assert body["counter_url"] == (
        f"http://testserver/partners/{shop.public_id}/counter/?code={body['code'].replace('-', '')}"
    )
    assert sum(person_points(person).values()) == 80
    # the same key again (a phone that lost the answer): the same code, nothing more held
    again = redeem(client, token, discount, key="phone-42")
    assert again.status_code == 201 and again.json()["public_id"] == body["public_id"]
    assert Redemption.objects.count() == 1 and sum(person_points(person).values()) == 80
    # the same key for another privilege is a mistake of the client's: refused, nothing changed
    other = make_privilege(shop, cost=5, title_th="อีกอย่าง")
    conflict = redeem(client, token, other, key="phone-42")
    assert conflict.status_code == 422 and conflict.json()["code"] == "idempotency_conflict"
    assert Redemption.objects.count() == 1


def test_redeeming_needs_an_idempotency_key_of_the_documented_form(client, token, discount):
    url = f"{A}/privileges/{discount.public_id}/redeem"
    assert post(client, url, {}, token).status_code == 422
    assert redeem(client, token, discount, key="k" * 81).status_code == 422
    assert redeem(client, token, discount, key="with space").status_code == 422
    assert not Redemption.objects.exists()


@pytest.mark.parametrize("value", ["yes", 1, "true", None])
def test_share_identity_is_a_json_boolean(client, token, discount, value):
    response = redeem(client, token, discount, share_identity=value)
    assert response.status_code == 422 and "share_identity" in response.json()["fields"]
    assert not Redemption.objects.exists()


def _refusal_case(case, person, shop):
    """A privilege that `person` cannot redeem, for the reason `case`."""
    if case == "not_enough_points":
        return make_privilege(shop, cost=101)
    if case == "level_too_low":
        return make_privilege(shop, cost=1, min_level=3)
    if case == "out_of_stock":
        privilege = make_privilege(shop, cost=1, stock=1)
        other = make_person(name="คนก่อน")
        give(other, points=5)
        held(other, privilege)
        return privilege
    if case == "limit_reached":
        privilege = make_privilege(shop, cost=1, per_person_limit=1)
        held(person, privilege, key="first")
        return privilege
    if case == "not_offered":
        return privilege_withdraw(actor=SYSTEM, privilege=make_privilege(shop, cost=1))
    return make_privilege(shop, cost=1, shares_identity=True)  # identity_consent_needed


@pytest.mark.parametrize(
    "case, status",
    [
        ("not_enough_points", 409),
        ("level_too_low", 409),
        ("out_of_stock", 409),
        ("limit_reached", 409),
        ("not_offered", 409),
        ("identity_consent_needed", 400),
    ],
)
def test_refusals_hold_nothing(client, token, person, shop, case, status):
    privilege = _refusal_case(case, person, shop)
    before = (Redemption.objects.count(), sum(person_points(person).values()))

    response = redeem(client, token, privilege, key="refused")

    assert response.status_code == status and response.json()["code"] == case
    assert (Redemption.objects.count(), sum(person_points(person).values())) == before


def test_sharing_the_name_when_the_partner_needs_it(client, token, shop):
    privilege = make_privilege(shop, cost=1, shares_identity=True)
    response = redeem(client, token, privilege, share_identity=True)
    assert response.status_code == 201 and response.json()["identity_shared"] is True


def test_redeeming_an_unknown_privilege_and_without_a_token(client, token, discount):
    assert redeem(client, token, type("P", (), {"public_id": uuid.uuid4()})).status_code == 404
    assert redeem(client, None, discount).status_code == 401


# --- my codes ---------------------------------------------------------------------------------


def test_my_redemptions_are_paged_newest_first_and_nobody_elses(client, token, person, shop):
    codes = [held(person, make_privilege(shop, cost=1, title_th=f"สิทธิ์ {i}"), key=f"k{i}") for i in range(3)]
    other = make_person(name="คนอื่น")
    give(other, points=5)
    theirs = held(other, codes[0].privilege, key="theirs")

    first = get(client, f"{A}/redemptions?limit=2", token).json()
    rest = get(client, f"{A}/redemptions?limit=2&offset=2", token).json()

    assert first["count"] == 3 and [r["public_id"] for r in first["redemptions"]] == [
        str(codes[2].public_id),
        str(codes[1].public_id),
    ]
    assert [r["public_id"] for r in rest["redemptions"]] == [str(codes[0].public_id)]
    assert get(client, f"{A}/redemptions?limit=0", token).status_code == 422
    mine = get(client, f"{A}/redemptions/{codes[0].public_id}", token)
    assert mine.status_code == 200 and mine.json()["code"] == f"{codes[0].code[:4]}-{codes[0].code[4:]}"
    assert get(client, f"{A}/redemptions/{theirs.public_id}", token).status_code == 404
    assert post(client, f"{A}/redemptions/{theirs.public_id}/cancel", {}, token).status_code == 404
    assert Redemption.objects.get(pk=theirs.pk).state == "held"


def test_cancelling_my_code_gives_the_points_back_once(client, token, person, discount):
    code = held(person, discount)
    assert sum(person_points(person).values()) == 80

    response = post(client, f"{A}/redemptions/{code.public_id}/cancel", {}, token)

    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert sum(person_points(person).values()) == 100
    again = post(client, f"{A}/redemptions/{code.public_id}/cancel", {}, token)
    assert again.status_code == 409 and again.json()["code"] == "code_cancelled"


def test_my_level(client, token):
    response = get(client, f"{A}/levels/me", token)

    assert response.status_code == 200
    body = response.json()
    assert body["credit"] == 150 and body["level"]["rank"] == 2 and body["level"]["name"] == "ต้นไม้"
    assert body["next_level"]["rank"] == 3 and body["credit_to_next"] == 350
    assert body["progress_percent"] == 12  # 50 of the 400 between 100 and 500
    assert [lv["min_credit"] for lv in body["levels"]] == [0, 100, 500]


# --- the partner's counter --------------------------------------------------------------------


def counter(partner, code):
    return f"{A}/partners/{partner.public_id}/redemptions/{code}"


def test_the_counter_looks_up_and_confirms_once_by_a_staff_members_token(
    client, clerk_token, person, shop, discount
):
    code = held(person, discount)

    lookup = get(client, counter(shop, code.code.lower()), clerk_token)

    assert lookup.status_code == 200, lookup.content
    assert lookup.json() | {"expires_at": None} == {
        "code": f"{code.code[:4]}-{code.code[4:]}", "state": "held", "can_confirm": True, "refusal": None,
        "refusal_message": None, "points": 20, "expires_at": None, "identity": "",
        "privilege": {"public_id": str(discount.public_id), "title": "ส่วนลด 20 บาท",
                      "description": "ลด 20 บาทที่เคาน์เตอร์"},
    }  # fmt: skip
    confirmed = post(client, counter(shop, code.code) + "/confirm", {}, clerk_token)
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    used = post(client, counter(shop, code.code) + "/confirm", {}, clerk_token)
    assert used.status_code == 409 and used.json()["code"] == "code_used"
    after = get(client, counter(shop, code.code), clerk_token).json()
    assert after["can_confirm"] is False and after["refusal"] == "code_used"
    report = get(client, f"{A}/partners/{shop.public_id}/report", clerk_token).json()
    assert report | {"by_privilege": []} == {
        "confirmed": 1, "points_received": 20, "waiting": 0, "expired": 0, "cancelled": 0, "by_privilege": []
    }  # fmt: skip
    assert report["by_privilege"] == [
        {"privilege": str(discount.public_id), "title": "ส่วนลด 20 บาท", "confirmed": 1, "points": 20}
    ]


def test_the_counter_sees_the_name_only_when_shared(client, clerk_token, person, shop):
    privilege = make_privilege(shop, cost=1, shares_identity=True)
    code = held(person, privilege, share_identity=True)
    assert get(client, counter(shop, code.code), clerk_token).json()["identity"] == person.full_name


def test_the_partners_own_system_confirms_with_its_token(client, clerk, person, shop, discount):
    raw = partner_token_issue(actor=clerk, partner=shop, label="เครื่องเก็บเงิน 1")
    assert raw.startswith("kwp_")
    code = held(person, discount)

    response = post(client, counter(shop, f"{code.code[:4]}-{code.code[4:]}") + "/confirm", {}, raw)

    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    code.refresh_from_db()
    assert code.confirmed_via == "เครื่องเก็บเงิน 1" and code.confirmed_by is None
    assert get(client, f"{A}/partners/{shop.public_id}/report", raw).json()["confirmed"] == 1
    # a partner's token is not a person's: the person's operations do not take it
    assert get(client, f"{A}/privileges", raw).status_code == 401
    assert get(client, f"{A}/levels/me", raw).status_code == 401
    partner_token_revoke(actor=clerk, partner=shop, token_id=shop.tokens.get().pk)
    assert get(client, f"{A}/partners/{shop.public_id}/report", raw).status_code == 401


def test_another_partner_is_as_if_it_did_not_exist(client, clerk, clerk_token, person, shop, discount):
    other_clerk = make_person(name="วิไล พยาบาล")
    clinic = make_partner(staff=other_clerk, name="รพ.สต.", kind="clinic")
    their_privilege = make_privilege(clinic, cost=1)
    theirs = held(person, their_privilege, key="clinic")
    mine = held(person, discount)
    clinic_token = partner_token_issue(actor=other_clerk, partner=clinic)

    # the clinic's token and the clinic's code at the shop's counter
    for url in (counter(shop, mine.code), f"{A}/partners/{shop.public_id}/report"):
        assert get(client, url, clinic_token).status_code == 404
    assert post(client, counter(shop, mine.code) + "/confirm", {}, clinic_token).json()["code"] == "not_found"
    unknown = post(client, counter(shop, theirs.code) + "/confirm", {}, clerk_token)
    assert unknown.status_code == 404 and unknown.json()["code"] == "code_unknown"
    assert get(client, counter(shop, "ABCD-2345"), clerk_token).json()["code"] == "code_unknown"
    # the shop's clerk at the clinic's counter, and a person who serves no counter
    assert get(client, counter(clinic, theirs.code), clerk_token).status_code == 404
    citizen_token = token_for(client, person.phone)
    for url in (counter(shop, mine.code), f"{A}/partners/{shop.public_id}/report"):
        assert get(client, url, citizen_token).status_code == 404
    assert post(client, counter(shop, mine.code) + "/confirm", {}, citizen_token).status_code == 404
    assert get(client, f"{A}/partners/{uuid.uuid4()}/report", clerk_token).status_code == 404
    assert Redemption.objects.filter(state="held").count() == 2


def test_a_waiting_partners_staff_serve_no_counter_yet(client):
    owner = make_person(name="ธนพล ริมคลอง")
    cafe = make_partner(staff=owner, name="กาแฟ", approve=False)
    token = token_for(client, owner.phone)
    assert get(client, f"{A}/partners/{cafe.public_id}/report", token).status_code == 404


def test_expired_and_cancelled_codes_are_refused_at_the_counter(client, clerk_token, person, shop, discount):
    late = held(person, discount, key="late")
    Redemption.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    cancelled = held(person, make_privilege(shop, cost=5, title_th="อีกอย่าง"), key="gone")
    post(client, f"{A}/redemptions/{cancelled.public_id}/cancel", {}, token_for(client, person.phone))

    looked = get(client, counter(shop, late.code), clerk_token).json()
    assert looked["can_confirm"] is False and looked["refusal"] == "code_expired"
    expired = post(client, counter(shop, late.code) + "/confirm", {}, clerk_token)
    assert expired.status_code == 409 and expired.json()["code"] == "code_expired"
    assert Redemption.objects.get(pk=late.pk).state == "expired"
    assert sum(person_points(person).values()) == 100  # both codes' points went back
    refused = post(client, counter(shop, cancelled.code) + "/confirm", {}, clerk_token)
    assert refused.status_code == 409 and refused.json()["code"] == "code_cancelled"


# --- the partner's privileges -----------------------------------------------------------------


def _offer(partner, **changes):
    today = timezone.localdate()
    return {
        "title_th": "น้ำดื่ม 1 แพ็ค", "cost_points": 15, "stock": 10, "per_person_limit": 1,
        "per_person_period": "month", "valid_from": str(today), "valid_until": str(today + timedelta(days=30)),
        "areas": [{"kind": "district", "code": partner.district_code}], **changes,
    }  # fmt: skip


def test_staff_offer_and_list_the_partners_privileges(client, clerk, clerk_token, shop, discount):
    url = f"{A}/partners/{shop.public_id}/privileges"

    offered = post(client, url, _offer(shop), clerk_token)

    assert offered.status_code == 201, offered.content
    body = offered.json()
    assert body["title_th"] == "น้ำดื่ม 1 แพ็ค" and body["stock_left"] == 10 and body["state"] == "active"
    assert body["areas"] == [{"kind": "district", "code": shop.district_code}]
    # a whole number written 15.0 is one (JSON Schema's integer), as 15 is
    again = post(client, url, _offer(shop, title_th="น้ำดื่มอีกแพ็ค", cost_points=15.0, stock=None), clerk_token)
    assert again.status_code == 201 and again.json()["cost_points"] == 15 and again.json()["stock"] is None
    listed = get(client, url, clerk_token).json()
    assert {p["public_id"] for p in listed} == {
        str(discount.public_id),
        body["public_id"],
        again.json()["public_id"],
    }
    # the partner's own system reads them, but a person answers for what is offered
    raw = partner_token_issue(actor=clerk, partner=shop)
    assert get(client, url, raw).status_code == 200
    assert post(client, url, _offer(shop), raw).status_code == 403
    assert Privilege.objects.filter(partner=shop).count() == 3


def test_offers_are_checked_by_the_service_and_strictly_typed(client, clerk_token, shop):
    url = f"{A}/partners/{shop.public_id}/privileges"
    yesterday = str(timezone.localdate() - timedelta(days=1))

    past = post(client, url, _offer(shop, valid_until=yesterday, valid_from=yesterday), clerk_token)
    national = post(client, url, _offer(shop, areas=[{"kind": "national", "code": ""}]), clerk_token)

    assert past.status_code == 400 and "valid_until" in past.json()["fields"]
    assert national.status_code == 400 and national.json()["code"] == "privilege_invalid"
    assert post(client, url, _offer(shop, cost_points="15"), clerk_token).status_code == 422
    assert post(client, url, _offer(shop, cost_points=15.5), clerk_token).status_code == 422
    assert post(client, url, _offer(shop, cost_points=True), clerk_token).status_code == 422
    assert post(client, url, _offer(shop, stock=0), clerk_token).status_code == 422
    assert post(client, url, _offer(shop, shares_identity="yes"), clerk_token).status_code == 422
    assert post(client, url, _offer(shop, areas=[]), clerk_token).status_code == 422
    assert not Privilege.objects.exists()


def test_a_person_who_serves_no_counter_cannot_see_or_offer(client, token, shop):
    url = f"{A}/partners/{shop.public_id}/privileges"
    assert get(client, url, token).status_code == 404
    assert post(client, url, _offer(shop), token).status_code == 404
