"""Notifications of the goodness bank and the time bank: a borrower told of each step of their
loan, and the other side of a time-bank exchange asked to confirm, then told the answer. Made from
the audit events in the deciding transaction; loans and the time bank are never imported by
notifications."""

import uuid
from datetime import date

import pytest
from django.utils import translation

from kwamdee.common.i18n import hours_and_minutes
from kwamdee.loans.services import (
    loan_apply,
    loan_approve,
    loan_decline,
    loan_disburse,
    loan_repayment_record,
)
from kwamdee.notifications.models import Notification
from kwamdee.notifications.texts import notification_text
from kwamdee.timebank.services import exchange_confirm, exchange_decline, exchange_propose
from tests.loans.factories import borrower, nong_sarai_product, open_bank
from tests.timebank.factories import member, time_community

pytestmark = pytest.mark.django_db


def _texts(person):
    """The person's notifications, oldest first, as an English reader sees them."""
    with translation.override("en"):
        rows = Notification.objects.filter(person=person).order_by("id")
        return [(row.kind, notification_text(row.kind, row.params).title, row.link) for row in rows]


def _apply(person, product, baht):
    return loan_apply(actor=person, product=product, principal_satang=baht * 100, instalments=3,
                      pledge_points=20, key=str(uuid.uuid4()))  # fmt: skip


def test_a_borrower_is_told_when_the_loan_is_approved_paid_out_and_a_repayment_is_recorded():
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund)
    person = borrower(points=100, credit=100)
    loan = _apply(person, product, 30_000)

    loan_approve(actor=first, loan=loan)
    assert _texts(person) == []  # one approval of the two needed: nothing to tell yet
    loan_approve(actor=second, loan=loan)
    loan_disburse(actor=first, loan=loan, on=date(2027, 1, 10))
    loan_repayment_record(actor=second, loan=loan, amount_satang=1_005_833, paid_on=date(2027, 2, 9),
                          reference="R-1")  # fmt: skip

    link = f"/loans/{loan.public_id}/"
    assert _texts(person) == [
        ("loan_approved", "Your loan of 30,000.00 baht is approved", link),
        ("loan_disbursed", "Your loan of 30,000.00 baht is paid out", link),
        ("loan_repayment_recorded", "Your repayment of 10,058.33 baht is recorded", link),
    ]
    # the committee members are told nothing of another's loan
    assert not Notification.objects.filter(person__in=[first, second]).exists()


def test_a_declined_application_tells_the_person_their_points_are_back():
    fund, first, _second = open_bank(baht=50_000)
    person = borrower(points=100, credit=100)
    loan = _apply(person, nong_sarai_product(fund), 10_000)

    loan_decline(actor=first, loan=loan, reason="ขอเอกสารเพิ่ม")

    [(kind, title, _link)] = _texts(person)
    assert (kind, title) == ("loan_declined", "Your loan application of 10,000.00 baht was not approved")
    with translation.override("en"):
        row = Notification.objects.get(person=person)
        assert (
            notification_text(row.kind, row.params).body == "Your pledged points are back in your passbook."
        )


def test_the_other_side_of_an_exchange_is_asked_to_confirm_and_the_proposer_told_the_answer():
    time_community()
    giver, receiver = member("ผู้ให้ เวลา"), member("ผู้รับ เวลา")

    exchange = exchange_propose(actor=giver, giver=giver, receiver=receiver, minutes=150,
                                category_code="elder-care")  # fmt: skip
    assert _texts(giver) == []
    link = f"/timebank/exchanges/{exchange.public_id}/"
    assert _texts(receiver) == [
        ("time_exchange_proposed", "A time-bank exchange of 2 hours 30 minutes waits for you", link)
    ]
    exchange_confirm(actor=receiver, exchange=exchange)
    assert _texts(giver) == [
        ("time_exchange_confirmed", "Your time-bank exchange of 2 hours 30 minutes is confirmed", link)
    ]

    # proposed by the receiver this time, and declined by the giver
    second = exchange_propose(actor=receiver, giver=giver, receiver=receiver, minutes=45,
                              category_code="elder-care")  # fmt: skip
    exchange_decline(actor=giver, exchange=second)
    assert [kind for kind, _title, _link in _texts(giver)][-1] == "time_exchange_proposed"
    assert _texts(receiver)[-1][:2] == (
        "time_exchange_declined",
        "Your proposed time-bank exchange of 45 minutes was declined",
    )


@pytest.mark.parametrize(
    ("minutes", "words"), [(0, "0 hours"), (1, "1 minute"), (60, "1 hour"), (61, "1 hour 1 minute"),
                           (600, "10 hours"), (-90, "1 hour 30 minutes")],
)  # fmt: skip
def test_minutes_read_as_hours_and_minutes(minutes, words):
    with translation.override("en"):
        assert hours_and_minutes(minutes) == words


def test_the_list_opens_a_loan_notice_with_open_not_open_the_deed(client):
    fund, first, _second = open_bank(baht=50_000)
    person = borrower(points=100, credit=100)
    loan = _apply(person, nong_sarai_product(fund), 10_000)
    loan_decline(actor=first, loan=loan)
    client.force_login(person)

    page = client.get("/notifications/").content.decode()  # in Thai, the site's language

    assert "เปิดดู" in page and "เปิดความดี" not in page
