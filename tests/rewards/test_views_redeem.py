"""A citizen's pages of privileges (rewards/views_redeem.py): the list and its filters, a
privilege and redeeming it, the code and cancelling it, the levels, the photo, the passbook."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from kwamdee.rewards.choices import RedemptionState
from kwamdee.rewards.models import Level, Redemption
from kwamdee.rewards.redemptions import person_points, person_points_held, redemption_create
from kwamdee.rewards.views_redeem import counter_url, duration_words
from tests.factories import BANGKOK_SUBDISTRICT
from tests.rewards.factories import counter_staff, make_partner, make_privilege, redeemer

pytestmark = pytest.mark.django_db

NATIONAL = [(1, "ต้นกล้า", "Seedling", 0), (2, "ต้นไม้", "Tree", 100), (3, "ร่มไม้ใหญ่", "Great Shade Tree", 500)]


@pytest.fixture(autouse=True)
def national_levels():
    """The national levels of migration rewards.0005 (a transactional test may have emptied them)."""
    for rank, name_th, name_en, credit in NATIONAL:
        Level.objects.get_or_create(
            community=None, rank=rank,
            defaults={"name_th": name_th, "name_en": name_en, "min_credit": credit,
                      "opens_th": f"สิ่งที่ระดับ {rank} เปิด", "opens_en": f"What level {rank} opens"},
        )  # fmt: skip


@pytest.fixture
def shop():
    return make_partner()


@pytest.fixture
def person():
    """30 points to spend and 150 lifetime credit (the level "Tree")."""
    return redeemer(points=30, credit=150)


def english(client, person):
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client


def points(person):
    return sum(person_points(person).values())


# --- the list ---------------------------------------------------------------------------------


def test_privileges_page_shows_each_with_cost_level_stock_and_whether_i_can_redeem(client, shop, person):
    offered = [
        make_privilege(shop, cost=10, stock=5),
        make_privilege(shop, cost=100),
        make_privilege(shop, cost=0, min_level=3),
    ]

    page = english(client, person).get(reverse("rewards:privileges"))

    assert page.status_code == 200
    text = page.content.decode()
    assert all(reverse("rewards:privilege", args=[p.public_id]) in text for p in offered)
    assert "Nong Sarai community shop" in text
    assert re.search(r'data-testid="my-points">30<', text)
    assert re.search(r'data-testid="my-level">Tree<', text)
    assert "5 left" in text and "No limit on how many" in text and "Free" in text
    assert "From the level “Great Shade Tree”" in text
    assert "You can redeem it now." in text
    assert "You need 70 more points." in text
    assert "It opens at the level “Great Shade Tree”." in text
    assert reverse("rewards:levels") in text


def test_filters_keep_what_my_points_pay_for_and_what_my_level_opens(client, shop, person):
    make_privilege(shop, cost=10, title_th="ส่วนลดเล็ก")
    make_privilege(shop, cost=100, title_th="ของรางวัลใหญ่")
    make_privilege(shop, cost=5, min_level=3, title_th="สิทธิระดับสูง")
    client.force_login(person)

    afford = client.get(reverse("rewards:privileges"), {"show": "afford"}).content.decode()
    reach = client.get(reverse("rewards:privileges"), {"show": "reach"}).content.decode()
    nonsense = client.get(reverse("rewards:privileges"), {"show": "<script>"}).content.decode()

    assert "ส่วนลดเล็ก" in afford and "สิทธิระดับสูง" in afford and "ของรางวัลใหญ่" not in afford
    assert "ส่วนลดเล็ก" in reach and "ของรางวัลใหญ่" in reach and "สิทธิระดับสูง" not in reach
    assert all(title in nonsense for title in ("ส่วนลดเล็ก", "ของรางวัลใหญ่", "สิทธิระดับสูง"))
    assert 'aria-current="true"' in afford


def test_a_filter_that_keeps_nothing_offers_to_show_all(client, shop):
    make_privilege(shop, cost=100, title_th="ของรางวัลใหญ่")
    poor = redeemer(points=0)

    client.force_login(poor)

    page = client.get(reverse("rewards:privileges"), {"show": "afford"})

    assert 'data-testid="empty-state"' in page.content.decode()
    assert f'href="{reverse("rewards:privileges")}"' in page.content.decode()


def test_nothing_offered_near_me_says_to_do_good_deeds(client, shop):
    make_privilege(shop, cost=10)  # in Phanom Thuan district, far from Bangkok
    far = redeemer(points=50, subdistrict=BANGKOK_SUBDISTRICT)

    page = english(client, far).get(reverse("rewards:privileges")).content.decode()

    assert 'data-testid="empty-state"' in page
    assert reverse("deeds:new") in page


def test_privileges_need_signing_in(client):
    response = client.get(reverse("rewards:privileges"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- one privilege and redeeming it ----------------------------------------------------------------


def test_privilege_page_shows_partner_dates_limits_and_the_form_with_a_key(client, shop, person):
    privilege = make_privilege(shop, cost=10, per_person_limit=2, per_person_period="month", code_minutes=120)
    shop.address = "หมู่ 3 ตำบลหนองสาหร่าย"
    shop.save()

    page = english(client, person).get(reverse("rewards:privilege", args=[privilege.public_id]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Nong Sarai community shop" in text and "หมู่ 3 ตำบลหนองสาหร่าย" in text
    assert 'href="tel:0812345678"' in text
    assert "Up to 2 times a month" in text and "2 hours after you redeem" in text
    assert privilege.valid_until.strftime("%b") in text  # a date people read, not ISO
    assert reverse("rewards:redeem", args=[privilege.public_id]) in text
    assert re.search(r'<input type="hidden" name="key" value="[0-9a-f]{32}"', text)
    assert "share_identity" not in text


def test_redeem_holds_the_points_and_shows_the_code(client, shop, person):
    privilege = make_privilege(shop, cost=10, stock=3)
    client.force_login(person)

    response = client.post(reverse("rewards:redeem", args=[privilege.public_id]), {"key": "k-1"})

    redemption = Redemption.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("rewards:redemption", args=[redemption.public_id])
    assert redemption.state == RedemptionState.HELD
    assert points(person) == 20 and person_points_held(person) == 10
    privilege.refresh_from_db()
    assert privilege.stock_left == 2
    # The browser sends the same page again: the same code, nothing held twice.
    again = client.post(reverse("rewards:redeem", args=[privilege.public_id]), {"key": "k-1"})
    assert again["Location"] == response["Location"]
    assert Redemption.objects.count() == 1 and points(person) == 20

    page = client.get(response["Location"]).content.decode()
    assert f"{redemption.code[:4]}-{redemption.code[4:]}" in page
    assert 'src="data:image/svg+xml' in page  # the QR


def test_a_refusal_comes_back_on_the_privilege_page_and_nothing_changes(client, shop, person):
    privilege = make_privilege(shop, cost=100)
    english(client, person)

    response = client.post(reverse("rewards:redeem", args=[privilege.public_id]), {"key": "k-2"})

    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="redeem-refusal"' in text
    assert "You do not have enough points for this privilege." in text
    assert reverse("deeds:new") in text  # the next step: do good deeds
    assert not Redemption.objects.exists()
    assert points(person) == 30 and person_points_held(person) == 0


def test_redeeming_needs_a_post(client, shop, person):
    privilege = make_privilege(shop, cost=10)
    client.force_login(person)
    assert client.get(reverse("rewards:redeem", args=[privilege.public_id])).status_code == 405


def test_identity_checkbox_is_required_when_the_partner_needs_my_name(client, shop, person):
    privilege = make_privilege(shop, cost=5, shares_identity=True)
    english(client, person)
    url = reverse("rewards:redeem", args=[privilege.public_id])

    page = client.get(reverse("rewards:privilege", args=[privilege.public_id])).content.decode()
    assert 'name="share_identity"' in page and "I agree to show my name to Nong Sarai community shop" in page

    refused = client.post(url, {"key": "k-3"})
    assert refused.status_code == 200
    assert "This partner needs to know your name" in refused.content.decode()
    assert 'class="error-summary"' in refused.content.decode()
    assert "<title>Error:" in refused.content.decode()
    assert 'value="k-3"' in refused.content.decode()  # the same key: nothing lost
    assert not Redemption.objects.exists() and points(person) == 30

    done = client.post(url, {"key": "k-3", "share_identity": "on"})
    assert done.status_code == 302
    assert Redemption.objects.get(person=person).identity_shared is True


def test_contact_unconfirmed_person_is_told_to_enter_the_code_first(client, shop):
    privilege = make_privilege(shop, cost=0, min_level=1)
    newcomer = redeemer(contact_proven=False)

    client.force_login(newcomer)

    text = client.get(reverse("rewards:privilege", args=[privilege.public_id])).content.decode()

    assert reverse("people:contact_confirm") in text
    assert 'data-testid="redeem-button"' not in text
    refused = client.post(reverse("rewards:redeem", args=[privilege.public_id]), {"key": "k"})
    assert refused.status_code == 200 and not Redemption.objects.exists()


def test_unknown_privilege_is_404(client, person):
    client.force_login(person)
    assert client.get("/privileges/00000000-0000-0000-0000-000000000000/").status_code == 404


# --- the code ---------------------------------------------------------------------------------------


def test_cancel_asks_first_then_returns_the_points(client, shop, person):
    privilege = make_privilege(shop, cost=10, stock=2)
    redemption = redemption_create(actor=person, privilege=privilege, key="c-1")
    english(client, person)
    url = reverse("rewards:redemption_cancel", args=[redemption.public_id])

    question = client.get(url)
    assert question.status_code == 200 and 'data-testid="cancel-confirm"' in question.content.decode()
    assert Redemption.objects.get(pk=redemption.pk).state == RedemptionState.HELD

    response = client.post(url)

    assert response.status_code == 302
    redemption.refresh_from_db()
    assert redemption.state == RedemptionState.CANCELLED
    assert points(person) == 30 and person_points_held(person) == 0
    page = client.get(response["Location"]).content.decode()
    assert "The code is cancelled. Your 10 points are back." in page
    assert "You cancelled the code." in page
    # Cancelled twice: said plainly, nothing changes.
    client.post(url)
    assert points(person) == 30


def test_another_persons_code_is_404_and_the_partners_staff_see_it(client, shop, person):
    privilege = make_privilege(shop, cost=10)
    redemption = redemption_create(actor=person, privilege=privilege, key="o-1")
    other = redeemer(name="คนอื่น ข้างบ้าน")
    client.force_login(other)

    assert client.get(reverse("rewards:redemption", args=[redemption.public_id])).status_code == 404
    assert client.post(reverse("rewards:redemption_cancel", args=[redemption.public_id])).status_code == 404
    assert Redemption.objects.get(pk=redemption.pk).state == RedemptionState.HELD

    client.force_login(counter_staff(shop))
    seen = client.get(reverse("rewards:redemption", args=[redemption.public_id]))
    assert seen.status_code == 200
    assert 'data-testid="cancel-link"' not in seen.content.decode()
    assert client.post(reverse("rewards:redemption_cancel", args=[redemption.public_id])).status_code == 404


def test_a_code_past_its_time_is_released_when_opened(client, shop, person):
    privilege = make_privilege(shop, cost=10)
    redemption = redemption_create(actor=person, privilege=privilege, key="e-1")
    Redemption.objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert points(person) == 20

    page = english(client, person).get(reverse("rewards:redemption", args=[redemption.public_id]))

    assert "The code was not used in time." in page.content.decode()
    assert Redemption.objects.get(pk=redemption.pk).state == RedemptionState.EXPIRED
    assert points(person) == 30 and person_points_held(person) == 0


def test_the_qr_leads_to_the_partners_counter_with_the_code(shop, person):
    privilege = make_privilege(shop, cost=10)
    redemption = redemption_create(actor=person, privilege=privilege, key="q-1")

    url = counter_url(RequestFactory().get("/"), redemption)

    assert url == f"http://testserver/partners/{shop.public_id}/counter/?code={redemption.code}"


def test_my_codes_newest_first_with_states(client, shop, person):
    first = make_privilege(shop, cost=5, title_th="สิทธิแรก")
    second = make_privilege(shop, cost=5, title_th="สิทธิที่สอง")
    old = redemption_create(actor=person, privilege=first, key="m-1")
    Redemption.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    redemption_create(actor=person, privilege=second, key="m-2")

    page = english(client, person).get(reverse("rewards:my_redemptions")).content.decode()

    newer = Redemption.objects.exclude(pk=old.pk).get()
    assert page.index(str(newer.public_id)) < page.index(str(old.public_id))
    assert page.count("Waiting at the counter") == 2


def test_my_codes_empty_state_leads_to_the_privileges(client, person):
    client.force_login(person)
    page = client.get(reverse("rewards:my_redemptions"))
    assert 'data-testid="empty-state"' in page.content.decode()


def test_duration_in_plain_words():
    with translation.override("en"):
        assert duration_words(45) == "45 minutes"
        assert duration_words(60) == "1 hour"
        assert duration_words(7 * 24 * 60) == "7 days"
    with translation.override("th"):
        assert duration_words(45) == "45 นาที"


# --- the levels ---------------------------------------------------------------------------------


def test_levels_page_shows_each_level_mine_and_the_way_to_the_next(client, person):
    page = english(client, person).get(reverse("rewards:levels")).content.decode()

    assert "Seedling" in page and "Tree" in page and "Great Shade Tree" in page
    assert re.search(r'class="current" aria-current="step">\s*<div class="top"><strong>Tree<', page)
    assert "350 more credit to “Great Shade Tree”" in page
    assert 'value="12"' in page  # (150 - 100) / (500 - 100)
    assert "Spending points never lowers your level." in page
    tree = Level.objects.get(community=None, rank=2)
    assert tree.opens_en and tree.opens_en in page


# --- the photo -----------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (40, 120, 80)).save(out, "PNG")
    return out.getvalue()


def test_photo_is_served_with_its_type_and_nosniff(client, shop, person):
    privilege = make_privilege(shop, cost=10)
    privilege.photo = default_storage.save("privileges/test-photo.png", ContentFile(_png()))
    privilege.save()
    client.force_login(person)

    response = client.get(reverse("rewards:privilege_photo", args=[privilege.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == default_storage.open(privilege.photo).read()
    listing = client.get(reverse("rewards:privileges")).content.decode()
    assert reverse("rewards:privilege_photo", args=[privilege.public_id]) in listing
    client.logout()
    assert client.get(reverse("rewards:privilege_photo", args=[privilege.public_id])).status_code == 302


def test_no_photo_is_404(client, shop, person):
    privilege = make_privilege(shop, cost=10)
    client.force_login(person)
    assert client.get(reverse("rewards:privilege_photo", args=[privilege.public_id])).status_code == 404


# --- the passbook ---------------------------------------------------------------------------------


def test_passbook_shows_level_progress_points_on_hold_and_the_redemption(client, shop, person):
    privilege = make_privilege(shop, cost=10, title_th="ส่วนลด 20 บาท")
    redemption = redemption_create(actor=person, privilege=privilege, key="p-1")

    page = english(client, person).get(reverse("passbook:passbook")).content.decode()

    assert re.search(r'data-testid="level-name">Tree<', page)
    assert "350 more credit to “Great Shade Tree”" in page
    assert "10 points are on hold for codes you have not used yet." in page
    assert reverse("rewards:privileges") in page and "Use your points" in page
    # The hold: a negative points entry, linked to the code, its state in words.
    assert "20 baht off · Nong Sarai community shop" in page
    assert reverse("rewards:redemption", args=[redemption.public_id]) in page
    assert re.search(r'class="minus">-10 points<', page)
    assert "Code: Waiting at the counter" in page

    client.post(reverse("rewards:redemption_cancel", args=[redemption.public_id]))
    page = client.get(reverse("passbook:passbook")).content.decode()
    assert re.search(r'class="plus">\+10 points<', page)  # the release puts them back
    assert "Points returned on" in page
    assert "on hold" not in page
