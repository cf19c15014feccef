"""What the people app holds about a person: the profile, consents, requests to join a community,
API tokens and two-step sign-in (common/personal_data.py)."""

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kwamdee.areas.selectors import area_label
from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.people.models import ApiToken, Consent
from kwamdee.people.selectors import membership_history


@personal_data_section("profile", order=10)
def profile_section(person: Any) -> Section:
    row = {
        "public_id": str(person.public_id),
        "full_name": person.full_name,
        "phone": person.phone or "",
        "email": person.email or "",
        "subdistrict_code": person.subdistrict_code,
        "area": area_label(person.subdistrict_code) if person.subdistrict_code else "",
        "community": person.community.name if person.community_id else "",
        # Only a keyed fingerprint is held, to stop double registration; never the number.
        "national_id": str(_("held as a fingerprint only")) if person.national_id_hash else "",
        "national_id_confirmed_at": person.national_id_confirmed_at,
        # When the code sent to the phone or e-mail was entered (people/contact_confirmation.py).
        "contact_confirmed_at": person.contact_confirmed_at,
        "joined_at": person.date_joined,
        "last_sign_in_at": person.last_login,
    }
    return Section("profile", _("Profile"), [row])


def _notice_date(version: str) -> Any:
    """A notice version is the date it was published: a date, read as one (พ.ศ. on the page)."""
    try:
        return date.fromisoformat(version)
    except ValueError:
        return version


@personal_data_section("consents", order=20)
def consents_section(person: Any) -> Section:
    rows = [
        {
            "purpose": consent.get_purpose_display(),
            "notice_version": _notice_date(consent.notice_version),
            "given_at": consent.given_at,
            "withdrawn_at": consent.withdrawn_at,
        }
        for consent in Consent.objects.filter(person=person).order_by("given_at", "id")
    ]
    return Section("consents", _("Consents"), rows)


@personal_data_section("community_membership", order=59)
def community_membership_section(person: Any) -> Section:
    """Each request to join a community and its committee's decision (people/membership.py)."""
    rows = [
        {
            "community": membership.community.name,
            "state": membership.get_state_display(),
            "requested_at": membership.created_at,
            "decided_at": membership.decided_at,
            "note": membership.note,
            # The request ended when the person moved to another subdistrict.
            "ended_at": membership.ended_at,
        }
        for membership in membership_history(person)
    ]
    return Section("community_membership", _("Joining a community"), rows)


@personal_data_section("api_tokens", order=80)
def api_tokens_section(person: Any) -> Section:
    rows = [
        {
            "label": token.label,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
        }
        for token in ApiToken.objects.filter(person=person).order_by("created_at", "id")
    ]
    note = _("Only a fingerprint of each sign-in token is kept, never the token itself.")
    return Section("api_tokens", _("Sign-in tokens for apps"), rows, note)


@personal_data_section("two_factor", order=82)
def two_factor_section(person: Any) -> Section:
    """The authenticator app and the recovery codes: their kind and dates, never a key or a code."""
    kinds = ((TOTPDevice, _("Authenticator app")), (StaticDevice, _("Recovery codes")))
    rows = [
        {
            "kind": str(kind),
            "status": str(_("In use") if device.confirmed else _("Being set up")),
            "created_at": device.created_at,
            "last_used_at": device.last_used_at,
        }
        for model, kind in kinds
        for device in model.objects.filter(user=person).order_by("id")
    ]
    note = _(
        "The app's key and the recovery codes are kept only to check the codes you type, and are never shown."
    )
    return Section("two_factor", _("Two-step sign-in"), rows, note)
