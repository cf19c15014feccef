"""The auditor's desk (/review/) and the reversal through the API: only auditors see or act;
every refusal changes nothing."""

import pytest

from kwamdee.deeds.choices import FlagKind
from kwamdee.deeds.models import Deed, DeedFlag, DeedReversal
from kwamdee.deeds.services import deed_verify
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.passbook.selectors import passbook_get
from tests.api.test_api import post, token_for
from tests.deeds.test_reversal import make_auditor
from tests.deeds.test_services import record
from tests.factories import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(db):
    return make_auditor()


@pytest.fixture
def flagged(deed_types, citizen, verifier):
    """Two verified deeds of a new member, each with its open "new member" flag."""
    deeds = [record(citizen, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in (1, 2)]
    for deed in deeds:
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    return [DeedFlag.objects.get(deed=d, kind=FlagKind.NEW_MEMBER) for d in deeds]


def english(client, person):
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client


def test_the_desk_lists_open_flags_newest_first_with_the_person_and_the_words(client, auditor, flagged):
    page = english(client, auditor).get("/review/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('href="/review/flags/') == 2
    assert text.index(str(flagged[1].public_id)) < text.index(str(flagged[0].public_id))  # newest first
    assert "สมหญิง รักดี" in text and "of a member who joined less than 30 days before" in text


def test_the_desk_filters_by_kind(client, auditor, flagged):
    english(client, auditor)
    assert client.get("/review/?kind=burst").content.decode().count('href="/review/flags/') == 0
    assert client.get("/review/?kind=new_member").content.decode().count('href="/review/flags/') == 2
    assert client.get("/review/?kind=nonsense").status_code == 200  # a wrong filter shows every flag


def test_only_auditors_see_the_desk_and_the_flags(client, flagged, citizen, verifier):
    for path in ("/review/", f"/review/flags/{flagged[0].public_id}/"):
        assert client.get(path).status_code == 302  # to sign in
        for person in (citizen, verifier):
            client.force_login(person)
            assert client.get(path).status_code == 403
        client.logout()


def test_the_flag_page_shows_the_deed_and_an_unknown_flag_is_404(client, auditor, flagged):
    english(client, auditor)
    page = client.get(f"/review/flags/{flagged[0].public_id}/").content.decode()
    assert "Returning lost property" in page and "ช่วยงานวัด" in page and "Reverse the credit" in page
    assert client.get("/review/flags/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_dismissing_without_a_note_shows_the_page_again_and_changes_nothing(client, auditor, flagged):
    english(client, auditor)
    flag = flagged[0]
    response = client.post(f"/review/flags/{flag.public_id}/dismiss/", {"note": ""})
    assert response.status_code == 200 and "Please write a short note on why." in response.content.decode()
    assert DeedFlag.objects.get(pk=flag.pk).state == "open"
    response = client.post(f"/review/flags/{flag.public_id}/dismiss/", {"note": "คนในหมู่บ้านรู้จักกันดี"})
    assert response.status_code == 302 and DeedFlag.objects.get(pk=flag.pk).state == "dismissed"


def test_reversing_on_the_web(client, auditor, flagged, citizen):
    english(client, auditor)
    flag = flagged[0]
    response = client.post(f"/review/flags/{flag.public_id}/reverse/", {"reason_code": "", "note": ""})
    assert response.status_code == 200 and "Choose the reason" in response.content.decode()
    assert Deed.objects.get(pk=flag.deed_id).status == "verified" and not DeedReversal.objects.exists()

    response = client.post(f"/review/flags/{flag.public_id}/reverse/", {"reason_code": "duplicate"})
    assert response.status_code == 302
    assert Deed.objects.get(pk=flag.deed_id).status == "reversed"
    assert DeedFlag.objects.get(pk=flag.pk).state == "reversed"
    assert passbook_get(person=citizen).credit_total == 20  # the other deed's
    page = client.get(f"/review/flags/{flag.public_id}/").content.decode()
    assert "Taken back: 20 credit and 20 points." in page and "Reverse the credit</button>" not in page
    # again: refused, said on the page, taken back once
    client.post(f"/review/flags/{flag.public_id}/reverse/", {"reason_code": "duplicate"})
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1


def test_a_non_auditor_cannot_reverse_on_the_web(client, flagged, verifier):
    client.force_login(verifier)
    response = client.post(f"/review/flags/{flagged[0].public_id}/reverse/", {"reason_code": "fraudulent"})
    assert response.status_code == 403
    assert Deed.objects.get(pk=flagged[0].deed_id).status == "verified"


def test_the_api_reverses_for_auditors_only(client, flagged, verifier):
    auditor = make_auditor(name="ผู้ตรวจ เอพีไอ")
    deed = flagged[0].deed
    url = f"/api/v1/deeds/{deed.public_id}/reverse"
    refused = post(client, url, {"reason_code": "fraudulent"}, token_for(client, verifier.phone))
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    token = token_for(client, auditor.phone)
    assert post(client, url, {}, token).status_code == 422  # no reason code
    assert post(client, url, {"reason_code": "he lied"}, token).status_code == 422
    assert Deed.objects.get(pk=deed.pk).status == "verified"

    done = post(client, url, {"reason_code": "entered_in_error"}, token, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["reversal_code"]) == ("reversed", "entered_in_error")
    assert body["reversal_reason"] == "The credit was entered in error."
    again = post(client, url, {"reason_code": "entered_in_error"}, token)
    assert again.status_code == 409 and again.json()["code"] == "credit_already_reversed"
    missing = post(
        client,
        "/api/v1/deeds/00000000-0000-0000-0000-000000000000/reverse",
        {"reason_code": "duplicate"},
        token,
    )
    assert missing.status_code == 404
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1


def test_the_person_sees_the_reversal_through_the_api(client, flagged, citizen):
    auditor = make_auditor(name="ผู้ตรวจ สอง")
    deed = flagged[0].deed
    post(
        client,
        f"/api/v1/deeds/{deed.public_id}/reverse",
        {"reason_code": "duplicate"},
        token_for(client, auditor.phone),
    )
    mine = client.get(
        f"/api/v1/deeds/{deed.public_id}", HTTP_AUTHORIZATION=f"Bearer {token_for(client, citizen.phone)}"
    )
    assert mine.json()["status"] == "reversed" and mine.json()["reversal_code"] == "duplicate"
