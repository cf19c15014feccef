"""A person's notifications: the list, marking read, and the choice of e-mail and SMS. Thin: each
view calls one selector or service (docs/architecture.md)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.common.errors import NotFound
from kwamdee.notifications.forms import PreferencesForm
from kwamdee.notifications.selectors import notifications_of, preferences_of
from kwamdee.notifications.services import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)
from kwamdee.notifications.texts import notification_text
from kwamdee.people.messaging import channel_available

PAGE_SIZE = 20


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_of(person=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(row, notification_text(row.kind, row.params)) for row in page]
    any_unread = any(row.read_at is None for row, _text in items)
    return render(
        request, "notifications/list.html", {"page": page, "items": items, "any_unread": any_unread}
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Marks one of one's own notifications read, then opens what it is about."""
    try:
        row = notification_mark_read(person=request.user, notification_public_id=public_id)
    except NotFound:
        raise Http404 from None
    if request.POST.get("open") and row.link.startswith("/"):
        return redirect(row.link)
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(person=request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    prefs = preferences_of(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            notification_preferences_set(
                actor=request.user, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"]
            )
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(initial={"email": prefs.email, "sms": prefs.sms})
    context = {
        "form": form,
        "prefs": prefs,
        "email_to": prefs.contacts.get("email"),
        "sms_to": prefs.contacts.get("sms") if channel_available("sms") else None,
    }
    return render(request, "notifications/preferences.html", context)
