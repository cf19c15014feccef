"""The passbook page (สมุดความดี)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kwamdee.deeds.selectors import deeds_of_person
from kwamdee.ledger.selectors import passbook_get


@login_required
def passbook(request):
    book = passbook_get(person=request.user)
    pending = deeds_of_person(person=request.user).filter(status="pending")[:20]
    return render(request, "ledger/passbook.html", {"book": book, "pending": pending})
