"""A citizen's pages of privileges: the privileges near them, one privilege and redeeming it,
the code to show at the counter (and cancelling it), their codes, and the levels."""

import os
import uuid
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kwamdee.common.errors import PermissionDenied, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.people.selectors import consent_active, contact_confirmed
from kwamdee.rewards.choices import LimitPeriod, RedemptionState
from kwamdee.rewards.forms_redeem import RedeemForm
from kwamdee.rewards.levels import LevelStatus, level_status, levels_for
from kwamdee.rewards.models import Level, Privilege, Redemption
from kwamdee.rewards.privileges import privilege_get, privileges_near
from kwamdee.rewards.redemptions import (
    Redeemability,
    code_display,
    person_points,
    person_points_held,
    redeemability,
    redemption_cancel,
    redemption_create,
    redemption_expire,
    redemption_get,
    redemption_visible_to,
    redemptions_of,
)

PRIVILEGES_PAGE_SIZE = 12
REDEMPTIONS_PAGE_SIZE = 20
# The list's filters: everything near the person, what their points pay for, what their level opens.
SHOW_ALL, SHOW_AFFORD, SHOW_REACH = "all", "afford", "reach"
PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


# --- words for numbers (what a person reads on a card) ---------------------------------------


def duration_words(minutes: int) -> str:
    """A code's time to live in plain words: "60 minutes", "4 hours", "7 days"."""
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def limit_words(privilege: Privilege) -> str:
    n = privilege.per_person_limit
    if not n:
        return _("No limit per person")
    if privilege.per_person_period == LimitPeriod.DAY:
        return ngettext("Up to %(n)s time a day", "Up to %(n)s times a day", n) % {"n": n}
    if privilege.per_person_period == LimitPeriod.MONTH:
        return ngettext("Up to %(n)s time a month", "Up to %(n)s times a month", n) % {"n": n}
    return ngettext("Up to %(n)s time in all", "Up to %(n)s times in all", n) % {"n": n}


def level_name(rank: int, levels: list[Level]) -> str:
    """A privilege's minimum level, named in its partner's set of levels (the set it is read in)."""
    for level in levels:
        if level.rank == rank:
            return level.name
    return _("Level %(n)s") % {"n": rank}


def refusal_words(check: Redeemability, privilege: Privilege, levels: list[Level]) -> str:
    """Why the person cannot redeem now, short, for a card (the service's message says more)."""
    code = check.refusal.code if check.refusal is not None else ""
    if code == "not_enough_points":
        return _("You need %(n)s more points.") % {"n": privilege.cost_points - check.points}
    if code == "level_too_low":
        return _("It opens at the level “%(level)s”.") % {"level": level_name(privilege.min_level, levels)}
    if code == "out_of_stock":
        return _("All given out for now.")
    if code == "limit_reached":
        return _("You have used it as many times as it allows for now.")
    return _("It is not offered to you now.")


@dataclass(frozen=True)
class PrivilegeCard:
    privilege: Privilege
    level_name: str
    check: Redeemability
    why_not: str


def _card(person: Any, privilege: Privilege, sets: dict[Any, list[Level]]) -> PrivilegeCard:
    """`sets`: the level sets already read on this page, by the partner's community id."""
    community_id = privilege.partner.community_id
    if community_id not in sets:
        sets[community_id] = levels_for(privilege.partner.community)
    levels = sets[community_id]
    check = redeemability(person, privilege)
    return PrivilegeCard(
        privilege=privilege,
        level_name=level_name(privilege.min_level, levels) if privilege.min_level else "",
        check=check,
        why_not="" if check.ok else refusal_words(check, privilege, levels),
    )


def _standing(person: Any) -> dict[str, Any]:
    """The person's points, points on hold and level: the top of the privileges and levels pages."""
    status: LevelStatus = level_status(person)
    return {
        "points": sum(person_points(person).values()),
        "held": person_points_held(person),
        "status": status,
    }


# --- the privileges near me -------------------------------------------------------------------


@login_required
def privileges(request: HttpRequest) -> HttpResponse:
    person = request.user
    standing = _standing(person)
    status: LevelStatus = standing["status"]
    show = request.GET.get("show", SHOW_ALL)
    if show not in {SHOW_ALL, SHOW_AFFORD, SHOW_REACH}:
        show = SHOW_ALL
    offered = privileges_near(person)
    anything_offered = offered.exists()
    if show == SHOW_AFFORD:
        offered = offered.filter(cost_points__lte=standing["points"])
    elif show == SHOW_REACH:
        offered = offered.filter(min_level__lte=status.rank)
    page = Paginator(offered, PRIVILEGES_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = [
        (SHOW_ALL, _("All"), reverse("rewards:privileges")),
        (SHOW_AFFORD, _("I have enough points"), f"{reverse('rewards:privileges')}?show={SHOW_AFFORD}"),
        (SHOW_REACH, _("Open at my level"), f"{reverse('rewards:privileges')}?show={SHOW_REACH}"),
    ]
    sets: dict[Any, list[Level]] = {}
    context = {
        **standing,
        "page": page,
        "cards": [_card(person, p, sets) for p in page.object_list],
        "show": show,
        "filters": filters,
        "anything_offered": anything_offered,
    }
    return render(request, "rewards/privileges.html", context)


# --- one privilege, and redeeming it ------------------------------------------------------------


def _privilege_or_404(public_id: uuid.UUID) -> Privilege:
    privilege = privilege_get(public_id)
    if privilege is None:
        raise Http404
    return privilege


def _privilege_page(
    request: HttpRequest, privilege: Privilege, form: RedeemForm | None = None
) -> HttpResponse:
    person = request.user
    standing = _standing(person)
    card = _card(person, privilege, {})
    if form is None:
        form = RedeemForm(privilege=privilege, initial={"key": uuid.uuid4().hex})
    confirm_url = f"{reverse('people:contact_confirm')}?{urlencode({'next': request.get_full_path()})}"
    context = {
        **standing,
        "privilege": privilege,
        "card": card,
        "redeem_form": form,
        "limit_words": limit_words(privilege),
        "code_time": duration_words(privilege.code_minutes),
        # Only someone who takes part (consent) and proved their phone or e-mail may redeem.
        "contact_unconfirmed": not contact_confirmed(person),
        "no_consent": consent_active(person=person) is None,  # type: ignore[arg-type]  # signed in
        "confirm_url": confirm_url,
        # A code of this privilege still waiting (the limit is often why it cannot be redeemed again).
        "waiting": redemptions_of(person).filter(privilege=privilege, state=RedemptionState.HELD).first(),
        # The service's refusal of what was just sent, in its own words ("… Your points were not used.").
        "refused": " ".join(str(e) for e in form.non_field_errors()) if not card.check.ok else "",
    }
    if form.errors:
        context["form"] = form  # the title says "Error:"
    return render(request, "rewards/privilege.html", context)


@login_required
def privilege_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _privilege_page(request, _privilege_or_404(public_id))


@require_POST
@login_required
def redeem(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Holds the points for a one-time code and shows it; a refusal comes back on the privilege's
    page with what was ticked, and nothing held."""
    privilege = _privilege_or_404(public_id)
    form = RedeemForm(request.POST, privilege=privilege)
    if form.is_valid():
        data = form.cleaned_data
        try:
            redemption = redemption_create(
                actor=request.user, privilege=privilege, key=data["key"] or uuid.uuid4().hex,
                share_identity=bool(data.get("share_identity")),
            )  # fmt: skip
        except IdempotencyConflict:
            # The same page was sent for another privilege (a copied form): a new key next time.
            form = RedeemForm(privilege=privilege, initial={"key": uuid.uuid4().hex})
            form.add_error(None, _("Nothing was redeemed. Please press the button again."))
        except PermissionDenied:
            form.add_error(
                None, _("Before you redeem, confirm your phone number or e-mail and agree to the notice.")
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Here is your code. Show it at the counter."))
            return redirect("rewards:redemption", public_id=redemption.public_id)
    return _privilege_page(request, privilege, form)


@login_required
def privilege_photo(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    """A privilege's photo (a cleaned copy: no metadata) to anyone signed in: privileges are
    public offers, but the pages that show them are for members."""
    privilege = privilege_get(public_id)
    if privilege is None or not privilege.photo:
        raise Http404
    extension = os.path.splitext(privilege.photo)[1].lower()
    content_type = PHOTO_TYPES.get(extension)
    if content_type is None:
        raise Http404
    try:
        handle = default_storage.open(privilege.photo, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# --- a code -----------------------------------------------------------------------------------


def _redemption_or_404(request: HttpRequest, public_id: uuid.UUID) -> Redemption:
    redemption = redemption_get(public_id)
    if redemption is None or not redemption_visible_to(request.user, redemption):
        raise Http404
    return redemption


def _expire_if_due(redemption: Redemption) -> Redemption:
    """A code still waiting past its time is released now (its points go back), so that the
    person sees their points returned without waiting for the background sweep."""
    if redemption.state == RedemptionState.HELD and redemption.expires_at <= timezone.now():
        redemption_expire(redemption=redemption)
        redemption.refresh_from_db()
    return redemption


def counter_url(request: HttpRequest, redemption: Redemption) -> str:
    """Where the QR leads the partner's phone: its counter page with the code looked up."""
    path = reverse("rewards:counter", args=[redemption.partner.public_id])
    return request.build_absolute_uri(f"{path}?{urlencode({'code': redemption.code})}")


def _redemption_page(
    request: HttpRequest, redemption: Redemption, *, confirm_cancel: bool = False
) -> HttpResponse:
    held = redemption.state == RedemptionState.HELD
    mine = redemption.person_id == request.user.pk
    context = {
        "r": redemption,
        "privilege": redemption.privilege,
        "partner": redemption.partner,
        "code": code_display(redemption.code),
        "held": held,
        "mine": mine,
        "confirm_cancel": confirm_cancel and held and mine,
        "qr": segno.make(counter_url(request, redemption), error="m").svg_data_uri(scale=6, border=2)
        if held
        else "",
    }
    return render(request, "rewards/redemption.html", context)


@login_required
def redemption_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    redemption = _expire_if_due(_redemption_or_404(request, public_id))
    return _redemption_page(request, redemption)


@login_required
def redemption_cancel_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A question first (GET: "cancel this code?"), then the cancel (POST): the points come back."""
    redemption = _expire_if_due(_redemption_or_404(request, public_id))
    if redemption.person_id != request.user.pk:
        raise Http404  # the partner's staff see the code, but only its person cancels it
    if request.method != "POST":
        if redemption.state != RedemptionState.HELD:
            return redirect("rewards:redemption", public_id=public_id)
        return _redemption_page(request, redemption, confirm_cancel=True)
    try:
        redemption_cancel(actor=request.user, redemption=redemption)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            ngettext(
                "The code is cancelled. Your %(n)s point is back.",
                "The code is cancelled. Your %(n)s points are back.",
                redemption.points,
            )
            % {"n": redemption.points}
            if redemption.points
            else _("The code is cancelled."),
        )
    return redirect("rewards:redemption", public_id=public_id)


@login_required
def my_redemptions(request: HttpRequest) -> HttpResponse:
    mine = redemptions_of(request.user)
    for due in mine.filter(state=RedemptionState.HELD, expires_at__lte=timezone.now()):
        redemption_expire(redemption=due)
    page = Paginator(mine, REDEMPTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, code_display(r.code)) for r in page.object_list]
    return render(request, "rewards/my_redemptions.html", {"page": page, "rows": rows})


# --- the levels -------------------------------------------------------------------------------


@login_required
def levels(request: HttpRequest) -> HttpResponse:
    standing = _standing(request.user)
    community = getattr(request.user, "community", None)
    own = community is not None and any(lv.community_id == community.pk for lv in standing["status"].levels)
    return render(request, "rewards/levels.html", {**standing, "community": community, "own_levels": own})
