"""The verifier's desk (kwamdee/deeds/desk.py, the queue page and GET /api/v1/deeds/queue): what
each deed will earn, the person's recent deeds of its type against the limits, the files, a new
account; the filters, kept across pages and after a bulk verification; a bounded query count."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import urlencode

from kwamdee.catalog.services import catalog_load, community_rule_adjust
from kwamdee.deeds.choices import FlagKind, RejectionReason
from kwamdee.deeds.desk import DeskFilters, desk_details, desk_queue
from kwamdee.deeds.flags import flags_raise
from kwamdee.deeds.models import Deed, DeedFlag
from kwamdee.deeds.services import deed_record, deed_reject, deed_verify, deeds_verify_bulk
from kwamdee.people.models import User
from tests.api.test_api import get, token_for
from tests.catalog.test_services import make_community_admin
from tests.evidence.helpers import jpeg_with_gps, pdf
from tests.factories import (
    NONG_SARAI,
    PASSWORD,
    PHANOM_THUAN,
    SMALL_CATALOG,
    SYSTEM,
    _deed_type,
    approve_proposals,
    days_ago,
    make_community,
    make_person,
    make_verifier,
)

QUEUE = "/deeds/queue/"


def record(person, deed_type, on=None, quantity=None, files=(), text="ช่วยงานส่วนรวมของหมู่บ้าน"):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=on or days_ago(1),
        description=text, quantity=quantity, evidence_files=list(files),
    )  # fmt: skip


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def verifier_client(client, verifier):
    assert client.login(username=verifier.phone, password=PASSWORD)
    return english(client)


def details_of(verifier, *deeds):
    """The desk's details of these deeds, read as the queue page reads them."""
    found = {d.pk: d for d in desk_queue(verifier=verifier)}
    rows = desk_details([found[d.pk] for d in deeds])
    return [rows[d.pk] for d in deeds]


# --- expected credit and points ------------------------------------------------------------------


def test_expected_credit_and_points_are_what_verifying_then_credits(deed_types, verifier):
    # given deeds priced per hour, per unit and per deed, and one under the community's own rule
    community = make_community()
    member = make_person(name="สมาชิก ชุมชน")
    admin = make_community_admin(community)
    community_rule_adjust(
        actor=admin, community=community, deed_type=deed_types["returning-lost-property"],
        effective_from=timezone.localdate(), credit_per_unit=30, points_per_unit=10,
    )  # fmt: skip
    approve_proposals(community)
    other = make_person(name="มานี ใจงาม")
    deeds = [
        record(other, deed_types["volunteer-hours"], quantity="1.5"),  # 8 an hour: 12
        record(other, deed_types["tree-planting"], quantity="7"),  # 1 a tree: 7
        record(other, deed_types["blood-donation"]),  # 20 credit, no points
        record(other, deed_types["returning-lost-property"]),  # national: 20 and 20
        record(member, deed_types["returning-lost-property"], on=timezone.localdate()),  # the community's
    ]
    member.refresh_from_db()
    assert member.community_id == community.pk

    # when the desk shows them
    shown = details_of(verifier, *deeds)
    expected = [(d.credit, d.points) for d in shown]

    # then each is what verifying credits, under the same rule version
    assert expected == [(12, 12), (7, 7), (20, 0), (20, 20), (30, 10)]
    assert shown[4].rule.community_id == community.pk and shown[3].rule.community_id is None
    outcomes = deeds_verify_bulk(actor=verifier, deed_public_ids=[d.public_id for d in deeds])
    assert [(o.credit, o.points) for o in outcomes] == expected
    credited = {d.pk: d for d in Deed.objects.filter(pk__in=[d.pk for d in deeds])}
    assert [credited[d.pk].rule_version_id for d in deeds] == [s.rule.pk for s in shown]


def test_the_page_shows_what_each_deed_earns_with_its_quantity(verifier_client, deed_types):
    person = make_person(name="ปิติ ชูใจ")
    record(person, deed_types["volunteer-hours"], quantity="1.5")
    record(person, deed_types["tree-planting"], quantity="7")
    page = verifier_client.get(QUEUE).content.decode()
    assert "1.50 hours" in page and "7 tree" in page
    assert '<strong>12</strong> <span class="unit">credit</span>' in page
    assert '<strong>7</strong> <span class="unit">points</span>' in page
    assert "(rule version 1)" in page


def test_a_large_credit_says_it_needs_a_second_approval(verifier_client, deed_types, settings):
    settings.KWAMDEE_SECOND_APPROVAL_CREDIT = 10
    deed = record(make_person(name="ปิติ ชูใจ"), deed_types["volunteer-hours"], quantity="2")  # 16 credit
    page = verifier_client.get(QUEUE).content.decode()
    assert "your verification is the first of two approvals" in page
    # another verifier of the area approves it first: this one's verification credits it
    deed_verify(actor=make_verifier(name="ผู้ตรวจ คนที่สอง"), deed_public_id=deed.public_id)
    assert Deed.objects.get(pk=deed.pk).status == "pending"
    page = verifier_client.get(QUEUE).content.decode()
    assert "approved once already: your verification credits it" in page


# --- the person's recent deeds of the type ---------------------------------------------------------


def _anchor() -> date:
    """A Wednesday between the 10th and the 20th of a month from March on, two weeks ago or more:
    its day before is in the same week and month, a week before in the same month, 40 days
    before in the same year, and all of them less than a year ago."""
    day = timezone.localdate() - timedelta(days=14)
    while not (day.weekday() == 2 and 10 <= day.day <= 20 and day.month >= 3):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def limited(deed_types):
    """A deed type with a limit in every window: 2 a day, 3 a week, 5 a month, 10 a year."""
    limits = {"per_day": 2, "per_week": 3, "per_month": 5, "per_year": 10}
    catalog_load(
        actor=SYSTEM,
        data={**SMALL_CATALOG, "deed_types": [_deed_type("reading-to-elders", "per_deed", 5, 5,
                                                          {"volunteerism": 1}, limits=limits)]},
    )  # fmt: skip
    from kwamdee.catalog.selectors import deed_type_by_code

    return deed_type_by_code("reading-to-elders")


def test_history_counts_the_persons_deeds_of_the_type_in_each_window(deed_types, limited, verifier):
    d = _anchor()
    person = make_person(name="บุญมา ศรีสุข")
    # a rejected deed counts for nothing (recorded first: the week's limit is reached later)
    deed_reject(
        actor=verifier, deed_public_id=record(person, limited, on=d - timedelta(days=2)).public_id,
        reason_code=RejectionReason.DUPLICATE, reason="",
    )  # fmt: skip
    earlier = record(person, limited, on=d)
    deed_verify(actor=verifier, deed_public_id=earlier.public_id)
    this = record(person, limited, on=d)
    record(person, limited, on=d - timedelta(days=1))  # same week and month
    record(person, limited, on=d - timedelta(days=7))  # the week before, same month
    record(person, limited, on=d - timedelta(days=40))  # another month, same year
    record(make_person(name="คนอื่น ในหมู่บ้าน"), limited, on=d)  # another person: not counted
    record(person, deed_types["returning-lost-property"], on=d)  # another type: not counted

    [shown] = details_of(verifier, this)

    assert [(h.window, h.count, h.verified, h.limit) for h in shown.history] == [
        ("day", 2, 1, 2),
        ("week", 3, 1, 3),
        ("month", 4, 1, 5),
        ("year", 5, 1, 10),
    ]
    assert [h.at_limit for h in shown.history] == [True, True, False, False]
    assert not any(h.over for h in shown.history)
    labels = [h.label for h in shown.history]
    assert labels[0] in ("2 of 2 on the same day (1 verified)", "2 จาก 2 ครั้งในวันเดียวกัน (รับรองแล้ว 1)")


def test_history_in_words_on_the_page(verifier_client, deed_types, verifier):
    person = make_person(name="ปิติ ชูใจ")
    deed_verify(
        actor=verifier, deed_public_id=record(person, deed_types["volunteer-hours"], quantity="1").public_id
    )
    record(person, deed_types["volunteer-hours"], quantity="1")  # the same day: 2 of 2
    record(person, deed_types["tree-planting"], quantity="3")  # no limit: the year's count
    page = verifier_client.get(QUEUE).content.decode()
    assert "2 of 2 on the same day (1 verified)" in page and "at the limit" in page
    assert "1 in the same year" in page


def test_a_new_account_is_marked_and_an_old_one_is_not(verifier_client, deed_types):
    new = make_person(name="คนใหม่ เพิ่งสมัคร")
    old = make_person(name="คนเก่า อยู่นาน")
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=400))
    record(new, deed_types["returning-lost-property"])
    record(old, deed_types["returning-lost-property"])
    page = verifier_client.get(QUEUE).content.decode()
    cards = page.split('data-testid="desk-card"')[1:]
    assert len(cards) == 2
    new_card = next(c for c in cards if "คนใหม่" in c)
    old_card = next(c for c in cards if "คนเก่า" in c)
    assert 'data-testid="new-account"' in new_card and 'data-testid="new-account"' not in old_card


def test_photos_are_lazy_thumbnails_and_documents_links(verifier_client, deed_types):
    deed = record(make_person(name="ปิติ ชูใจ"), deed_types["tree-planting"], quantity="2",
                  files=[jpeg_with_gps(), pdf()])  # fmt: skip
    photo, document = deed.evidence_files.order_by("id")
    page = verifier_client.get(QUEUE).content.decode()
    assert f'<img src="/deeds/evidence/{photo.public_id}/" width="88" height="88" loading="lazy"' in page
    assert f'href="/deeds/evidence/{document.public_id}/" class="desk-doc"' in page
    assert "Document 2 (PDF," in page
    # the thumbnail is the evidence view itself: the verifier may open it
    assert verifier_client.get(f"/deeds/evidence/{photo.public_id}/").status_code == 200


def test_open_flags_are_shown_and_dismissed_ones_not(verifier_client, deed_types):
    person = make_person(name="ปิติ ชูใจ")
    flagged = record(person, deed_types["returning-lost-property"])
    flags_raise([(flagged.pk, FlagKind.BURST, {"count": 6, "minutes": 60, "threshold": 5})])
    page = verifier_client.get(QUEUE).content.decode()
    assert 'data-testid="deed-flags"' in page and "recorded 6 deeds within 60 minutes" in page
    flagged.flags.update(state="dismissed")
    assert 'data-testid="deed-flags"' not in verifier_client.get(QUEUE).content.decode()


# --- filters --------------------------------------------------------------------------------------


def ids_on(response):
    return {d.public_id for d in response.context["deeds"]}


@pytest.fixture
def spread(deed_types):
    """A district verifier and deeds of two types, two subdistricts and two dates."""
    verifier = make_verifier(scope="7109", name="ผู้ตรวจ อำเภอ")
    here = make_person(name="คน หนองสาหร่าย")
    there = make_person(name="คน พนมทวน", subdistrict=PHANOM_THUAN)
    deeds = {
        "old_lost": record(here, deed_types["returning-lost-property"], on=days_ago(20)),
        "new_trees": record(here, deed_types["tree-planting"], on=days_ago(2), quantity="4"),
        "there_lost": record(there, deed_types["returning-lost-property"], on=days_ago(5)),
    }
    return verifier, deeds


@pytest.fixture
def district_client(client, spread):
    assert client.login(username=spread[0].phone, password=PASSWORD)
    return english(client)


def test_filters_offer_only_what_waits_and_each_narrows(district_client, spread):
    _verifier, d = spread
    first = district_client.get(QUEUE)
    form = first.context["filter_form"]
    assert [c for c, _label in form.fields["deed_type"].choices] == [
        "",
        "returning-lost-property",
        "tree-planting",
    ]
    assert {c for c, _label in form.fields["area"].choices} == {"", NONG_SARAI, PHANOM_THUAN}
    assert ids_on(first) == {x.public_id for x in d.values()}

    by_type = district_client.get(QUEUE, {"deed_type": "tree-planting"})
    assert ids_on(by_type) == {d["new_trees"].public_id}
    by_area = district_client.get(QUEUE, {"area": PHANOM_THUAN})
    assert ids_on(by_area) == {d["there_lost"].public_id}
    by_dates = district_client.get(
        QUEUE, {"done_from": days_ago(10).isoformat(), "done_to": days_ago(3).isoformat()}
    )
    assert ids_on(by_dates) == {d["there_lost"].public_id}
    since = district_client.get(QUEUE, {"done_from": days_ago(6).isoformat()})
    assert ids_on(since) == {d["there_lost"].public_id, d["new_trees"].public_id}
    both = district_client.get(QUEUE, {"deed_type": "returning-lost-property", "area": NONG_SARAI})
    assert ids_on(both) == {d["old_lost"].public_id}
    assert "1 deed waiting matches the filter." in both.content.decode()


def test_flagged_only(district_client, spread):
    _verifier, d = spread
    DeedFlag.objects.update(state="dismissed")  # the new members' first deeds were flagged
    flags_raise([(d["new_trees"].pk, FlagKind.SAME_FILE, {"count": 1, "own": 0}),
                 (d["new_trees"].pk, FlagKind.BURST, {"count": 5})])  # fmt: skip
    flags_raise([(d["old_lost"].pk, FlagKind.BURST, {"count": 5})])
    d["old_lost"].flags.update(state="dismissed")
    response = district_client.get(QUEUE, {"flagged": "on"})
    assert [x.public_id for x in response.context["deeds"]] == [d["new_trees"].public_id]  # once


def test_a_filter_that_matches_nothing_says_so(district_client, spread):
    response = district_client.get(QUEUE, {"done_to": days_ago(300).isoformat()})
    page = response.content.decode()
    assert response.status_code == 200 and not response.context["deeds"]
    assert "No deed waiting for you matches these filters." in page and 'href="/deeds/queue/"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"deed_type": "no-such-type"}, "There is no such deed type, so the queue shows every type."),
        ({"deed_type": "x" * 5000}, "There is no such deed type, so the queue shows every type."),
        ({"area": "999999"}, "There is no such subdistrict, so the queue shows every area."),
        ({"area": "<script>"}, "There is no such subdistrict, so the queue shows every area."),
        ({"done_from": "yesterday"}, "This is not a date, so the queue is not limited by it."),
        ({"done_to": "2026-02-31"}, "This is not a date, so the queue is not limited by it."),
        ({"done_from": days_ago(1).isoformat(), "done_to": days_ago(30).isoformat()},
         "This day is before the first day, so the dates are not used."),
    ],
)  # fmt: skip
def test_a_bad_filter_value_is_named_and_the_queue_is_not_filtered_by_it(
    district_client, spread, params, message
):
    _verifier, d = spread
    response = district_client.get(QUEUE, params)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and "There is a problem" in page
    assert "<title>Error:" in page
    assert ids_on(response) == {x.public_id for x in d.values()}
    assert "<script>" not in page.split("<main", 1)[1].split("</main>")[0].replace("<script src=", "")


@pytest.mark.parametrize("params", [{"deed_type": "blood-donation"}, {"area": "100101"}])
def test_a_real_type_or_area_with_nothing_waiting_filters_to_an_empty_queue(district_client, spread, params):
    # as after the verifier verified the last deed of that type: no error, the empty state
    response = district_client.get(QUEUE, params)
    page = response.content.decode()
    assert response.status_code == 200 and not response.context["deeds"]
    assert "There is a problem" not in page
    assert "No deed waiting for you matches these filters." in page
    assert response.context["filter_query"] == urlencode(params)


def test_a_bad_value_beside_a_good_one_keeps_the_good_one(district_client, spread):
    _verifier, d = spread
    response = district_client.get(QUEUE, {"deed_type": "tree-planting", "done_from": "nonsense"})
    assert ids_on(response) == {d["new_trees"].public_id}
    assert response.context["filter_query"] == "deed_type=tree-planting"


def test_filters_are_kept_across_pages_and_by_select_all(district_client, spread, monkeypatch):
    from kwamdee.deeds import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 1)
    response = district_client.get(QUEUE, {"deed_type": "returning-lost-property"})
    page = response.content.decode()
    assert "Page 1 of 2" in page
    assert 'href="?deed_type=returning-lost-property&amp;page=2"' in page
    assert 'href="?deed_type=returning-lost-property&amp;select=all"' in page
    assert 'name="filters" value="deed_type=returning-lost-property"' in page
    second = district_client.get(QUEUE, {"deed_type": "returning-lost-property", "page": "2"})
    assert (
        len(second.context["deeds"]) == 1
        and second.context["deeds"][0].deed_type.code == "returning-lost-property"
    )


def test_filters_are_kept_after_a_bulk_verification_and_only_the_desks_own(district_client, spread):
    _verifier, d = spread
    body = {
        "deeds": [str(d["old_lost"].public_id)],
        "page": "2",
        "filters": "deed_type=returning-lost-property&area=710911&next=https://evil.example/&done_from=2026-01-01",
    }
    response = district_client.post("/deeds/queue/verify/", body)
    assert response.status_code == 302
    assert response["Location"] == (
        "/deeds/queue/?page=2&deed_type=returning-lost-property&area=710911&done_from=2026-01-01"
    )
    assert Deed.objects.get(pk=d["old_lost"].pk).status == "verified"
    # with nothing ticked, back to the same filtered queue too
    response = district_client.post("/deeds/queue/verify/", {"filters": "area=710901"})
    assert response["Location"] == "/deeds/queue/?area=710901"


def test_thai_by_default(client, verifier, deed_types):
    record(make_person(name="ปิติ ชูใจ"), deed_types["volunteer-hours"], quantity="2")
    assert client.login(username=verifier.phone, password=PASSWORD)
    page = client.get(QUEUE).content.decode()
    assert "ตัวกรอง" in page or "กรองตาม" in page
    assert "2 ชั่วโมง" in page and "บัญชีใหม่" in page


# --- queries --------------------------------------------------------------------------------------


def _queries(client, url="/deeds/queue/"):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_two_deeds_or_twenty(verifier_client, deed_types, verifier,
                                                                  django_assert_max_num_queries):  # fmt: skip
    def many(n, start):
        for i in range(start, start + n):
            person = make_person(name=f"คน ที่ {i}")
            kind = deed_types["tree-planting"] if i % 2 else deed_types["volunteer-hours"]
            deed = record(person, kind, quantity="2", files=[jpeg_with_gps()] if i % 3 == 0 else [])
            flags_raise([(deed.pk, FlagKind.NEW_MEMBER, {"nth": 1, "first": 3, "days": 30})])
            deed_verify(actor=verifier, deed_public_id=record(person, deed_types["blood-donation"]).public_id)
            record(person, deed_types["returning-lost-property"])

    many(1, 0)  # two deeds waiting
    verifier_client.get(QUEUE)  # the rules cache, as a server that ran before
    few = _queries(verifier_client)
    # 17: the session, the person, their second factor, two of permissions, their organizations
    # and committees (the scope), the header's menu (organizations again) and bell; the desk: the
    # filters' deed types and areas, the count, the page, the rules (none once the per-process
    # cache holds them; a test's transaction never commits, so one here), files, history, flags.
    assert few <= 18
    many(9, 1)  # twenty deeds waiting, of four deed types, with photos, flags and history
    assert len(verifier_client.get(QUEUE).context["deeds"]) == 20
    assert _queries(verifier_client) == few
    with django_assert_max_num_queries(30):
        verifier_client.get(QUEUE, {"deed_type": "tree-planting", "flagged": "on"})


# --- the API --------------------------------------------------------------------------------------


def test_api_queue_filters_and_expected_credit(client, spread):
    verifier, d = spread
    token = token_for(client, verifier.phone)
    rows = get(client, "/api/v1/deeds/queue", token).json()
    assert {r["public_id"] for r in rows} == {str(x.public_id) for x in d.values()}
    trees = get(client, "/api/v1/deeds/queue?deed_type=tree-planting", token).json()
    assert [(r["public_id"], r["expected_credit"], r["expected_points"], r["expected_rule_version"])
            for r in trees] == [(str(d["new_trees"].public_id), 4, 4, 1)]  # fmt: skip
    there = get(client, f"/api/v1/deeds/queue?area={PHANOM_THUAN}", token).json()
    assert [r["public_id"] for r in there] == [str(d["there_lost"].public_id)]
    dated = get(client, f"/api/v1/deeds/queue?performed_from={days_ago(6)}&performed_to={days_ago(3)}", token)
    assert [r["public_id"] for r in dated.json()] == [str(d["there_lost"].public_id)]
    assert get(client, "/api/v1/deeds/queue?deed_type=no-such-type", token).json() == []
    DeedFlag.objects.update(state="dismissed")  # the new members' first deeds were flagged
    flags_raise([(d["old_lost"].pk, FlagKind.BURST, {"count": 5})])
    flagged = get(client, "/api/v1/deeds/queue?flagged=true", token).json()
    assert [r["public_id"] for r in flagged] == [str(d["old_lost"].public_id)]

    # what it says is what verifying credits
    verified = client.post(
        f"/api/v1/deeds/{d['new_trees'].public_id}/verify", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert (verified["credit_awarded"], verified["points_awarded"]) == (4, 4)


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        (f"performed_from={date(2026, 3, 2)}&performed_to={date(2026, 3, 1)}", 400, "performed_to"),
        ("performed_from=yesterday", 422, "performed_from"),
        ("area=12", 400, "area"),
        ("area=999999", 400, "area"),
        ("area=1234567", 422, "area"),
    ],
)
def test_api_queue_bad_filters(client, spread, query, status, field):
    verifier, _d = spread
    response = get(client, f"/api/v1/deeds/queue?{query}", token_for(client, verifier.phone))
    assert response.status_code == status, response.content
    assert response.json()["code"] == "validation_failed" and field in response.json()["fields"]


def test_api_schema_declares_the_filters_and_the_expected_fields(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/deeds/queue"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "deed_type",
        "area",
        "performed_from",
        "performed_to",
        "flagged",
    }
    assert {"400", "422"} <= set(operation["responses"])
    item = spec["components"]["schemas"]["QueueDeedOut"]["properties"]
    assert {"expected_credit", "expected_points", "expected_rule_version"} <= set(item)


def test_desk_filters_directly(spread):
    verifier, d = spread
    assert {x.pk for x in desk_queue(verifier=verifier, filters=DeskFilters(area=NONG_SARAI))} == {
        d["old_lost"].pk,
        d["new_trees"].pk,
    }
    # never outside the verifier's reach, whatever the filter says
    far_verifier = make_verifier(scope="100101", subdistrict="100101", name="ผู้ตรวจ กรุงเทพ")
    assert not desk_queue(verifier=far_verifier, filters=DeskFilters(area=NONG_SARAI)).exists()
