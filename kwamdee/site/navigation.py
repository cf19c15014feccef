"""The site's main navigation: which links a person sees, and which one is the current page."""

from dataclasses import dataclass
from typing import Any

from django import db
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kwamdee.notifications.selectors import unread_count


@dataclass(frozen=True)
class NavLink:
    url: str
    label: Any
    current: bool = False


# (url name, label, permission needed (or a check of the request) or None, signed in only)
LINKS = [
    ("catalog:browse", _("Catalog"), None, False),
    ("passbook:passbook", _("Passbook"), None, True),
    ("deeds:new", _("Record a deed"), None, True),
    ("activities:list", _("Activities"), None, True),
    ("rewards:privileges", _("Privileges"), None, True),
    ("loans:home", _("Goodness bank"), None, True),
    ("timebank:home", _("Time bank"), None, True),
    # A check of the request; the session keeps its answer a few minutes (rewards/views_partner.py).
    ("rewards:partners_mine", _("Counter"), lambda request: _rewards_nav(request)["counter"], True),
    ("deeds:queue", _("Verification queue"), "deeds.verify_deed", True),
    ("catalog:manage", _("Manage catalog"), "catalog.manage_catalog", True),
    ("catalog:communities", _("Community catalog"), "catalog.adapt_catalog", True),
    ("people:membership_requests", _("Requests to join"), "catalog.adapt_catalog", True),
    (
        "rewards:partners_waiting",
        _("Partners waiting"),
        lambda request: _rewards_nav(request)["waiting"],
        True,
    ),
    ("rewards:sponsorships", _("Sponsorships"), "rewards.pledge_sponsorship", True),
    ("privacy:requests", _("Data requests"), "privacy.handle_requests", True),
    ("review:desk", _("Fairness review"), "deeds.review_flags", True),
    ("organizations:registrations", _("Organizations waiting"), "organizations.add_organization", True),
    ("assessments:desk", _("Assessor's desk"), "assessments.assess_organization", True),
    ("people:signup", _("Join"), None, None),
    ("people:login", _("Sign in"), None, None),
]


def _rewards_nav(request: HttpRequest) -> dict[str, Any]:
    from kwamdee.rewards.views_partner import partner_nav

    return partner_nav(request)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `nav_links` for base.html, worked out only when a page shows them and
    never failing the page (the 500 page shows when the database is what failed)."""

    def links() -> list[NavLink]:
        try:
            return nav_links(request)
        except db.Error:  # InterfaceError too ("connection already closed")
            return []

    def unread() -> int:
        """The header's count of unread notifications: one COUNT, only for a signed-in person
        and only when the page shows the header."""
        try:
            return unread_count(person=getattr(request, "user", None))
        except db.Error:
            return 0

    return {"nav_links": links, "notifications_unread": unread}


def nav_links(request: HttpRequest) -> list[NavLink]:
    """The links a person sees. The current page is the link whose address is the longest
    start of the path, so /catalog/manage/ marks "Manage catalog", not "Catalog"."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    shown = []
    for name, label, perm, members in LINKS:
        if members is None and signed_in:  # join and sign in: for visitors only
            continue
        if members and not signed_in:
            continue
        if callable(perm):
            if not perm(request):
                continue
        elif perm and not user.has_perm(perm):  # type: ignore[union-attr]
            continue
        shown.append((reverse(name), label))
    matches = [url for url, _label in shown if request.path.startswith(url)]
    current = max(matches, key=len) if matches else None
    return [NavLink(url, label, url == current) for url, label in shown]
