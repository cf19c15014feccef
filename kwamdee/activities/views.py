"""Web pages of activities: the list, the form, the page, the organizer's rotating code, the
participant's check-in, the person's own code, the organizer's check-in of a person, the
attendance file and the close (thin: each calls one service)."""

import uuid
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kwamdee.activities.attendance_file import (
    MAX_FILE_BYTES,
    attendance_template,
    attendance_upload,
)
from kwamdee.activities.codes import code_check, code_make, person_code_days, person_code_make, window_seconds
from kwamdee.activities.errors import AttendanceFileInvalid
from kwamdee.activities.forms import ActivityForm, AttendanceFileForm, CheckPersonForm
from kwamdee.activities.selectors import (
    activities_managed_by,
    activities_open,
    activity_get,
    activity_managed_by,
    attendance_of,
    attendances_of_activity,
    attendances_of_person,
    organizer_options,
)
from kwamdee.activities.services import (
    activity_check,
    activity_check_person,
    activity_close,
    activity_create,
    activity_register,
)
from kwamdee.areas.selectors import area_label
from kwamdee.common.errors import NotFound, ServiceError
from kwamdee.common.forms import form_add_service_error


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    context = {
        "managed": list(activities_managed_by(request.user)[:50]),
        "open": activities_open(),
        "mine": list(attendances_of_person(person=request.user).order_by("-activity__starts_at")[:20]),
        "can_create": bool(organizer_options(request.user)),
    }
    return render(request, "activities/list.html", context)


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    if not organizer_options(request.user):
        raise DjangoPermissionDenied
    form = ActivityForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        data = form.cleaned_data
        try:
            activity = activity_create(
                actor=request.user, organizer=data["organizer"], title=data["title"],
                deed_type_public_id=data["deed_type"], subdistrict_code=data["subdistrict_code"],
                starts_at=starts_at, ends_at=ends_at, capacity=data["capacity"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"ends_at": "end_time", "starts_at": "start_time"})
        else:
            messages.success(request, _("The activity is created. Show its code to the participants."))
            return redirect("activities:detail", public_id=activity.public_id)
    return render(request, "activities/new.html", {"form": form})


def _activity_or_404(public_id: uuid.UUID):  # type: ignore[no-untyped-def]
    activity = activity_get(public_id)
    if activity is None:
        raise Http404
    return activity


@login_required
def activity_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    activity = _activity_or_404(public_id)
    manages = activity_managed_by(request.user, activity)
    context = {
        "activity": activity,
        "place": area_label(activity.subdistrict_code),
        "manages": manages,
        "mine": attendance_of(activity, request.user),
        "attendances": attendances_of_activity(activity) if manages else [],
    }
    return render(request, "activities/detail.html", context)


@require_POST
@login_required
def activity_register_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        activity_register(actor=request.user, activity_public_id=public_id)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You are registered. On the day, scan the organizer's code to check in."))
    return redirect("activities:detail", public_id=public_id)


def check_in_url(request: HttpRequest, activity_public_id: uuid.UUID) -> str:
    path = reverse("activities:check_in", args=[activity_public_id])
    return request.build_absolute_uri(f"{path}?{urlencode({'code': code_make(activity_public_id)})}")


@login_required
def activity_code(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The organizer's screen: the code, changed every window (htmx asks for the part again)."""
    activity = _activity_or_404(public_id)
    if not activity_managed_by(request.user, activity):
        raise Http404  # as for an activity that does not exist
    url = check_in_url(request, activity.public_id)
    qr = segno.make(url, error="m")
    context = {
        "activity": activity,
        "url": url,
        "qr": qr.svg_data_uri(scale=6, border=2),
        "window": window_seconds(),
    }
    template = "activities/code_part.html" if request.headers.get("HX-Request") else "activities/code.html"
    return render(request, template, context)


@login_required
def activity_check_in(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Where the participant's camera leads: one big button, check in (or later, check out)."""
    activity = _activity_or_404(public_id)
    code = request.POST.get("code") or request.GET.get("code") or ""
    error = None
    if request.method == "POST":
        try:
            result = activity_check(
                actor=request.user,
                activity_public_id=public_id,
                code=code,
                action=request.POST.get("action", ""),
            )
        except NotFound:
            raise Http404 from None
        except ServiceError as exc:
            error = exc.message
        else:
            if result.action == "check_out":
                messages.success(request, _("You are checked out. Thank you for your good deed!"))
            else:
                messages.success(request, _("You are checked in. Scan the code again when you leave."))
            return redirect("activities:detail", public_id=public_id)
    else:
        try:
            code_check(activity.public_id, code)
        except ServiceError as exc:
            error = exc.message
    mine = attendance_of(activity, request.user)
    action = "check_out" if mine and mine.checked_in_at else "check_in"
    context = {"activity": activity, "code": code, "error": error, "mine": mine, "action": action}
    return render(request, "activities/check_in.html", context)


@login_required
def activity_close_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A confirmation page (GET), then the close (POST)."""
    activity = _activity_or_404(public_id)
    if not activity_managed_by(request.user, activity):
        raise Http404
    if request.method != "POST":
        attendances = attendances_of_activity(activity)
        checked_in = sum(1 for a in attendances if a.checked_in_at)
        return render(request, "activities/close.html", {"activity": activity, "checked_in": checked_in})
    try:
        outcomes = activity_close(actor=request.user, activity_public_id=public_id)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        credited = sum(1 for o in outcomes if o.credited)
        text = ngettext("Closed. %(n)s person was credited.", "Closed. %(n)s people were credited.", credited)
        messages.success(request, text % {"n": credited})
        for o in outcomes:
            if not o.credited and o.code != "absent":
                messages.warning(
                    request,
                    _("Not credited: %(name)s. %(reason)s")
                    % {"name": o.person.full_name, "reason": o.message},
                )
    return redirect("activities:detail", public_id=public_id)


@login_required
def my_code(request: HttpRequest) -> HttpResponse:
    """The person's own code, for an organizer to scan (or print it and carry it)."""
    code = person_code_make(getattr(request.user, "public_id", ""))  # signed in: login_required
    qr = segno.make(code, error="m")
    context = {"code": code, "qr": qr.svg_data_uri(scale=6, border=2), "days": person_code_days()}
    return render(request, "activities/my_code.html", context)


def _managed_or_404(request: HttpRequest, public_id: uuid.UUID):  # type: ignore[no-untyped-def]
    activity = _activity_or_404(public_id)
    if not activity_managed_by(request.user, activity):
        raise Http404  # as for an activity that does not exist
    return activity


@login_required
def activity_check_person_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The organizer checks people in or out: a scanner app pastes a person's code, or the
    organizer types a phone number. After each, an empty box for the next person."""
    activity = _managed_or_404(request, public_id)
    form = CheckPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = activity_check_person(
                actor=request.user, activity_public_id=public_id,
                person=form.cleaned_data["person"], action=form.cleaned_data["action"] or "check_in",
            )  # fmt: skip
        except NotFound:
            raise Http404 from None
        except ServiceError as exc:  # the page says why, with the box ready for another try
            form.add_error("person", str(exc.message))
        else:
            name = result.attendance.person.full_name
            if result.action == "check_out":
                text = (
                    _("%(name)s is checked out.")
                    if result.changed
                    else _("%(name)s was already checked out.")
                )
            else:
                text = (
                    _("%(name)s is checked in.") if result.changed else _("%(name)s was already checked in.")
                )
            messages.success(request, text % {"name": name})
            return redirect("activities:check_in_person", public_id=public_id)
    context = {"activity": activity, "form": form}
    return render(request, "activities/check_in_person.html", context)


@login_required
def attendance_file_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The organizer's attendance file: the form, then what was saved or every error by row."""
    activity = _managed_or_404(request, public_id)
    form = AttendanceFileForm(request.POST or None, request.FILES or None)
    errors: list = []
    summary = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            # One byte past the limit is enough to know the file is too large.
            content = form.cleaned_data["file"].read(MAX_FILE_BYTES + 1)
            summary = attendance_upload(actor=request.user, activity_public_id=public_id, content=content)
        except NotFound:
            raise Http404 from None
        except AttendanceFileInvalid as exc:
            errors, status = exc.errors, exc.status  # 400, or 413 for a file past a limit
        except ServiceError as exc:
            form_add_service_error(form, exc)
            status = exc.status
    context = {"activity": activity, "form": form, "errors": errors, "summary": summary}
    return render(request, "activities/attendance_file.html", context, status=status)


@login_required
def attendance_template_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The attendance file's header row, to fill in a spreadsheet."""
    _managed_or_404(request, public_id)
    response = HttpResponse(attendance_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kwamdee-attendance.csv"'
    return response
