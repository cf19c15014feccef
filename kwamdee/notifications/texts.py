"""The words of each kind of notification, worded when shown (in the reader's language) or when
sent (in Thai, the site's language: people/messaging.py has no per-person language yet)."""

from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from kwamdee.common.i18n import pick
from kwamdee.deeds.choices import RejectionReason
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
    return Text(_("Something changed on your good deed ‘%(deed_type)s’") % names, "")
