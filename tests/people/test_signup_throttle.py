"""Sign-ups from one client address are limited (issue 9: 15 sign-ups in 3.4 s went through)."""

import pytest

from kwamdee.people.models import User

pytestmark = pytest.mark.django_db


def body(n: int) -> dict:
    return {
        "full_name": f"ทดสอบ {n}", "password": "good-deeds-2569", "subdistrict_code": "710911",
        "consent": True, "phone": f"08{20000000 + n:08d}",
    }  # fmt: skip


def test_sign_ups_from_one_client_stop_at_the_limit_on_the_api_and_the_web(client, settings):
    settings.SIGNUP_LIMIT_PER_CLIENT = (3, 3600)
    answers = [
        client.post("/api/v1/auth/signup", body(n), content_type="application/json").status_code
        for n in range(4)
    ]
    assert answers == [202, 202, 202, 429] and User.objects.count() == 3
    web = {**body(9), "consent": "on", "province": "71", "district": "7109"}
    response = client.post("/people/signup/", web)
    assert response.status_code == 429 and not User.objects.filter(phone=web["phone"]).exists()


def test_another_client_is_not_held_back(client, settings):
    settings.SIGNUP_LIMIT_PER_CLIENT = (1, 3600)
    assert client.post("/api/v1/auth/signup", body(1), content_type="application/json").status_code == 202
    other = client.post(
        "/api/v1/auth/signup", body(2), content_type="application/json", REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 202
