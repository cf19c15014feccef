"""The committee's page and API for requests to join a community, and what the person sees on My
account and from GET /auth/me (kwamdee/people/membership_views.py, api.py)."""

import json

import pytest
from django.test import Client

from kwamdee.common.models import AuditEvent
from kwamdee.people.membership import membership_approve, membership_decline
from kwamdee.people.models import CommunityMembership
from kwamdee.people.services import api_token_issue
from tests.factories import BANGKOK_SUBDISTRICT, PASSWORD, PHANOM_THUAN, make_community, make_person
from tests.people.membership_helpers import committee_member, newcomer, waiting_request

pytestmark = pytest.mark.django_db
A = "/api/v1"


@pytest.fixture
def community():
    return make_community()


@pytest.fixture
def admin(community):
    return committee_member(community, phone="0861000001")


@pytest.fixture
def request_waiting(community):
    return waiting_request(newcomer(phone="0861000002"))


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def token_client(person):
    token = api_token_issue(login=person.phone, password=PASSWORD)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def state_of(membership) -> str:
    membership.refresh_from_db()
    return membership.state


# --- the page ------------------------------------------------------------------------------------


def test_the_committee_sees_the_requests_of_its_communities_only(community, admin, request_waiting):
    elsewhere = make_community(PHANOM_THUAN)
    other = waiting_request(newcomer(name="คน ตำบลอื่น", subdistrict=PHANOM_THUAN, phone="0861000003"))
    assert other.community == elsewhere
    page = signed_in(admin).get("/people/community-requests/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "บุญเรือน แก้วประเสริฐ" in text and f'data-request="{request_waiting.public_id}"' in text
    assert "คน ตำบลอื่น" not in text and str(other.public_id) not in text


def test_the_page_says_so_when_nobody_waits(admin):
    text = signed_in(admin).get("/people/community-requests/").content.decode()
    assert 'data-testid="empty-state"' in text


def test_approving_on_the_page(community, admin, request_waiting):
    prefix = request_waiting.public_id
    response = signed_in(admin).post(
        f"/people/community-requests/{prefix}/", {"decision": "approve", f"{prefix}-note": "ยินดีต้อนรับ"}
    )
    assert response.status_code == 302 and response["Location"] == "/people/community-requests/"
    assert state_of(request_waiting) == "approved" and request_waiting.note == "ยินดีต้อนรับ"
    request_waiting.person.refresh_from_db()
    assert request_waiting.person.community == community


def test_declining_on_the_page_and_it_shows_among_the_decided(admin, request_waiting):
    client = signed_in(admin)
    client.post(f"/people/community-requests/{request_waiting.public_id}/", {"decision": "decline"})
    assert state_of(request_waiting) == "declined"
    text = client.get("/people/community-requests/").content.decode()
    assert 'data-testid="membership-decided"' in text and "บุญเรือน แก้วประเสริฐ" in text


def test_a_note_with_a_problem_comes_back_on_the_page(admin, request_waiting):
    prefix = request_waiting.public_id
    response = signed_in(admin).post(
        f"/people/community-requests/{prefix}/", {"decision": "decline", f"{prefix}-note": "x" * 501}
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert state_of(request_waiting) == "pending"


def test_the_page_refuses_others(community, citizen, request_waiting):
    other_admin = committee_member(
        make_community(PHANOM_THUAN), name="กรรมการ ตำบลอื่น", subdistrict=PHANOM_THUAN, phone="0861000004"
    )
    url = f"/people/community-requests/{request_waiting.public_id}/"
    assert Client().get("/people/community-requests/").status_code == 302  # sign in first
    assert signed_in(citizen).get("/people/community-requests/").status_code == 403
    assert signed_in(citizen).post(url, {"decision": "approve"}).status_code == 403
    # another community's committee: as if there were no such request
    assert signed_in(other_admin).post(url, {"decision": "approve"}).status_code == 404
    assert state_of(request_waiting) == "pending"


def test_a_decision_that_is_neither_is_a_bad_request(admin, request_waiting):
    client = signed_in(admin)
    assert (
        client.post(
            f"/people/community-requests/{request_waiting.public_id}/", {"decision": "maybe"}
        ).status_code
        == 400
    )
    assert client.get(f"/people/community-requests/{request_waiting.public_id}/").status_code == 405
    assert state_of(request_waiting) == "pending"


def test_deciding_twice_says_it_is_no_longer_waiting(admin, request_waiting):
    client = signed_in(admin)
    url = f"/people/community-requests/{request_waiting.public_id}/"
    client.post(url, {"decision": "decline"})
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "ไม่รอการพิจารณาแล้ว" in response.content.decode()
    assert state_of(request_waiting) == "declined"
    assert AuditEvent.objects.filter(subject_id=str(request_waiting.public_id)).count() == 1


# --- My account ----------------------------------------------------------------------------------


def test_my_account_says_where_my_request_stands(community, admin, request_waiting):
    person = request_waiting.person
    page = signed_in(person).get("/people/account/").content.decode()
    assert "คำขอเข้าร่วม ธนาคารความดีหนองสาหร่าย ของคุณกำลังรอคณะกรรมการพิจารณา" in page
    membership_decline(actor=admin, membership_public_id=request_waiting.public_id, note="ขอพบกันก่อน")
    page = signed_in(person).get("/people/account/").content.decode()
    assert "ไม่ได้รับการอนุมัติ" in page and "ขอพบกันก่อน" in page


def test_my_account_says_i_am_a_member(community, citizen):
    page = signed_in(citizen).get("/people/account/").content.decode()
    assert "คุณเป็นสมาชิกของ ธนาคารความดีหนองสาหร่าย" in page
    far = make_person(subdistrict=BANGKOK_SUBDISTRICT, phone="0861000005")
    assert "ยังไม่มีธนาคารความดีของชุมชน" in signed_in(far).get("/people/account/").content.decode()


def test_moving_on_the_profile_page_says_the_request_waits(community, citizen):
    other = make_community(PHANOM_THUAN)
    body = {"full_name": citizen.full_name, "phone": citizen.phone, "email": "", "province": "71",
            "district": "7109", "subdistrict_code": PHANOM_THUAN, "current_password": ""}  # fmt: skip
    response = signed_in(citizen).post("/people/account/profile/", body, follow=True)
    assert "รอคณะกรรมการพิจารณา" in response.content.decode()
    assert CommunityMembership.objects.get(person=citizen, ended_at__isnull=True).community == other


# --- the API -------------------------------------------------------------------------------------


def test_the_committee_lists_and_approves_by_the_api(client, community, admin, request_waiting):
    auth = token_client(admin)
    base = f"{A}/communities/{community.public_id}/membership-requests"
    listed = client.get(base, **auth)
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["public_id"] == str(request_waiting.public_id) and row["state"] == "pending"
    assert row["full_name"] == "บุญเรือน แก้วประเสริฐ"
    answer = client.post(
        f"{base}/{request_waiting.public_id}/approve", data=json.dumps({"note": "ยินดีต้อนรับ"}),
        content_type="application/json", **auth,
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json()["state"] == "approved"
    again = client.post(
        f"{base}/{request_waiting.public_id}/decline", data="{}", content_type="application/json", **auth
    )
    assert again.status_code == 409 and again.json()["code"] == "membership_not_waiting"
    assert state_of(request_waiting) == "approved"


def test_the_api_refuses_others(client, community, citizen, request_waiting):
    elsewhere = make_community(PHANOM_THUAN)
    other_admin = committee_member(
        elsewhere, name="กรรมการ ตำบลอื่น", subdistrict=PHANOM_THUAN, phone="0861000006"
    )
    ours = f"{A}/communities/{community.public_id}/membership-requests"
    theirs = f"{A}/communities/{elsewhere.public_id}/membership-requests"
    post = {"data": "{}", "content_type": "application/json"}
    assert client.get(ours).status_code == 401
    citizen_auth = token_client(citizen)
    assert client.get(ours, **citizen_auth).status_code == 403
    assert (
        client.post(f"{ours}/{request_waiting.public_id}/approve", **post, **citizen_auth).status_code == 403
    )
    other_auth = token_client(other_admin)
    assert client.get(ours, **other_auth).status_code == 404  # not theirs: as if none
    # their own community, with our request in it: not found either
    answer = client.post(f"{theirs}/{request_waiting.public_id}/approve", **post, **other_auth)
    assert answer.status_code == 404
    assert state_of(request_waiting) == "pending"


def test_me_says_where_the_request_stands(client, community, admin, request_waiting):
    auth = token_client(request_waiting.person)
    me = client.get(f"{A}/auth/me", **auth).json()
    assert me["community"] is None
    assert me["membership"]["state"] == "pending" and me["membership"]["community"] == str(
        community.public_id
    )
    membership_approve(actor=admin, membership_public_id=request_waiting.public_id)
    me = client.get(f"{A}/auth/me", **auth).json()
    assert me["community"] == "ธนาคารความดีหนองสาหร่าย" and me["membership"]["state"] == "approved"
