"""The words of each kind of notification, worded when shown (in the reader's language) or when
sent (in Thai, the site's language: people/messaging.py has no per-person language yet)."""

from datetime import date
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kwamdee.common.i18n import format_date, hours_and_minutes, pick
from kwamdee.deeds.choices import REVERSAL_WORDS_FOR_PERSON, RejectionReason
from kwamdee.notifications.choices import NotificationKind


class Text(NamedTuple):
    title: str
    body: str


def _amount(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "0"


def notification_text(kind: str, params: dict[str, Any]) -> Text:
    """The title and body of a notification of `kind`, in the active language."""
    names = {"deed_type": pick(params.get("deed_type_th", ""), params.get("deed_type_en", ""))}
    if kind == NotificationKind.DEED_VERIFIED:
        credit, points = _amount(params.get("credit")), _amount(params.get("points"))
        if params.get("credit"):
            title = _("Your good deed ‘%(deed_type)s’ was verified: +%(credit)s credit") % {
                **names,
                "credit": credit,
            }
        else:
            title = _("Your good deed ‘%(deed_type)s’ was verified") % names
        body = _("You received %(credit)s credit and %(points)s points. They are in your passbook.") % {
            "credit": credit, "points": points,
        }  # fmt: skip
        return Text(title, body)
    if kind == NotificationKind.DEED_REJECTED:
        title = _("Your good deed ‘%(deed_type)s’ was not verified") % names
        code = params.get("reason_code") or ""
        label = str(RejectionReason(code).label) if code in RejectionReason.values else ""
        reason = " — ".join(part for part in (label, params.get("reason") or "") if part)
        body = _("The verifier’s reason: %(reason)s") % {"reason": reason} if reason else ""
        return Text(title, body)
    if kind == NotificationKind.DEED_QUESTIONED:
        title = _("The verifier asks for more about your good deed ‘%(deed_type)s’") % names
        return Text(title, _("Open the deed to read the question and answer it."))
    if kind == NotificationKind.APPEAL_UPHELD:
        title = _("Your appeal about ‘%(deed_type)s’ was decided: the first decision stands") % names
        return Text(title, _("This decision is final. Both decisions stay on the deed’s record."))
    if kind == NotificationKind.APPEAL_OVERTURNED:
        title = _("Your appeal about ‘%(deed_type)s’ was decided: the decision was changed") % names
        return Text(title, _("Open the deed to see the new decision."))
    if kind == NotificationKind.DEED_CREDIT_REVERSED:
        return _reversal_text(params, names)
    if kind in (NotificationKind.MEMBERSHIP_APPROVED, NotificationKind.MEMBERSHIP_DECLINED):
        return _membership_text(kind, params)
    if kind == NotificationKind.WITNESS_ASKED:
        title = _("%(person)s asks you to confirm their good deed ‘%(deed_type)s’") % {
            **names, "person": params.get("person", ""),
        }  # fmt: skip
        return Text(
            title, _("Confirm only what you saw yourself. Open the list of deeds you are asked to confirm.")
        )
    if kind == NotificationKind.DEED_RECORDED_FOR_YOU:
        title = _("%(helper)s recorded your good deed ‘%(deed_type)s’ for you") % {
            **names, "helper": params.get("helper", ""),
        }  # fmt: skip
        return Text(
            title, _("A verifier will look at it. You can stop your helper recording for you at any time.")
        )
    if kind in (NotificationKind.REDEMPTION_CONFIRMED, NotificationKind.REDEMPTION_EXPIRED):
        return _redemption_text(kind, params)
    if kind in (NotificationKind.PARTNER_APPROVED, NotificationKind.PARTNER_DECLINED):
        return _partner_text(kind, params)
    if kind in LOAN_TEXTS:
        return _loan_text(kind, params)
    if kind in TIME_TEXTS:
        return _time_exchange_text(kind, params)
    if kind in ORGANIZATION_TEXTS:
        return _organization_text(kind, params)
    if kind in ASSESSMENT_TEXTS:
        return _assessment_text(kind, params)
    return Text(_("Something changed on your good deed ‘%(deed_type)s’") % names, "")


def _redemption_text(kind: str, params: dict[str, Any]) -> Text:
    """A code received at the partner's counter (its points spent), or expired (its points back)."""
    words = {
        "privilege": pick(params.get("privilege_th", ""), params.get("privilege_en", "")),
        "partner": pick(params.get("partner_th", ""), params.get("partner_en", "")),
        "points": _amount(params.get("points")),
    }
    has_points = bool(params.get("points"))
    if kind == NotificationKind.REDEMPTION_CONFIRMED:
        if has_points:
            title = _("You received ‘%(privilege)s’; %(points)s points spent") % words
        else:
            title = _("You received ‘%(privilege)s’") % words
        return Text(
            title, _("The counter of %(partner)s confirmed your code. Your passbook shows it.") % words
        )
    if has_points:
        title = _("Your code for ‘%(privilege)s’ expired; %(points)s points are back") % words
    else:
        title = _("Your code for ‘%(privilege)s’ expired") % words
    body = (
        _(
            "Nobody confirmed it at the counter of %(partner)s in time. You can redeem it again "
            "while it is offered."
        )
        % words
    )
    return Text(title, body)


def _partner_text(kind: str, params: dict[str, Any]) -> Text:
    """A partner's staff told of the decision on it; the note itself is on the partner's pages."""
    partner = {"partner": pick(params.get("partner_th", ""), params.get("partner_en", ""))}
    if kind == NotificationKind.PARTNER_APPROVED:
        title = _("%(partner)s is approved as a partner") % partner
        body = _("Its counter is open: offer privileges and confirm the codes people show.")
        if params.get("note"):
            body = " ".join([body, _("Open this notice to read the note of those who approved it.")])
        return Text(title, body)
    title = _("%(partner)s was not approved as a partner") % partner
    body = _("Open this notice to read the reason. You can fix what it says and register again.")
    return Text(title, body)


def _membership_text(kind: str, params: dict[str, Any]) -> Text:
    community = {"community": pick(params.get("community_th", ""), params.get("community_en", ""))}
    note = params.get("note") or ""
    if kind == NotificationKind.MEMBERSHIP_APPROVED:
        title = _("You are now a member of %(community)s") % community
        body = _(
            "Its committee approved your request. Your community’s own deed types are in your "
            "catalog now, and the deeds you record belong to it."
        )
    else:
        title = _("Your request to join %(community)s was not approved") % community
        body = _("You can still record every good deed of the national catalog, as before.")
    if note:
        body = " ".join([body, _("The committee’s note: %(note)s") % {"note": note}])
    return Text(title, body)


def _reversal_text(params: dict[str, Any], names: dict[str, str]) -> Text:
    """An auditor reversed the credit of the person's deed: what was taken back, why in neutral
    words, and the points already spent, which stay spent."""
    title = _("The credit of your good deed ‘%(deed_type)s’ was reversed") % names
    amounts = {"credit": _amount(params.get("credit")), "points": _amount(params.get("points"))}
    parts = [
        str(REVERSAL_WORDS_FOR_PERSON.get(params.get("reason_code") or "", "")),
        _("%(credit)s credit and %(points)s points were taken back from your passbook.") % amounts,
    ]
    if params.get("points_kept"):
        parts.append(
            _("%(n)s points you had already spent stay spent.") % {"n": _amount(params.get("points_kept"))}
        )
    return Text(title, " ".join(part for part in parts if part))


def _baht(satang: Any) -> str:
    try:
        return f"{int(satang) / 100:,.2f}"
    except (TypeError, ValueError):
        return "0.00"


LOAN_TEXTS: dict[str, tuple[str, str]] = {
    NotificationKind.LOAN_APPROVED: (
        gettext_noop("Your loan of %(amount)s baht is approved"),
        gettext_noop("The committee will tell you when the money is paid out."),
    ),
    NotificationKind.LOAN_DECLINED: (
        gettext_noop("Your loan application of %(amount)s baht was not approved"),
        gettext_noop("Your pledged points are back in your passbook."),
    ),
    NotificationKind.LOAN_DISBURSED: (
        gettext_noop("Your loan of %(amount)s baht is paid out"),
        gettext_noop("Open the loan to see how much to pay back and when."),
    ),
    NotificationKind.LOAN_REPAYMENT_RECORDED: (
        gettext_noop("Your repayment of %(paid)s baht is recorded"),
        gettext_noop("Open the loan for its receipt and what is left to pay."),
    ),
    NotificationKind.LOAN_CLOSED: (
        gettext_noop("Your loan of %(amount)s baht is fully repaid"),
        gettext_noop("Your pledged points are back in your passbook. Thank you."),
    ),
    NotificationKind.LOAN_DEFAULTED: (
        gettext_noop("Your loan of %(amount)s baht was closed before it was fully repaid"),
        gettext_noop(
            "Your goodness credit is not changed. Please talk with the committee about what is still owed."
        ),
    ),
}


def _loan_text(kind: str, params: dict[str, Any]) -> Text:
    """A step of the person's loan, with its amount; a loan closed unpaid says what became of the
    pledged points, by the product's rule the person saw before signing."""
    title, body = LOAN_TEXTS[kind]
    words = {"amount": _baht(params.get("satang")), "paid": _baht(params.get("paid"))}
    body = _(body)
    if kind == NotificationKind.LOAN_DEFAULTED:
        points = (
            _("Your pledged points went to the fund, as the loan’s terms said.")
            if params.get("rule") == "transfer"
            else _("Your pledged points are back in your passbook.")
        )
        body = " ".join([points, body])
    return Text(_(title) % words, body)


TIME_TEXTS: dict[str, tuple[str, str]] = {
    NotificationKind.TIME_EXCHANGE_PROPOSED: (
        gettext_noop("A time-bank exchange of %(time)s waits for you"),
        gettext_noop("Confirm it only if the time was given. Open it to confirm or decline."),
    ),
    NotificationKind.TIME_EXCHANGE_CONFIRMED: (
        gettext_noop("Your time-bank exchange of %(time)s is confirmed"),
        gettext_noop("The time moved between your balances. Open it to see your balance."),
    ),
    NotificationKind.TIME_EXCHANGE_DECLINED: (
        gettext_noop("Your proposed time-bank exchange of %(time)s was declined"),
        gettext_noop("Nothing moved. You can talk with the other member and propose it again."),
    ),
}


def _time_exchange_text(kind: str, params: dict[str, Any]) -> Text:
    title, body = TIME_TEXTS[kind]
    try:
        minutes = int(params.get("minutes") or 0)
    except (TypeError, ValueError):
        minutes = 0
    return Text(_(title) % {"time": hours_and_minutes(minutes)}, _(body))


ORGANIZATION_TEXTS: dict[str, tuple[str, str]] = {
    NotificationKind.ORGANIZATION_INVITED: (
        gettext_noop("%(organization)s invites you to act for it"),
        gettext_noop("Open “My organizations” to accept or decline. Nobody is added without saying yes."),
    ),
    NotificationKind.ORGANIZATION_APPROVED: (
        gettext_noop("%(organization)s is approved"),
        gettext_noop("You can now invite its verifiers, activity organizers and assessors."),
    ),
    NotificationKind.ORGANIZATION_DECLINED: (
        gettext_noop("%(organization)s was not approved"),
        gettext_noop("Open it to read staff's reason."),
    ),
    NotificationKind.ORGANIZATION_QUESTIONED: (
        gettext_noop("Staff ask for more about %(organization)s"),
        gettext_noop("Open it to read the question and answer it."),
    ),
}


def _organization_text(kind: str, params: dict[str, Any]) -> Text:
    """An organization's registration decided or asked about (told to its admins), or an
    invitation to act for it (told to the one who signs in with the invited phone or e-mail)."""
    title, body = ORGANIZATION_TEXTS[kind]
    name = pick(params.get("organization_th", ""), params.get("organization_en", ""))
    return Text(_(title) % {"organization": name}, _(body))


ASSESSMENT_TEXTS: dict[str, tuple[str, str]] = {
    NotificationKind.ASSESSMENT_SCORED: (
        gettext_noop("The self-assessment of %(organization)s is scored"),
        gettext_noop("Open it to see the level reached and the assessor's comments on each item."),
    ),
    NotificationKind.CERTIFICATE_REMINDER: (
        gettext_noop("The certificate of %(organization)s runs out on %(until)s"),
        gettext_noop("Start a new self-assessment in good time to renew it."),
    ),
    NotificationKind.CERTIFICATE_EXPIRED: (
        gettext_noop("The certificate of %(organization)s has run out"),
        gettext_noop("Start a new self-assessment to be certified again."),
    ),
}


def _assessment_text(kind: str, params: dict[str, Any]) -> Text:
    """An organization's self-assessment scored, or its certificate to renew or run out (told to
    its admins)."""
    title, body = ASSESSMENT_TEXTS[kind]
    name = pick(params.get("organization_th", ""), params.get("organization_en", ""))
    until = params.get("valid_until") or ""
    try:
        until = format_date(date.fromisoformat(until)) if until else ""
    except ValueError:
        pass
    return Text(_(title) % {"organization": name, "until": until}, _(body))
