"""Partners' pages: the partners a person serves and registering one, the approvals of staff and
committees, a partner's page, its counter (a code looked up and confirmed), report, staff and
tokens, the privileges it offers; the levels (staff and committees) and the report by area.

Thin: each parses, asks the one rule (rewards/partners.py, privileges.py, levels.py, reports.py)
and calls one service. A partner the person may not see answers 404, as one that does not exist."""

import csv
import io
import time
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.areas.selectors import (
    area_label,
    communities_administered_by,
    community_get,
    community_ids_administered_by,
)
from kwamdee.common.cells import cell_safe
from kwamdee.common.errors import NotFound, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.i18n import pick
from kwamdee.rewards.choices import PartnerState, RedemptionState
from kwamdee.rewards.errors import CodeCancelled, CodeExpired, CodeRefused, CodeUsed
from kwamdee.rewards.forms_partner import (
    LevelsForm,
    PartnerDecisionForm,
    PartnerRegisterForm,
    PrivilegeForm,
    StaffAddForm,
    TokenIssueForm,
    area_choices,
    minutes_label,
    privilege_initial,
)
from kwamdee.rewards.levels import levels_editable_by, levels_for, levels_set
from kwamdee.rewards.models import Partner, Privilege
from kwamdee.rewards.partners import (
    partner_decidable_by,
    partner_decide,
    partner_get,
    partner_register,
    partner_served_by,
    partner_staff_add,
    partner_staff_remove,
    partner_token_issue,
    partner_token_revoke,
    partner_tokens,
    partners_served_by,
    partners_waiting_for,
)
from kwamdee.rewards.privileges import (
    areas_allowed,
    privilege_get,
    privilege_offer,
    privilege_offerable_by,
    privilege_update,
    privilege_withdraw,
    privileges_of_partner,
)
from kwamdee.rewards.redemptions import (
    code_display,
    code_normalize,
    identity_for_counter,
    partner_totals,
    redemption_at_counter,
    redemption_confirm,
    redemptions_at_partner,
)
from kwamdee.rewards.reports import reports_visible_to, reward_report

RECENT_REDEMPTIONS = 50
# A code found but no longer waiting: what the counter says (as redemption_confirm would).
STATE_REFUSALS: dict[str, type[CodeRefused]] = {
    RedemptionState.CONFIRMED: CodeUsed,
    RedemptionState.EXPIRED: CodeExpired,
    RedemptionState.CANCELLED: CodeCancelled,
}


# --- who sees what ----------------------------------------------------------------------------


def _partner_or_404(public_id: UUID) -> Partner:
    partner = partner_get(public_id)
    if partner is None:
        raise Http404
    return partner


def _served_or_404(request: HttpRequest, public_id: UUID) -> Partner:
    """A partner at whose counter the person serves (approved); any other answers 404."""
    partner = _partner_or_404(public_id)
    if not partner_served_by(request.user, partner):
        raise Http404
    return partner


def _is_staff_of(person: Any, partner: Partner) -> bool:
    return partner.staff.filter(pk=person.pk).exists()


def _decides_partners(person: Any) -> bool:
    """National staff, or a community's committee: those for whom partners may wait."""
    if person.has_perm("rewards.approve_partners"):
        return True
    return person.has_perm("catalog.adapt_catalog") and bool(community_ids_administered_by(person))


def _approver(partner: Partner) -> str:
    if partner.community is not None:
        return _("the committee of %(community)s") % {"community": partner.community.name}
    return _("Kwamdee's national staff")


# --- the header's links (kwamdee/site/navigation.py) ------------------------------------------

NAV_SESSION_KEY = "_rewards_nav"
NAV_REFRESH_SECONDS = 300


def partner_nav(request: HttpRequest) -> dict[str, Any]:
    """Whether the header shows "Counter" (the person serves at an approved partner's counter) and
    "Partners waiting" (partners wait for their decision). Asked at most every few minutes and
    kept in the session, as SessionIdleMiddleware keeps its own, so that the header adds no query
    to every page; the partners' pages ask again at once (`_nav_forget`)."""
    session = getattr(request, "session", None)
    now = int(time.time())
    kept = session.get(NAV_SESSION_KEY) if session is not None else None
    if isinstance(kept, dict) and 0 <= now - int(kept.get("at", 0)) <= NAV_REFRESH_SECONDS:
        return kept
    user = request.user
    value = {
        "at": now,
        "counter": partners_served_by(user).filter(state=PartnerState.APPROVED).exists(),
        "waiting": _decides_partners(user) and partners_waiting_for(user).exists(),
    }
    if session is not None:
        session[NAV_SESSION_KEY] = value
    return value


def _nav_forget(request: HttpRequest) -> None:
    if NAV_SESSION_KEY in request.session:
        del request.session[NAV_SESSION_KEY]


# --- the partners a person serves, registering one --------------------------------------------


@login_required
def partners_mine(request: HttpRequest) -> HttpResponse:
    _nav_forget(request)
    partners = list(partners_served_by(request.user).select_related("community"))
    for partner in partners:
        partner.approver = _approver(partner)  # type: ignore[attr-defined]
    decides = _decides_partners(request.user)
    context = {
        "partners": partners,
        "decides": decides,
        "waiting_count": partners_waiting_for(request.user).count() if decides else 0,
        "edits_levels": bool(_level_sets(request.user)),
        "sees_report": bool(reports_visible_to(request.user)),
    }
    return render(request, "rewards/partners_mine.html", context)


@login_required
def partner_register_view(request: HttpRequest) -> HttpResponse:
    form = PartnerRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner = partner_register(
                actor=request.user, name_th=data["name_th"], name_en=data["name_en"], kind=data["kind"],
                subdistrict_code=data["subdistrict_code"], address=data["address"],
                contact_phone=data["contact_phone"], contact_email=data["contact_email"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            _nav_forget(request)
            messages.success(
                request,
                _("%(name)s is registered. It is waiting for approval by %(approver)s.")
                % {"name": partner.name, "approver": _approver(partner)},
            )
            return redirect("rewards:partner", public_id=partner.public_id)
    return render(request, "rewards/partner_register.html", {"form": form})


# --- approvals --------------------------------------------------------------------------------


def _waiting_page(request: HttpRequest, bound: PartnerDecisionForm | None = None) -> HttpResponse:
    waiting = []
    for partner in partners_waiting_for(request.user).select_related("registered_by"):
        prefix = str(partner.public_id)
        form = bound if bound is not None and bound.prefix == prefix else PartnerDecisionForm(prefix=prefix)
        waiting.append((partner, form, area_label(partner.subdistrict_code)))
    context = {"waiting": waiting, "form": bound}
    return render(request, "rewards/partners_waiting.html", context)


@login_required
def partners_waiting(request: HttpRequest) -> HttpResponse:
    if not _decides_partners(request.user):
        raise PermissionDenied
    _nav_forget(request)
    return _waiting_page(request)


@require_POST
@login_required
def partner_decide_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    partner = partner_get(public_id)
    if partner is None or not partner_decidable_by(request.user, partner):
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in {"approve", "decline"}:
        raise SuspiciousOperation("unknown decision")  # the site's 400 page
    form = PartnerDecisionForm(request.POST, prefix=str(partner.public_id))
    if not form.is_valid():
        return _waiting_page(request, form)
    try:
        decided = partner_decide(
            actor=request.user, partner=partner, approve=decision == "approve", note=form.cleaned_data["note"]
        )
    except ServiceError as exc:
        if exc.fields:
            form_add_service_error(form, exc)
            return _waiting_page(request, form)
        messages.error(request, str(exc.message))
        return redirect("rewards:partners_waiting")
    _nav_forget(request)
    if decided.state == PartnerState.APPROVED:
        messages.success(
            request, _("%(name)s is approved: its staff can offer privileges now.") % {"name": decided.name}
        )
    else:
        messages.success(request, _("%(name)s was declined; your reason was sent.") % {"name": decided.name})
    return redirect("rewards:partners_waiting")


# --- a partner's page -------------------------------------------------------------------------


@login_required
def partner_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    partner = _partner_or_404(public_id)
    is_staff = _is_staff_of(request.user, partner)
    decides = partner_decidable_by(request.user, partner)
    offers = privilege_offerable_by(request.user, partner)
    if not (is_staff or decides or offers):
        raise Http404
    privileges = list(privileges_of_partner(partner))
    levels = {lv.rank: lv.name for lv in levels_for(partner.community)}
    for privilege in privileges:
        privilege.level_name = levels.get(privilege.min_level, "")  # type: ignore[attr-defined]
        privilege.code_time = minutes_label(privilege.code_minutes)  # type: ignore[attr-defined]
    context = {
        "partner": partner,
        "area": area_label(partner.subdistrict_code),
        "approver": _approver(partner),
        "serves": is_staff and partner.state == PartnerState.APPROVED,
        "is_staff": is_staff,
        "decides": decides and partner.state == PartnerState.PENDING,
        "offers": offers,
        "privileges": privileges,
    }
    return render(request, "rewards/partner.html", context)


# --- the counter ------------------------------------------------------------------------------


@login_required
def counter(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A staff member types the code the person shows (or scans its QR, which opens this page
    with ?code=…), sees what to hand over, and confirms it once. A code is shown only at the
    counter of its own partner; anything else is "unknown" here."""
    partner = _served_or_404(request, public_id)
    error: Any = None
    found = None
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            confirmed = redemption_confirm(actor=request.user, partner=partner, code=code)
        except CodeRefused as exc:
            error = exc.message
        else:
            messages.success(
                request, _("Confirmed: hand over “%(title)s”.") % {"title": confirmed.privilege.title},
                extra_tags="message",
            )  # fmt: skip
            return redirect("rewards:counter", public_id=partner.public_id)
    else:
        code = request.GET.get("code", "")
        if code.strip():
            try:
                redemption = redemption_at_counter(actor=request.user, partner=partner, code=code)
            except CodeRefused as exc:
                error = exc.message
            else:
                refusal = STATE_REFUSALS.get(redemption.state)
                if refusal is None and redemption.expires_at <= timezone.now():
                    refusal = CodeExpired
                if refusal is not None:
                    error = refusal.message
                else:
                    found = {
                        "redemption": redemption,
                        "code": code_display(redemption.code),
                        "identity": identity_for_counter(redemption),
                    }
    normalized = code_normalize(code)
    context = {
        "partner": partner,
        "code": code_display(normalized) if normalized else "",
        "error": error,
        "found": found,
    }
    return render(request, "rewards/counter.html", context)


# --- a partner's report, staff and tokens -----------------------------------------------------


@login_required
def partner_report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    partner = _served_or_404(request, public_id)
    totals = partner_totals(partner)
    for row in totals["by_privilege"]:
        row["title"] = pick(row["privilege__title_th"], row["privilege__title_en"])
    recent = list(redemptions_at_partner(partner).select_related("person")[:RECENT_REDEMPTIONS])
    rows = [(r, code_display(r.code), identity_for_counter(r)) for r in recent]
    context = {"partner": partner, "totals": totals, "recent": rows, "limit": RECENT_REDEMPTIONS}
    return render(request, "rewards/partner_report.html", context)


@login_required
def partner_staff(request: HttpRequest, public_id: UUID) -> HttpResponse:
    partner = _served_or_404(request, public_id)
    form = StaffAddForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add" and form.is_valid():
            try:
                person = partner_staff_add(
                    actor=request.user, partner=partner, login=form.cleaned_data["login"]
                )
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(
                    request, _("%(name)s can serve at the counter now.") % {"name": person.full_name}
                )
                return redirect("rewards:partner_staff", public_id=partner.public_id)
        elif action == "remove":
            person = partner.staff.filter(public_id=_uuid_or_404(request.POST.get("person", ""))).first()
            if person is None:
                raise Http404
            try:
                partner_staff_remove(actor=request.user, partner=partner, person=person)
            except ServiceError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request, _("%(name)s no longer serves at the counter.") % {"name": person.full_name}
                )
                if person.pk == request.user.pk:
                    _nav_forget(request)
                    return redirect("rewards:partners_mine")
            return redirect("rewards:partner_staff", public_id=partner.public_id)
        elif action != "add":
            raise SuspiciousOperation("unknown action")
    staff = list(partner.staff.order_by("full_name", "id"))
    context = {"partner": partner, "staff": staff, "form": form}
    return render(request, "rewards/partner_staff.html", context)


def _uuid_or_404(value: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise Http404 from None


@login_required
def partner_tokens_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Keys for the partner's own till or system to confirm codes by the API. A new key is shown
    once, on the answer to the POST that made it (never stored, never shown again)."""
    partner = _served_or_404(request, public_id)
    form = TokenIssueForm(request.POST if request.POST.get("action") == "issue" else None)
    raw = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue" and form.is_valid():
            try:
                raw = partner_token_issue(
                    actor=request.user, partner=partner, label=form.cleaned_data["label"]
                )
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                form = TokenIssueForm()
        elif action == "revoke":
            try:
                token_id = int(request.POST.get("token", ""))
                partner_token_revoke(actor=request.user, partner=partner, token_id=token_id)
            except (ValueError, NotFound):
                raise Http404 from None
            messages.success(
                request, _("The key is removed: the system that used it can no longer confirm codes.")
            )
            return redirect("rewards:partner_tokens", public_id=partner.public_id)
        elif action != "issue":
            raise SuspiciousOperation("unknown action")
    context = {
        "partner": partner,
        "tokens": list(partner_tokens(partner)),
        "form": form,
        "raw": raw,
        "confirm_path": f"/api/v1/partners/{partner.public_id}/redemptions/CODE/confirm",
    }
    response = render(request, "rewards/partner_tokens.html", context)
    if raw:
        response["Cache-Control"] = "no-store"  # the key is on this page only
    return response


# --- privileges -------------------------------------------------------------------------------


def _offerable_or_refuse(request: HttpRequest, partner: Partner) -> None:
    """Offering needs privilege_offerable_by. A partner the person cannot see answers 404; its own
    staff, while it waits for approval, are told why; those who only decide on it get 403."""
    if privilege_offerable_by(request.user, partner):
        return
    if _is_staff_of(request.user, partner):
        raise _NotYet
    if partner_decidable_by(request.user, partner):
        raise PermissionDenied
    raise Http404


class _NotYet(Exception):
    pass


def _privilege_page(request: HttpRequest, partner: Partner, privilege: Privilege | None) -> HttpResponse:
    choices = area_choices(areas_allowed(request.user, partner), partner)
    if privilege is not None:
        initial = privilege_initial(privilege)
    else:
        initial = {"areas": [choices[0][0]]} if choices else {}
    allowed = {value for value, _label in choices}
    outside = [value for value in initial.get("areas", []) if value not in allowed]
    form = PrivilegeForm(
        request.POST or None, request.FILES or None, initial=initial,
        levels=levels_for(partner.community), area_choices=choices,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data["photo"]
        try:
            if privilege is None:
                saved = privilege_offer(
                    actor=request.user, partner=partner, data=form.privilege_in(), photo=photo
                )
            else:
                saved = privilege_update(
                    actor=request.user, privilege=privilege, data=form.privilege_in(), photo=photo
                )
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"evidence_files": "photo"})
        else:
            if privilege is None:
                text = _("“%(title)s” is offered now. People in its areas see it.")
            else:
                text = _("“%(title)s” is saved. Codes already given keep what they were given.")
            messages.success(request, text % {"title": saved.title})
            return redirect("rewards:partner", public_id=partner.public_id)
    context = {"partner": partner, "privilege": privilege, "form": form, "outside": bool(outside)}
    return render(request, "rewards/privilege_form.html", context)


@login_required
def privilege_offer_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    partner = _partner_or_404(public_id)
    try:
        _offerable_or_refuse(request, partner)
    except _NotYet:
        messages.info(request, _("You can offer privileges once the partner is approved."))
        return redirect("rewards:partner", public_id=partner.public_id)
    return _privilege_page(request, partner, None)


@login_required
def privilege_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    privilege = privilege_get(public_id)
    if privilege is None:
        raise Http404
    partner = privilege.partner
    try:
        _offerable_or_refuse(request, partner)
    except _NotYet:
        raise Http404 from None
    return _privilege_page(request, partner, privilege)


@require_POST
@login_required
def privilege_withdraw_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    privilege = privilege_get(public_id)
    if privilege is None or not privilege_offerable_by(request.user, privilege.partner):
        raise Http404
    withdrawn = privilege_withdraw(actor=request.user, privilege=privilege)
    messages.success(
        request,
        _("“%(title)s” is no longer offered. Codes already given stay good until their time ends.")
        % {"title": withdrawn.title},
    )
    return redirect("rewards:partner", public_id=privilege.partner.public_id)


# --- levels -----------------------------------------------------------------------------------


def _level_sets(person: Any) -> list[tuple[str, str, Any]]:
    """The sets of levels `person` may edit: (key, label, community or None)."""
    sets: list[tuple[str, str, Any]] = []
    if levels_editable_by(person, None):
        sets.append(("national", _("National levels (everyone)"), None))
    for community in communities_administered_by(person):
        if levels_editable_by(person, community):
            sets.append(
                (str(community.public_id), _("Own levels of %(name)s") % {"name": community.name}, community)
            )
    return sets


@login_required
def levels_edit(request: HttpRequest) -> HttpResponse:
    """National staff set the national levels; a community's committee may give its community
    levels of its own (which replace the national set for its members), or go back to them."""
    sets = _level_sets(request.user)
    if not sets:
        raise PermissionDenied
    wanted = request.POST.get("set") or request.GET.get("set") or sets[0][0]
    chosen = next((s for s in sets if s[0] == wanted), None)
    if chosen is None:  # national staff may open any community's set by its link
        community = community_get(wanted)
        if community is None or not levels_editable_by(request.user, community):
            raise Http404
        chosen = (str(community.public_id), _("Own levels of %(name)s") % {"name": community.name}, community)
        sets.append(chosen)
    key, label, community = chosen
    current = levels_for(community)
    has_own = community is None or any(level.community_id == community.pk for level in current)
    back = f"{reverse('rewards:levels_edit')}?{urlencode({'set': key})}"
    form = LevelsForm(request.POST if request.method == "POST" else None, levels=current)
    if request.method == "POST":
        if request.POST.get("action") == "national" and community is not None:
            levels_set(actor=request.user, community=community, levels=[])
            messages.success(
                request, _("%(name)s follows the national levels again.") % {"name": community.name}
            )
            return redirect(back)
        if form.is_valid():
            levels = form.levels_in()
            if not levels:
                form.add_error(None, _("Give at least one level."))
            else:
                try:
                    levels_set(actor=request.user, community=community, levels=levels)
                except ServiceError as exc:
                    if exc.fields:
                        form.add_service_errors(exc.fields)
                    else:
                        form.add_error(None, str(exc.message))
                else:
                    messages.success(
                        request, _("The levels are saved. Everyone's level follows them from now on.")
                    )
                    return redirect(back)
    rows = form.rows()
    context = {
        "form": form,
        "sets": sets,
        "key": key,
        "label": label,
        "community": community,
        "has_own": has_own,
        "rows": rows,
        "any_filled": any(row["filled"] for row in rows),
    }
    return render(request, "rewards/levels_edit.html", context)


# --- the report by area -----------------------------------------------------------------------


@login_required
def area_report(request: HttpRequest) -> HttpResponse:
    scope = reports_visible_to(request.user)
    if not scope:
        raise PermissionDenied
    rows = reward_report(request.user)
    if request.GET.get("format") == "csv":
        return _report_csv(rows, scope)
    return render(request, "rewards/area_report.html", {"rows": rows, "scope": scope})


def _report_csv(rows: list[Any], scope: str) -> HttpResponse:
    text = io.StringIO()
    writer = csv.writer(text)
    area = _("Province") if scope == "national" else _("Community")
    writer.writerow([area, _("Privileges offered"), _("Received"), _("People"), _("Points spent")])
    for row in rows:
        writer.writerow(
            [cell_safe(v) for v in (row.label, row.privileges_offered, row.redeemed, row.people, row.points)]
        )
    response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kwamdee-privileges-by-area.csv"'
    return response
