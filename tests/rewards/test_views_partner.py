"""Partners' pages (rewards/views_partner.py): registering and approving partners, a partner's
page, its counter, report, staff and keys, the privileges it offers; levels and the area report."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kwamdee.common.roles import Role
from kwamdee.rewards.choices import PartnerState, PrivilegeState, RedemptionState
from kwamdee.rewards.models import Level, Partner, PartnerToken, Privilege, PrivilegeArea, Redemption
from kwamdee.rewards.partners import partner_decide, partner_token_actor
from kwamdee.rewards.redemptions import code_display, redemption_create
from kwamdee.rewards.views_partner import NAV_SESSION_KEY
from tests.factories import BANGKOK_SUBDISTRICT, NONG_SARAI, SYSTEM, make_community, make_person
from tests.rewards.factories import (
    counter_staff,
    make_committee,
    make_partner,
    make_privilege,
    make_staff,
    redeemer,
)

pytestmark = pytest.mark.django_db

NATIONAL = [(1, "ต้นกล้า", "Seedling", 0), (2, "ต้นไม้", "Tree", 100), (3, "ร่มไม้ใหญ่", "Great Shade Tree", 500)]


@pytest.fixture(autouse=True)
def national_levels():
    """The national levels of migration rewards.0005 (a transactional test may have emptied them)."""
    for rank, name_th, name_en, credit in NATIONAL:
        Level.objects.get_or_create(
            community=None, rank=rank, defaults={"name_th": name_th, "name_en": name_en, "min_credit": credit}
        )


@pytest.fixture
def shop():
    return make_partner()


@pytest.fixture
def keeper(shop):
    """The shop's counter staff member (who registered it)."""
    return counter_staff(shop)


def english(client, person):
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client


def text_of(response, status=200):
    assert response.status_code == status, response.status_code
    return response.content.decode()


def url(name, *args):
    return reverse(f"rewards:{name}", args=args)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


# --- the partners a person serves, registering one --------------------------------------------


def test_my_partners_explains_what_a_partner_is_to_someone_who_serves_none(client):
    page = text_of(english(client, make_person()).get(url("partners_mine")))
    assert 'data-testid="empty-state"' in page and "A partner is a shop" in page
    assert url("partner_register") in page


def test_my_partners_lists_each_with_its_state_and_links(client, shop, keeper):
    waiting = make_partner(staff=keeper, name="ร้านรอ", approve=False)
    declined = make_partner(staff=keeper, name="ร้านไม่ผ่าน", approve=False)
    partner_decide(actor=SYSTEM, partner=declined, approve=False, note="ไม่พบร้านตามที่อยู่")

    page = text_of(english(client, keeper).get(url("partners_mine")))

    assert url("counter", shop.public_id) in page and url("privilege_offer", shop.public_id) in page
    assert url("partner_tokens", shop.public_id) in page and url("partner_staff", shop.public_id) in page
    assert url("counter", waiting.public_id) not in page
    assert "Waiting for approval by Kwamdee&#x27;s national staff" in page
    assert "ไม่พบร้านตามที่อยู่" in page and "Declined" in page


def test_pages_need_signing_in(client, shop):
    for path in (
        url("partners_mine"),
        url("counter", shop.public_id),
        url("levels_edit"),
        url("area_report"),
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_register_a_partner_waits_for_the_committee_of_its_community(client):
    community = make_community()
    person = make_person(name="เจ้าของ ร้าน")
    form = {
        "name_th": "ร้านป้าแดง", "kind": "shop", "province": "71", "district": "7109",
        "subdistrict_code": NONG_SARAI, "contact_phone": "081-234-5678",
    }  # fmt: skip

    response = english(client, person).post(url("partner_register"), form)

    partner = Partner.objects.get(name_th="ร้านป้าแดง")
    assert response.status_code == 302 and response["Location"] == url("partner", partner.public_id)
    assert partner.state == PartnerState.PENDING and partner.community == community
    assert list(partner.staff.all()) == [person] and partner.contact_phone == "0812345678"
    page = text_of(client.get(response["Location"]))
    assert f"waiting for approval by the committee of {community.name}" in page


def test_register_form_shows_the_services_problems_and_keeps_what_was_typed(client):
    person = make_person()
    form = {
        "name_th": "ร้านป้าแดง",
        "kind": "shop",
        "province": "71",
        "district": "7109",
        "subdistrict_code": NONG_SARAI,
    }

    page = text_of(english(client, person).post(url("partner_register"), form))

    assert "Give a phone number or an e-mail address" in page and 'value="ร้านป้าแดง"' in page
    assert not Partner.objects.exists()
    assert 'hx-get="/areas/districts/"' in page  # the same province → district → subdistrict pickers


# --- approvals --------------------------------------------------------------------------------


def test_partners_waiting_is_for_staff_and_committees_only(client):
    make_partner(approve=False)
    assert client.get(url("partners_waiting")).status_code == 302
    english(client, make_person(name="คนทั่วไป"))
    assert client.get(url("partners_waiting")).status_code == 403
    english(client, make_staff())
    assert "Nong Sarai community shop" in text_of(client.get(url("partners_waiting")))


def test_a_committee_sees_its_own_communitys_partners_and_an_empty_list_otherwise(client):
    community = make_community()
    committee = make_committee(community)
    far = make_partner(subdistrict=BANGKOK_SUBDISTRICT, name="ร้านกรุงเทพ", approve=False)
    near = make_partner(name="ร้านใกล้", approve=False)

    page = text_of(english(client, committee).get(url("partners_waiting")))

    assert str(near.public_id) in page and str(far.public_id) not in page
    partner_decide(actor=SYSTEM, partner=near, approve=True)
    assert 'data-testid="empty-state"' in text_of(client.get(url("partners_waiting")))


def test_decline_needs_a_reason_and_approve_makes_staff_partners(client):
    staff = make_staff()
    partner = make_partner(approve=False)
    english(client, staff)
    decide = url("partner_decide", partner.public_id)
    prefix = str(partner.public_id)

    page = text_of(client.post(decide, {"decision": "decline", f"{prefix}-note": " "}))
    assert "Say why, so the partner can fix it" in page and "Error:" in page
    partner.refresh_from_db()
    assert partner.state == PartnerState.PENDING

    response = client.post(decide, {"decision": "approve", f"{prefix}-note": "ตรวจแล้ว"})
    assert response.status_code == 302 and response["Location"] == url("partners_waiting")
    partner.refresh_from_db()
    assert (partner.state, partner.decision_note) == (PartnerState.APPROVED, "ตรวจแล้ว")
    assert counter_staff(partner).groups.filter(name=Role.PARTNER).exists()
    # decided once: a second decision is refused in words
    again = client.post(decide, {"decision": "decline", f"{prefix}-note": "ช้าไป"}, follow=True)
    assert "This partner was already decided." in text_of(again)


def test_decide_is_404_for_those_who_may_not_decide_and_post_only(client):
    partner = make_partner(approve=False)
    decide = url("partner_decide", partner.public_id)
    english(client, make_person(name="คนนอก"))
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    english(client, counter_staff(partner))  # never one of its own staff
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    english(client, make_staff())
    assert client.get(decide).status_code == 405
    assert client.post(decide, {"decision": "maybe"}).status_code == 400
    assert client.post(url("partner_decide", "00000000-0000-0000-0000-000000000000")).status_code == 404
    partner.refresh_from_db()
    assert partner.state == PartnerState.PENDING


# --- a partner's page -------------------------------------------------------------------------


def test_partner_page_for_its_staff_and_deciders_only(client, shop, keeper):
    privilege = make_privilege(shop, cost=20, stock=5, title_th="ส่วนลด 20 บาท")

    page = text_of(english(client, keeper).get(url("partner", shop.public_id)))
    assert "20 baht off" in page and "5 of 5 left" in page
    assert (
        url("privilege_edit", privilege.public_id) in page
        and url("privilege_withdraw", privilege.public_id) in page
    )
    assert url("counter", shop.public_id) in page

    english(client, make_person(name="คนนอก"))
    assert client.get(url("partner", shop.public_id)).status_code == 404
    english(client, make_staff())  # national staff: may decide and offer for it
    assert url("privilege_edit", privilege.public_id) in text_of(client.get(url("partner", shop.public_id)))


def test_a_waiting_partners_staff_see_it_waiting_without_a_counter(client):
    partner = make_partner(approve=False)
    page = text_of(english(client, counter_staff(partner)).get(url("partner", partner.public_id)))
    assert 'data-testid="partner-waiting"' in page and url("counter", partner.public_id) not in page
    assert client.get(url("counter", partner.public_id)).status_code == 404


# --- the counter ------------------------------------------------------------------------------


@pytest.fixture
def waiting_code(shop):
    privilege = make_privilege(shop, cost=10, title_th="ส่วนลด 20 บาท", description_th="ซื้อขั้นต่ำ 100 บาท")
    person = redeemer(points=30, name="สมชาย ผู้แลก")
    return redemption_create(actor=person, privilege=privilege, key="k1")


def test_counter_without_a_code_asks_for_it(client, shop, keeper):
    page = text_of(english(client, keeper).get(url("counter", shop.public_id)))
    assert '<form id="counter-lookup" method="get"' in page
    field = re.search(r'<input type="text" name="code"[^>]*>', page).group(0)
    assert (
        'autocomplete="off"' in field
        and 'inputmode="text"' in field
        and 'autocapitalize="characters"' in field
    )
    assert "Code the person shows" in page and 'id="counter-result"' not in page


def test_counter_looks_a_code_up_in_any_case_without_the_dash_and_shows_no_name(
    client, shop, keeper, waiting_code
):
    typed = waiting_code.code.lower()  # no dash, small letters

    page = text_of(english(client, keeper).get(url("counter", shop.public_id), {"code": typed}))

    result = page.split('id="counter-result"')[1].split("</section>")[0]
    assert (
        "20 baht off" in result and "ซื้อขั้นต่ำ 100 บาท" in result and code_display(waiting_code.code) in result
    )
    assert "10</strong>" in result and "Valid until" in result
    assert "สมชาย" not in page and "does not need the person" in result
    assert '<form id="counter-confirm" method="post"' in result
    assert f'name="code" value="{code_display(waiting_code.code)}"' in result


def test_counter_shows_the_name_only_when_the_person_shared_it(client, shop, keeper):
    privilege = make_privilege(shop, cost=1, shares_identity=True, title_th="ตรวจสุขภาพ")
    person = redeemer(points=5, name="สมศรี แจ้งชื่อ")
    shared = redemption_create(actor=person, privilege=privilege, key="k", share_identity=True)

    page = text_of(english(client, keeper).get(url("counter", shop.public_id), {"code": shared.code}))

    assert "สมศรี แจ้งชื่อ" in page.split('data-testid="counter-identity"')[1]


def test_confirm_hands_it_over_once(client, shop, keeper, waiting_code):
    english(client, keeper)
    counter = url("counter", shop.public_id)

    response = client.post(counter, {"code": code_display(waiting_code.code)})

    assert response.status_code == 302 and response["Location"] == counter
    waiting_code.refresh_from_db()
    assert waiting_code.state == RedemptionState.CONFIRMED and waiting_code.confirmed_by == keeper
    page = text_of(client.get(counter))
    assert '<li class="message success"' in page and "Confirmed: hand over “20 baht off”." in page
    # used: said in words, no confirm form, nothing changes
    used = text_of(client.get(counter, {"code": waiting_code.code}))
    assert 'class="message error" role="alert"' in used and "This code was already used." in used
    assert 'id="counter-confirm"' not in used
    again = text_of(client.post(counter, {"code": waiting_code.code}))
    assert "This code was already used." in again
    assert Redemption.objects.get(pk=waiting_code.pk).state == RedemptionState.CONFIRMED


def test_counter_refuses_unknown_expired_cancelled_and_other_partners_codes(
    client, shop, keeper, waiting_code
):
    english(client, keeper)
    counter = url("counter", shop.public_id)
    assert "No code like this is waiting" in text_of(client.get(counter, {"code": "ZZZZ-ZZZZ"}))

    other = make_partner(subdistrict=BANGKOK_SUBDISTRICT, name="ร้านอื่น")
    theirs = redemption_create(
        actor=redeemer(points=30, subdistrict=BANGKOK_SUBDISTRICT, name="คนกรุง"),
        privilege=make_privilege(other, cost=5), key="o",
    )  # fmt: skip
    page = text_of(client.get(counter, {"code": theirs.code}))
    assert "No code like this is waiting" in page and 'id="counter-confirm"' not in page
    assert "No code like this is waiting" in text_of(client.post(counter, {"code": theirs.code}))
    assert Redemption.objects.get(pk=theirs.pk).state == RedemptionState.HELD

    Redemption.objects.filter(pk=waiting_code.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = text_of(client.get(counter, {"code": waiting_code.code}))
    assert "This code has expired" in expired and 'id="counter-confirm"' not in expired
    assert "This code has expired" in text_of(client.post(counter, {"code": waiting_code.code}))
    assert Redemption.objects.get(pk=waiting_code.pk).state == RedemptionState.EXPIRED

    Redemption.objects.filter(pk=theirs.pk).update(partner=shop, state=RedemptionState.CANCELLED)
    assert "The person cancelled this code" in text_of(client.get(counter, {"code": theirs.code}))


def test_counter_is_404_for_anyone_but_the_partners_staff(client, shop, waiting_code):
    other = make_partner(name="ร้านอื่น")
    for person in (make_person(name="คนนอก"), counter_staff(other), make_staff()):
        english(client, person)
        assert client.get(url("counter", shop.public_id), {"code": waiting_code.code}).status_code == 404
        assert client.post(url("counter", shop.public_id), {"code": waiting_code.code}).status_code == 404
    assert Redemption.objects.get(pk=waiting_code.pk).state == RedemptionState.HELD


# --- report, staff and keys -------------------------------------------------------------------


def test_partner_report_counts_and_lists_codes_without_names(client, shop, keeper, waiting_code):
    english(client, keeper).post(url("counter", shop.public_id), {"code": waiting_code.code})
    shared_privilege = make_privilege(shop, cost=1, shares_identity=True, title_th="ตรวจสุขภาพ")
    redemption_create(
        actor=redeemer(points=5, name="สมศรี แจ้งชื่อ"), privilege=shared_privilege, key="s", share_identity=True
    )

    page = text_of(client.get(url("partner_report", shop.public_id)))

    totals = page.split('data-testid="partner-totals"')[1].split("</div>\n\n")[0]
    assert re.findall(r'class="num">(\d+)<', totals)[:3] == ["1", "10", "1"]
    assert "20 baht off" in page.split('data-testid="by-privilege"')[1]
    assert "สมชาย ผู้แลก" not in page and "สมศรี แจ้งชื่อ" in page
    english(client, make_person(name="คนนอก"))
    assert client.get(url("partner_report", shop.public_id)).status_code == 404


def test_staff_add_a_colleague_by_phone_and_remove_them_but_never_the_last(client, shop, keeper):
    colleague = make_person(name="เพื่อน ร่วมงาน")
    english(client, keeper)
    staff_page = url("partner_staff", shop.public_id)

    unknown = text_of(client.post(staff_page, {"action": "add", "login": "0899999999"}))
    assert "Nobody signs in with this phone or e-mail" in unknown
    response = client.post(staff_page, {"action": "add", "login": colleague.phone})
    assert response.status_code == 302 and shop.staff.filter(pk=colleague.pk).exists()
    assert "เพื่อน ร่วมงาน" in text_of(client.get(staff_page))

    client.post(staff_page, {"action": "remove", "person": str(colleague.public_id)})
    assert list(shop.staff.all()) == [keeper]
    last = text_of(
        client.post(staff_page, {"action": "remove", "person": str(keeper.public_id)}, follow=True)
    )
    assert "A partner keeps at least one staff member." in last and list(shop.staff.all()) == [keeper]
    assert client.post(staff_page, {"action": "remove", "person": "nonsense"}).status_code == 404
    english(client, make_person(name="คนนอก"))
    assert client.get(staff_page).status_code == 404


def test_a_key_is_shown_once_and_works_until_removed(client, shop, keeper):
    english(client, keeper)
    tokens = url("partner_tokens", shop.public_id)
    assert "/redemptions/CODE/confirm" in text_of(client.get(tokens))

    response = client.post(tokens, {"action": "issue", "label": "เครื่องคิดเงิน"})

    raw = re.search(r'data-testid="token-raw"[^>]*>(kwp_[\w-]+)<', text_of(response)).group(1)
    assert "no-store" in response["Cache-Control"]
    assert partner_token_actor(raw).partner == shop
    later = text_of(client.get(tokens))
    assert raw not in later and "เครื่องคิดเงิน" in later
    token = PartnerToken.objects.get(partner=shop)
    assert client.post(tokens, {"action": "revoke", "token": str(token.pk)}).status_code == 302
    assert partner_token_actor(raw) is None and "เครื่องคิดเงิน" not in text_of(client.get(tokens))
    assert client.post(tokens, {"action": "revoke", "token": str(token.pk)}).status_code == 404
    english(client, make_person(name="คนนอก"))
    assert client.get(tokens).status_code == 404


# --- offering privileges ----------------------------------------------------------------------


def offer_form(**changes):
    today = timezone.localdate()
    form = {
        "title_th": "ไข่ไก่ 10 ฟอง", "cost_points": "15", "min_level": "0", "areas": ["district:7109"],
        "valid_from": today.isoformat(), "valid_until": (today + timedelta(days=30)).isoformat(),
        "stock": "", "per_person_limit": "1", "per_person_period": "month", "code_minutes": "240",
    }  # fmt: skip
    form.update(changes)
    return form


def test_offer_form_shows_readable_areas_levels_and_code_times(client, shop, keeper):
    community = make_community()
    Partner.objects.filter(pk=shop.pk).update(community=community)

    page = text_of(english(client, keeper).get(url("privilege_offer", shop.public_id)))

    assert f"Community: {community.name}" in page and "District: Phanom Thuan, Kanchanaburi" in page
    assert "Province: Kanchanaburi" in page and "Whole country" not in page
    assert "No level needed" in page and ">Tree<" in page
    assert ">30 minutes<" in page and ">7 days<" in page and 'enctype="multipart/form-data"' in page


def test_offer_a_privilege_with_a_photo(client, shop, keeper, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    photo = SimpleUploadedFile("eggs.jpg", jpeg(), content_type="image/jpeg")

    response = english(client, keeper).post(
        url("privilege_offer", shop.public_id), {**offer_form(), "photo": photo}
    )

    assert response.status_code == 302 and response["Location"] == url("partner", shop.public_id)
    privilege = Privilege.objects.get(title_th="ไข่ไก่ 10 ฟอง")
    assert (privilege.cost_points, privilege.stock, privilege.per_person_limit, privilege.code_minutes) == (
        15, None, 1, 240,
    )  # fmt: skip
    assert privilege.photo.startswith("privileges/") and privilege.photo.endswith(".jpg")
    assert list(PrivilegeArea.objects.filter(privilege=privilege).values_list("kind", "code")) == [
        ("district", "7109")
    ]


def test_a_refused_photo_is_named_on_its_field_and_nothing_is_offered(client, shop, keeper):
    not_a_photo = SimpleUploadedFile("eggs.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")

    page = text_of(
        english(client, keeper).post(
            url("privilege_offer", shop.public_id), {**offer_form(), "photo": not_a_photo}
        )
    )

    photo_field = page.split('for="id_photo"')[1].split("</div>")[0]
    assert "This is not a photo" in photo_field
    assert not Privilege.objects.exists()


def test_offer_problems_land_on_their_fields(client, shop, keeper):
    form = offer_form(cost_points="0", areas=["national:"], valid_until="2000-01-01")

    page = text_of(english(client, keeper).post(url("privilege_offer", shop.public_id), form))

    assert 'id="id_areas_error"' in page  # the whole country is not offered to a partner's staff
    assert not Privilege.objects.exists()
    page = text_of(
        client.post(
            url("privilege_offer", shop.public_id), offer_form(cost_points="0", valid_until="2000-01-01")
        )
    )
    assert "Set a cost in points, a minimum level, or both." in page and "The end date must not be" in page


def test_national_staff_offer_in_the_whole_country_and_others_are_refused(client, shop):
    english(client, make_staff())
    assert "Whole country" in text_of(client.get(url("privilege_offer", shop.public_id)))
    assert (
        client.post(url("privilege_offer", shop.public_id), offer_form(areas=["national:"])).status_code
        == 302
    )
    assert PrivilegeArea.objects.filter(kind="national").exists()

    english(client, make_person(name="คนนอก"))
    assert client.get(url("privilege_offer", shop.public_id)).status_code == 404
    community = make_community()
    waiting = make_partner(name="ร้านรอ", approve=False)
    english(client, counter_staff(waiting))
    response = client.get(url("privilege_offer", waiting.public_id))
    assert response.status_code == 302 and response["Location"] == url("partner", waiting.public_id)
    english(client, make_committee(community))  # decides on it, does not offer for it
    assert client.get(url("privilege_offer", waiting.public_id)).status_code == 403


def test_edit_and_withdraw_a_privilege(client, shop, keeper):
    privilege = make_privilege(shop, cost=10, stock=5, title_th="ส่วนลด")
    english(client, keeper)
    edit = url("privilege_edit", privilege.public_id)
    page = text_of(client.get(edit))
    assert 'value="ส่วนลด"' in page and 'value="district:7109" checked' in page.replace(' id="id_areas_0"', "")

    form = offer_form(title_th="ส่วนลดใหม่", cost_points="12", stock="8", code_minutes="60")
    assert client.post(edit, form).status_code == 302
    privilege.refresh_from_db()
    assert (privilege.title_th, privilege.cost_points, privilege.stock) == ("ส่วนลดใหม่", 12, 8)

    assert client.get(url("privilege_withdraw", privilege.public_id)).status_code == 405
    assert client.post(url("privilege_withdraw", privilege.public_id)).status_code == 302
    assert Privilege.objects.get(pk=privilege.pk).state == PrivilegeState.WITHDRAWN
    english(client, make_person(name="คนนอก"))
    assert client.get(edit).status_code == 404
    assert client.post(url("privilege_withdraw", privilege.public_id)).status_code == 404


# --- levels -----------------------------------------------------------------------------------


def levels_form(rows, **extra):
    form = dict(extra)
    for i, (name_th, credit) in enumerate(rows):
        form[f"name_th_{i}"] = name_th
        form[f"min_credit_{i}"] = str(credit)
    return form


def test_levels_edit_is_for_staff_and_committees_only(client):
    english(client, make_person(name="คนทั่วไป"))
    assert client.get(url("levels_edit")).status_code == 403


def test_staff_set_the_national_levels_and_errors_land_on_their_row(client):
    english(client, make_staff())
    page = text_of(client.get(url("levels_edit")))
    assert 'value="Great Shade Tree"' in page

    bad = text_of(
        client.post(url("levels_edit"), levels_form([("ต้นกล้า", 0), ("ต้นไม้", 0), ("", 50)], set="national"))
    )
    row_two = bad.split('data-level-row="2"')[1].split("</fieldset>")[0]
    assert "Level 2: Each level needs more credit than the one before it." in row_two
    assert "Level 3: Fill in “Name (Thai)”." in bad.split('data-level-row="3"')[1].split("</fieldset>")[0]
    assert Level.objects.filter(community=None).count() == 3

    response = client.post(url("levels_edit"), levels_form([("ต้นกล้า", 0), ("ต้นไม้", 200)], set="national"))
    assert response.status_code == 302
    assert list(Level.objects.filter(community=None).values_list("name_th", "min_credit")) == [
        ("ต้นกล้า", 0), ("ต้นไม้", 200),
    ]  # fmt: skip


def test_a_committee_gives_its_community_own_levels_and_goes_back_to_the_national_ones(client):
    community = make_community()
    english(client, make_committee(community))
    page = text_of(client.get(url("levels_edit")))
    assert 'data-testid="follows-national"' in page and 'value="ต้นไม้"' in page

    form = levels_form([("เมล็ด", 0), ("ต้นอ่อน", 30)], set=str(community.public_id))
    assert client.post(url("levels_edit"), form).status_code == 302
    assert Level.objects.filter(community=community).count() == 2
    assert Level.objects.filter(community=None).count() == 3
    # an empty form never removes the set by accident: the button does
    empty = text_of(client.post(url("levels_edit"), {"set": str(community.public_id)}))
    assert "Give at least one level." in empty and Level.objects.filter(community=community).count() == 2
    client.post(url("levels_edit"), {"set": str(community.public_id), "action": "national"})
    assert not Level.objects.filter(community=community).exists()
    # another community's set: not theirs
    other = make_community(subdistrict=BANGKOK_SUBDISTRICT)
    assert client.get(url("levels_edit"), {"set": str(other.public_id)}).status_code == 404


# --- the report by area -----------------------------------------------------------------------


def test_area_report_shows_small_counts_as_under_ten_and_downloads_as_csv(client, shop, keeper, waiting_code):
    english(client, keeper).post(url("counter", shop.public_id), {"code": waiting_code.code})
    english(client, make_person(name="คนทั่วไป"))
    assert client.get(url("area_report")).status_code == 403

    english(client, make_staff())
    page = text_of(client.get(url("area_report")))
    row = page.split('data-testid="area-report"')[1].split("</table>")[0]
    assert "Kanchanaburi" in row and row.count("&lt;10") == 3

    download = client.get(url("area_report"), {"format": "csv"})
    assert download["Content-Type"].startswith("text/csv") and download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Province" and rows[1] == ["Kanchanaburi", "1", "<10", "<10", "<10"]


def test_a_committees_report_csv_makes_a_formula_in_a_name_inert(client):
    community = make_community()
    type(community).objects.filter(pk=community.pk).update(name_th="=HYPERLINK(1)", name_en="=HYPERLINK(1)")
    english(client, make_committee(community))

    rows = list(
        csv.reader(io.StringIO(client.get(url("area_report"), {"format": "csv"}).content.decode("utf-8-sig")))
    )

    assert rows[0][0] == "Community" and rows[1][0] == "'=HYPERLINK(1)"


# --- the header -------------------------------------------------------------------------------


def test_the_header_shows_the_counter_to_its_staff_and_partners_waiting_to_deciders(client, shop, keeper):
    home = reverse("home")
    assert url("partners_mine") in text_of(english(client, keeper).get(home))
    assert url("partners_mine") not in text_of(english(client, make_person(name="คนทั่วไป")).get(home))

    staff = make_staff()
    assert url("partners_waiting") not in text_of(english(client, staff).get(home))
    make_partner(name="ร้านใหม่", approve=False)
    assert url("partners_waiting") not in text_of(client.get(home))  # kept a few minutes in the session
    session = client.session
    del session[NAV_SESSION_KEY]
    session.save()
    assert url("partners_waiting") in text_of(client.get(home))
