"""The time bank's member pages (docs/timebank.md), under /timebank/: my time, browsing and posting
offers and requests, replying to one (an exchange proposed), an exchange's page where the other
side confirms or declines, and giving time to the community's pool. Thin: forms in, services for
writes, selectors for reads. The committee's and staff's pages are in views_committee.py."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.common.errors import NotFound, PermissionDenied, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.i18n import hours_and_minutes
from kwamdee.timebank.choices import ExchangeState, ListingKind, ListingState
from kwamdee.timebank.forms import DonateForm, ExchangeActionForm, ListingFilterForm, ListingForm, ReplyForm
from kwamdee.timebank.ledger import pool_balance
from kwamdee.timebank.models import Exchange, Listing
from kwamdee.timebank.selectors import (
    CONFIRM,
    DECLINE,
    POOL_COVER,
    WITHDRAW,
    donations_of,
    exchange_actions_for,
    exchange_get,
    exchange_visible_to,
    exchanges_of,
    exchanges_waiting_for,
    listing_get,
    listing_visible_to,
    listings_of,
    listings_open,
    member_time,
    timebank_member,
    timebank_run_by,
)
from kwamdee.timebank.services import (
    exchange_confirm,
    exchange_decline,
    exchange_pool_cover,
    exchange_propose,
    exchange_withdraw,
    listing_close,
    listing_post,
    pool_donate,
)

LISTINGS_PAGE_SIZE = 12
EXCHANGES_PAGE_SIZE = 20


# --- words for time ---------------------------------------------------------------------------


def balance_words(minutes: int) -> str:
    if minutes < 0:
        return _("You owe %(time)s") % {"time": hours_and_minutes(minutes)}
    return hours_and_minutes(minutes)


def limit_words(limit: int) -> str:
    if limit >= 0:
        return _("In your community nobody may owe time: give before you receive.")
    return _("You may owe up to %(time)s: receive help first, and give time back later.") % {
        "time": hours_and_minutes(limit)
    }


def counts_as_deed(category: Any) -> str:
    """What a category's time also earns, in plain words ("" when nothing more)."""
    if category.deed_type_id is None:
        return ""
    return _(
        "Time given in “%(category)s” also counts as a good deed (จิตอาสา) “%(deed_type)s”: the giver "
        "is credited once, when the exchange is confirmed."
    ) % {"category": category.name, "deed_type": category.deed_type.name}


# --- shared -----------------------------------------------------------------------------------


def _timed(exchanges: Any) -> list[Exchange]:
    """The exchanges, each with its time in words (`time_text`) for its card."""
    rows = list(exchanges)
    for exchange in rows:
        setattr(exchange, "time_text", hours_and_minutes(exchange.minutes))  # noqa: B010
    return rows


def _not_member_page(request: HttpRequest) -> HttpResponse:
    return render(request, "timebank/not_member.html", {"community": request.user.community}, status=200)  # type: ignore[union-attr]


def _listing_or_404(request: HttpRequest, public_id: uuid.UUID) -> Listing:
    listing = listing_get(public_id)
    if listing is None or not listing_visible_to(request.user, listing):
        raise Http404
    return listing


def _exchange_or_404(request: HttpRequest, public_id: uuid.UUID) -> Exchange:
    exchange = exchange_get(public_id)
    if exchange is None or not exchange_visible_to(request.user, exchange):
        raise Http404
    return exchange


# --- my time ----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not timebank_member(person):
        return _not_member_page(request)
    standing = member_time(person)
    context = {
        "balance": standing.balance,
        "balance_words": balance_words(standing.balance),
        "limit_words": limit_words(standing.limit),
        "waiting": _timed(exchanges_waiting_for(person)[:20]),
        "mine_waiting": _timed(
            exchanges_of(person).filter(state=ExchangeState.PROPOSED, proposed_by=person.pk)[:20]
        ),
        "listings": list(listings_of(person).filter(state=ListingState.OPEN)[:20]),
        "recent": _timed(exchanges_of(person).exclude(state=ExchangeState.PROPOSED)[:5]),
        "community": person.community,  # type: ignore[union-attr]
        "pool_words": hours_and_minutes(pool_balance(person.community)),  # type: ignore[union-attr]
        "may_run": timebank_run_by(person, person.community),  # type: ignore[union-attr]
    }
    return render(request, "timebank/home.html", context)


@login_required
def my_exchanges(request: HttpRequest) -> HttpResponse:
    person = request.user
    page = Paginator(exchanges_of(person), EXCHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "timebank/exchanges.html", {"page": page, "rows": _timed(page.object_list)})


# --- offers and requests ----------------------------------------------------------------------


@login_required
def listings(request: HttpRequest) -> HttpResponse:
    """A community's open offers and requests, with filters (kind, category). A value the filter
    cannot use is named and left out; the rest still apply."""
    person = request.user
    if not timebank_member(person):
        return _not_member_page(request)
    form = ListingFilterForm(request.GET)
    form.is_valid()
    used = {name: form.cleaned_data.get(name) or "" for name in ("kind", "category")}
    found = listings_open(person.community, **used)  # type: ignore[union-attr]
    page = Paginator(found, LISTINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_form": form,
        "filtered": any(request.GET.get(name) for name in ("kind", "category")),
        "count": page.paginator.count,
    }
    if form.errors:
        context["form"] = form  # the title says "Error:"
    return render(request, "timebank/listings.html", context)


@login_required
def listing_new(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not timebank_member(person):
        return _not_member_page(request)
    if request.method == "POST":
        form = ListingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                listing = listing_post(
                    actor=person, kind=data["kind"], category_code=data["category"],
                    title=data["title"], description=data["description"],
                )  # fmt: skip
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("Posted. Your neighbours can see it now."))
                return redirect("timebank:listing", public_id=listing.public_id)
    else:
        kind = request.GET.get("kind", "")
        form = ListingForm(initial={"kind": kind} if kind in ListingKind.values else {})
    return render(request, "timebank/listing_form.html", {"form": form})


def _listing_page(request: HttpRequest, listing: Listing, form: ReplyForm | None = None) -> HttpResponse:
    person = request.user
    mine = listing.member_id == person.pk
    can_reply = not mine and listing.state == ListingState.OPEN and timebank_member(person)
    context: dict[str, Any] = {
        "listing": listing,
        "mine": mine,
        "can_reply": can_reply,
        "can_close": listing.state == ListingState.OPEN
        and (mine or timebank_run_by(person, listing.community)),
        "reply_form": form or ReplyForm(),
        "counts_as": counts_as_deed(listing.category),
        "offer": listing.kind == ListingKind.OFFER,
    }
    if form is not None and form.errors:
        context["form"] = form  # the title says "Error:"
    return render(request, "timebank/listing.html", context)


@login_required
def listing_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _listing_page(request, _listing_or_404(request, public_id))


@require_POST
@login_required
def listing_reply(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Replying proposes an exchange: to an offer, its member gave me the time (I am the
    receiver); to a request, I gave its member the time (I am the giver). The other side then
    confirms or declines."""
    listing = _listing_or_404(request, public_id)
    person = request.user
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        owner = listing.member
        giver, receiver = (owner, person) if listing.kind == ListingKind.OFFER else (person, owner)
        try:
            exchange = exchange_propose(
                actor=person, giver=giver, receiver=receiver, minutes=data["total_minutes"],
                listing=listing, performed_on=data["performed_on"], note=data["note"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"minutes": "hours"})
        else:
            messages.success(
                request,
                _("Sent. %(name)s will be asked to confirm the time.") % {"name": owner.full_name},
            )
            return redirect("timebank:exchange", public_id=exchange.public_id)
    return _listing_page(request, listing, form)


@require_POST
@login_required
def listing_close_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    listing = _listing_or_404(request, public_id)
    try:
        listing_close(actor=request.user, listing=listing)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Closed. Neighbours no longer see it in the list."))
    return redirect("timebank:listing", public_id=public_id)


# --- an exchange ------------------------------------------------------------------------------


def _exchange_page(request: HttpRequest, exchange: Exchange) -> HttpResponse:
    person = request.user
    actions = exchange_actions_for(person, exchange)
    sides = {exchange.giver_id, exchange.receiver_id}
    context = {
        "x": exchange,
        "time": hours_and_minutes(exchange.minutes),
        "actions": actions,
        "can_confirm": CONFIRM in actions,
        "can_decline": DECLINE in actions,
        "can_withdraw": WITHDRAW in actions,
        "can_cover": POOL_COVER in actions,
        "side": person.pk in sides,
        "i_give": person.pk == exchange.giver_id,
        "proposed": exchange.state == ExchangeState.PROPOSED,
        "pool_words": hours_and_minutes(pool_balance(exchange.community)) if POOL_COVER in actions else "",
        "counts_as": counts_as_deed(exchange.category),
    }
    return render(request, "timebank/exchange.html", context)


@login_required
def exchange_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _exchange_page(request, _exchange_or_404(request, public_id))


@require_POST
@login_required
def exchange_act(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The other side confirms or declines, the proposer withdraws, the committee has the pool
    pay. A refusal comes back on the exchange's page in the service's words; nothing moved. A
    person who may never do this (the committee confirming for a side) gets 403."""
    exchange = _exchange_or_404(request, public_id)
    form = ExchangeActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do."))
        return redirect("timebank:exchange", public_id=public_id)
    action = form.cleaned_data["action"]
    service = {
        CONFIRM: exchange_confirm, DECLINE: exchange_decline, WITHDRAW: exchange_withdraw,
        POOL_COVER: exchange_pool_cover,
    }[action]  # fmt: skip
    try:
        service(actor=request.user, exchange=exchange)
    except PermissionDenied:
        raise Forbidden from None
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        words = {
            CONFIRM: _("Confirmed. The time has moved."),
            DECLINE: _("Declined. No time moved."),
            WITHDRAW: _("Withdrawn. No time moved."),
            POOL_COVER: _("The community's pool will pay this time when it is confirmed."),
        }
        messages.success(request, words[action])
    return redirect("timebank:exchange", public_id=public_id)


# --- giving time to the pool ------------------------------------------------------------------


@login_required
def donate(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not timebank_member(person):
        return _not_member_page(request)
    if request.method == "POST":
        form = DonateForm(request.POST)
        if form.is_valid():
            try:
                pool_donate(actor=person, minutes=form.cleaned_data["total_minutes"])
            except ServiceError as exc:
                form_add_service_error(form, exc, aliases={"minutes": "hours"})
            else:
                messages.success(
                    request,
                    _("Thank you. %(time)s went to the community's pool.")
                    % {"time": hours_and_minutes(form.cleaned_data["total_minutes"])},
                )
                return redirect("timebank:home")
    else:
        form = DonateForm()
    standing = member_time(person)
    context = {
        "form": form,
        "balance_words": balance_words(standing.balance),
        "balance": standing.balance,
        "pool_words": hours_and_minutes(pool_balance(person.community)),  # type: ignore[union-attr]
        "donations": [(d, hours_and_minutes(d.minutes)) for d in donations_of(person)[:10]],
    }
    return render(request, "timebank/donate.html", context)
