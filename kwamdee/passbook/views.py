"""The passbook page (สมุดความดี)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kwamdee.common.db_router import primary_reads
from kwamdee.deeds.selectors import deeds_asked_of_person, deeds_pending_of_person
from kwamdee.deeds.witnessing import witness_requests
from kwamdee.passbook.selectors import passbook_entry_count, passbook_get
from kwamdee.people.selectors import consents_outdated, contact_confirmed
from kwamdee.rewards.levels import level_status
from kwamdee.rewards.redemptions import person_points_held

ENTRIES_PER_PAGE = 20


@login_required
@primary_reads()  # a person's own page: never a replica, so never stale
def passbook(request: HttpRequest) -> HttpResponse:
    # The pages are counted over the entries; only the shown page's entries are read.
    count = passbook_entry_count(person=request.user)
    page = Paginator(range(count), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    offset = (page.number - 1) * ENTRIES_PER_PAGE
    book = passbook_get(person=request.user, limit=ENTRIES_PER_PAGE, offset=offset)
    pending = deeds_pending_of_person(person=request.user) if page.number == 1 else []
    # Deeds a verifier asked about wait for the person: shown first, with the way to answer.
    asked = deeds_asked_of_person(person=request.user) if page.number == 1 else []
    # A consent given under a notice that has changed since: the person is asked again here.
    outdated = consents_outdated(person=request.user)  # type: ignore[arg-type]  # signed in
    context = {
        "book": book, "pending": pending, "asked": asked, "page": page, "consents_outdated": outdated,
        # A person who has not entered the code sent at sign-up is reminded here (people/codes.py).
        "contact_unconfirmed": not contact_confirmed(request.user),
        # Others named the person a witness of their deed: their answer is awaited.
        "witness_requests": witness_requests(witness=request.user).count() if page.number == 1 else 0,
        # The level from lifetime credit, the way to the next, and points set aside for codes.
        "level": level_status(request.user, credit=book.credit_total),
        "points_held": person_points_held(request.user),
    }  # fmt: skip
    return render(request, "passbook/passbook.html", context)
