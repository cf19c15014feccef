"""The organization's page, its "how it was computed" page, the PDF and XLSX report, the public
directory and its API: figures from real activities closed into the ledger, small groups hidden."""

import io
import os
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kwamdee.activities.codes import code_make
from kwamdee.activities.selectors import organizer_options
from kwamdee.activities.services import activity_check, activity_close, activity_create
from kwamdee.catalog.models import DeedType
from kwamdee.impact.selectors import organization_profile
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import Organization
from kwamdee.organizations.services import membership_grant
from kwamdee.passbook.selectors import passbook_get
from tests.assessments.helpers import SYSTEM, fresh, make_assessor
from tests.assessments.test_flow import _assessed
from tests.factories import NONG_SARAI, load_small_catalog, make_person
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _organization(*, listed=True, name="โรงเรียนบ้านหนองสาหร่าย"):
    organization = OrganizationFactory(name_th=name, scope_area_code=NONG_SARAI, listed=listed)
    organizer = make_person(name="ครู ผู้จัดกิจกรรม")
    membership_grant(actor=SYSTEM, organization=organization, person=organizer, role=MembershipRole.ADMIN)
    return organization, fresh(organizer)


def _run_activity(organizer, people, *, hours=2):
    start = timezone.now() - timedelta(minutes=5)  # it may not end in the past: `now` moves the clock
    option = next(o for o in organizer_options(organizer))
    activity = activity_create(
        actor=organizer, organizer=option.value, title="ปลูกป่าชายคลอง",
        deed_type_public_id=DeedType.objects.get(code="volunteer-hours").public_id,
        subdistrict_code=NONG_SARAI, starts_at=start, ends_at=start + timedelta(hours=hours),
    )  # fmt: skip
    for person in people:
        for action, at in (("check_in", start), ("check_out", start + timedelta(hours=hours))):
            activity_check(
                actor=person, activity_public_id=activity.public_id, action=action, now=at,
                code=code_make(activity.public_id, at),
            )  # fmt: skip
    activity_close(
        actor=organizer, activity_public_id=activity.public_id, now=start + timedelta(hours=hours + 1)
    )
    return activity


@pytest.fixture
def world():
    load_small_catalog()
    organization, organizer = _organization()
    people = [make_person(name=f"อาสา คนที่{n}") for n in range(5)]
    _run_activity(organizer, people)
    return organization, organizer, people


def test_the_figures_come_from_the_activities_and_the_ledger(world):
    organization, _organizer, people = world
    profile = organization_profile(organization, year=timezone.localdate().year)
    assert profile.activities_run == 1
    assert profile.participants == 5 and profile.attendances == 5
    assert profile.hours == 10  # 5 people × 2 hours
    passbook_credit = sum(passbook_get(person=p).credit_total for p in people)
    assert profile.credit_total == passbook_credit > 0
    assert sum(row.credit for row in profile.credit_by_virtue) == passbook_credit
    assert profile.deeds_verified == 5  # closing verified them in the name of its admin
    last_year = organization_profile(organization, year=timezone.localdate().year - 1)
    assert (last_year.activities_run, last_year.participants, last_year.credit_total) == (0, None, None)


def test_fewer_than_five_people_are_not_shown(db):
    load_small_catalog()
    organization, organizer = _organization()
    _run_activity(organizer, [make_person(name=f"อาสา {n}") for n in range(4)])
    profile = organization_profile(organization, year=timezone.localdate().year)
    assert profile.activities_run == 1
    assert (profile.participants, profile.hours, profile.credit_total) == (None, None, None)
    assert profile.credit_by_virtue == [] and profile.credit_by_sdg == []


def test_the_page_shows_the_level_and_links_every_figure_to_its_rule(client, world):
    organization, organizer, _people = world
    assessor = make_assessor()
    _assessed(organization, organizer, assessor)
    response = client.get(reverse("impact:organization", args=[organization.public_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "องค์กรคุณธรรม" in page  # the level's name, in Thai by default
    how = reverse("impact:how", args=[organization.public_id])
    for anchor in (
        "level",
        "activities",
        "participants",
        "hours",
        "deeds_verified",
        "credit_by_virtue",
        "members",
    ):
        assert f"{how}?year={timezone.localdate().year}#{anchor}" in page
    how_page = client.get(how).content.decode()
    for anchor in (
        "level",
        "activities",
        "participants",
        "hours",
        "deeds_verified",
        "credit_by_virtue",
        "members",
    ):
        assert f'id="{anchor}"' in how_page


def test_the_report_downloads_as_a_pdf_with_thai_text_and_as_a_workbook(client, world):
    organization, _organizer, _people = world
    response = client.get(reverse("impact:report_pdf", args=[organization.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    if shutil.which("pdftotext") or os.environ.get("KWAMDEE_REQUIRE_BROWSER") == "1":  # .ci/run has it
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "โรงเรียนบ้านหนองสาหร่าย" in text  # shaped Thai that reads back exactly
    response = client.get(reverse("impact:report_xlsx", args=[organization.public_id]))
    book = load_workbook(io.BytesIO(response.content))
    figures = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert figures["กิจกรรมที่จัด"] == 1
    assert figures["ผู้ร่วมกิจกรรม"] == 5


def test_an_unlisted_organization_is_seen_only_by_its_people_and_a_waiting_one_by_nobody(client, world):
    organization, organizer, _people = world
    Organization.objects.filter(pk=organization.pk).update(listed=False)
    url = reverse("impact:organization", args=[organization.public_id])
    assert client.get(url).status_code == 404
    assert client.get(reverse("impact:report_pdf", args=[organization.public_id])).status_code == 404
    client.force_login(organizer)
    assert client.get(url).status_code == 200
    Organization.objects.filter(pk=organization.pk).update(state="pending")
    assert client.get(url).status_code == 404


def test_the_directory_lists_listed_organizations_with_their_level(client, world):
    organization, organizer, _people = world
    _assessed(organization, organizer, make_assessor())
    hidden, _ = _organization(listed=False, name="วัดที่ไม่ประสงค์ออกนาม")
    page = client.get(reverse("impact:directory")).content.decode()
    assert "โรงเรียนบ้านหนองสาหร่าย" in page and "องค์กรคุณธรรม" in page
    assert "วัดที่ไม่ประสงค์ออกนาม" not in page
    assert "โรงเรียน" not in client.get(reverse("impact:directory"), {"q": "ไม่มีชื่อนี้"}).content.decode()
    rows = client.get("/api/v1/directory").json()
    assert [r["name_th"] for r in rows] == ["โรงเรียนบ้านหนองสาหร่าย"]
    assert rows[0]["certificate"]["level"]
    profile = client.get(f"/api/v1/directory/{organization.public_id}").json()
    assert profile["participants"]["value"] == 5 and profile["participants"]["rule"]
    assert client.get(f"/api/v1/directory/{hidden.public_id}").status_code == 404


def test_the_directory_goes_page_by_page(client, db):
    for n in range(27):
        OrganizationFactory(name_th=f"องค์กรที่ {n:02d}", scope_area_code=NONG_SARAI, listed=True)
    first = client.get(reverse("impact:directory")).content.decode()
    assert "องค์กรที่ 00" in first and "องค์กรที่ 25" not in first and 'rel="next"' in first
    second = client.get(reverse("impact:directory"), {"page": 2}).content.decode()
    assert "องค์กรที่ 25" in second and "องค์กรที่ 26" in second
    rows = client.get("/api/v1/directory", {"offset": 25, "limit": 10}).json()
    assert [r["name_th"] for r in rows] == ["องค์กรที่ 25", "องค์กรที่ 26"]
    assert client.get("/api/v1/directory", {"limit": 500}).status_code == 422
