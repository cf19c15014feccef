"""The passbook page (สมุดความดี)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kwamdee.common.db_router import primary_reads
from kwamdee.deeds.selectors import deeds_pending_of_person
from kwamdee.passbook.selectors import passbook_get


@login_required
@primary_reads()  # a person's own page: never a replica, so never stale
def passbook(request: HttpRequest) -> HttpResponse:
    book = passbook_get(person=request.user)
    pending = deeds_pending_of_person(person=request.user)
    return render(request, "passbook/passbook.html", {"book": book, "pending": pending})
