"""The site's own error pages, and no redirect loop for a signed-in person without the role."""

import pytest
from django.utils import translation

from tests.factories import PASSWORD

ROLE_PAGES = ["/deeds/queue/", "/catalog/manage/", "/catalog/manage/interchange/", "/sponsorships/",
              "/sponsorships/sponsors/"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("path", ROLE_PAGES)
def test_signed_in_citizen_gets_the_403_page_not_a_redirect(client, citizen, path):
    client.login(username=citizen.phone, password=PASSWORD)
    response = client.get(path)
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-status="403"' in page and "หน้านี้ไม่ใช่สำหรับบทบาทของคุณ" in page
    assert 'href="/"' in page  # a way back


@pytest.mark.django_db
def test_403_page_in_english(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    client.cookies["django_language"] = "en"
    page = client.get("/deeds/queue/").content.decode()
    assert "This page is not for your role" in page and 'lang="en"' in page


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/deeds/queue/")
    assert response.status_code == 302 and response["Location"].startswith("/people/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "title"), [("th", "ไม่พบหน้านี้"), ("en", "Page not found")])
def test_404_page_in_both_languages(client, language, title):
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert title in response.content.decode()


@pytest.mark.django_db
def test_500_page_says_nothing_was_saved(client, settings):
    from kwamdee.site.views import server_error

    request = client.get("/").wsgi_request
    response = server_error(request)
    assert response.status_code == 500
    assert "ขออภัย" in response.content.decode() or "เกิดข้อผิดพลาด" in response.content.decode()


@pytest.mark.django_db
def test_500_page_in_english(rf):
    from django.contrib.auth.models import AnonymousUser

    from kwamdee.site.views import server_error

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert 'lang="en"' in page and 'data-status="500"' in page
    assert "Something went wrong on our side" in page and "The change was not saved" in page
    assert "ขออภัย" not in page
    assert 'href="/"' in page  # a way back


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("th", "ไม่สามารถอ่านคำขอได้", "คำขอมีบางอย่างไม่ถูกต้อง กรุณากลับไปแล้วลองอีกครั้ง"),
        ("en", "The request could not be read", "Something in the request was not right. Please go back"),
    ],
)
def test_400_page_says_what_went_wrong_with_a_way_back(rf, language, title, text):
    from kwamdee.site.views import bad_request

    request = rf.get("/")
    with translation.override(language):
        response = bad_request(request)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'lang="{language}"' in page and 'data-status="400"' in page
    assert f"<h1>{title}</h1>" in page and text in page
    assert 'href="/"' in page  # a way back


@pytest.mark.django_db
def test_500_page_shows_when_the_database_is_what_failed(rf):
    """Reading the signed-in person fails (the database is down): the page is still drawn."""
    from django.db import OperationalError
    from django.utils.functional import SimpleLazyObject

    from kwamdee.site.views import server_error

    def user():
        raise OperationalError("the database is down")

    request = rf.get("/")
    request.user = SimpleLazyObject(user)
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert 'data-testid="error-page"' in page and "sign-out" not in page
