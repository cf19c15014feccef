"""What rewards holds about a person (common/personal_data.py): the sponsors they act for, their
redemptions of privileges, the partners they serve or registered or decided on, and the partner
tokens they made. Levels are not stored per person (they are read from the lifetime credit)."""

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.rewards.models import Partner, PartnerToken, Redemption
from kwamdee.rewards.redemptions import code_display, redemptions_of
from kwamdee.rewards.selectors import sponsors_of


@personal_data_section("sponsors", order=62)
def sponsors_section(person: Any) -> Section:
    rows = [{"sponsor": sponsor.name, "kind": sponsor.get_kind_display()} for sponsor in sponsors_of(person)]
    return Section("sponsors", _("Sponsors you act for"), rows)


@personal_data_section("redemptions", order=63)
def redemptions_section(person: Any) -> Section:
    """Every privilege the person redeemed, with its code, its points and what became of it."""
    rows = [
        {
            "privilege": r.privilege.title,
            "partner": r.partner.name,
            "code": code_display(r.code),
            "points": r.points,
            "state": r.get_state_display(),
            "created_at": r.created_at,
            "expires_at": r.expires_at,
            "decided_at": r.decided_at,
            # Whether the person agreed to show their name to this partner for this code.
            "identity_shared": r.identity_shared,
            # Where they lived when redeeming (the reports by area count it there).
            "province_code": r.province_code,
            "community": r.community.name if r.community else "",
        }
        for r in redemptions_of(person).select_related("community").order_by("created_at", "id")
    ]
    note = _(
        "A partner sees a code's privilege, points and time, and your name only where you agreed "
        "to share it for that code."
    )
    return Section("redemptions", _("Privileges you redeemed"), rows, note)


@personal_data_section("partners", order=64)
def partners_section(person: Any) -> Section:
    """The partners the person serves at the counter of, registered, or decided on (as a
    committee member or national staff)."""
    partners = (
        Partner.objects.filter(Q(staff=person) | Q(registered_by=person) | Q(decided_by=person))
        .distinct()
        .order_by("created_at", "id")
    )
    staff_of = set(Partner.objects.filter(staff=person).values_list("pk", flat=True))
    confirmed = dict(
        Redemption.objects.filter(confirmed_by=person)
        .values("partner")
        .annotate(n=Count("id"))
        .values_list("partner", "n")
    )
    rows = [
        {
            "partner": partner.name,
            "kind": partner.get_kind_display(),
            "state": partner.get_state_display(),
            "counter_staff": partner.pk in staff_of,
            "registered_by_you": partner.registered_by_id == person.pk,
            "registered_at": partner.created_at,
            "decided_by_you": partner.decided_by_id == person.pk,
            "decided_at": partner.decided_at,
            # The note is what the decider wrote: theirs to read, and nobody else's here.
            "decision_note": partner.decision_note if partner.decided_by_id == person.pk else "",
            # Codes the person confirmed at this partner's counter (a count: the codes are the
            # redeemers' data, in their own export).
            "codes_you_confirmed": confirmed.get(partner.pk, 0),
        }
        for partner in partners
    ]
    note = _("The partner's name, address and contact belong to the business, not to you.")
    return Section("partners", _("Partners you serve, registered or decided on"), rows, note)


@personal_data_section("partner_tokens", order=65)
def partner_tokens_section(person: Any) -> Section:
    """The tokens the person made for a partner's own system (never the token: only its hash
    is kept)."""
    tokens = PartnerToken.objects.filter(created_by=person).select_related("partner").order_by("created_at")
    rows = [
        {
            "partner": token.partner.name,
            "label": token.label,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
        }
        for token in tokens
    ]
    return Section("partner_tokens", _("Tokens you made for a partner's system"), rows)
