"""Partners: registering, approval by staff or the community's committee, counter staff, and
tokens for a partner's own system. Reads and the one rule of each decision are here too."""

import hashlib
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import (
    community_administered_by,
    community_ids_administered_by,
    subdistrict_exists,
)
from kwamdee.catalog.validation import NAME_MAX
from kwamdee.common.actors import Actor, SystemActor, is_system, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.common.locks import rows_lock
from kwamdee.common.roles import Role, role_grant
from kwamdee.common.text_validation import text_fields_problems
from kwamdee.people.selectors import person_by_login
from kwamdee.rewards.choices import PartnerKind, PartnerState
from kwamdee.rewards.errors import PartnerInvalid
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.models import Partner, PartnerToken

PHONE = re.compile(r"0[0-9]{8,9}")
MAX_STAFF = 50
TOKEN_PREFIX = "kwp_"  # a partner token reads differently from a person's, in logs and headers


class PartnerTokenActor(SystemActor):
    """A partner's own system acting through its token: it may do what the partner's counter
    does for that partner, and nothing else (no permission holds for it)."""

    def __init__(self, token: PartnerToken) -> None:
        super().__init__(f"partner-token:{token.pk}")
        self.partner = token.partner
        self.label = token.label or f"token {token.pk}"

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False


# --- reads ------------------------------------------------------------------------------------


def partner_get(public_id: Any) -> Partner | None:
    try:
        return Partner.objects.select_related("community").filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def partner_by_name(name_th: str) -> Partner | None:
    """The partner of this Thai name (the demo finds the partners it made before by their names)."""
    return Partner.objects.filter(name_th=name_th).order_by("id").first()


def partners_served_by(person: Any) -> QuerySet[Partner]:
    """The partners at whose counter the person serves (approved or not yet)."""
    if not getattr(person, "pk", None):
        return Partner.objects.none()
    return Partner.objects.filter(staff=person).order_by("name_th", "id")


def partner_served_by(actor: Any, partner: Partner) -> bool:
    """The one rule for "may act at this partner's counter" (confirm codes, see its redemptions
    and report, offer privileges, add staff): its approved staff, or its own token."""
    if isinstance(actor, PartnerTokenActor):
        return actor.partner.pk == partner.pk and partner.state == PartnerState.APPROVED
    if is_system(actor):
        return True
    return bool(
        getattr(actor, "pk", None)
        and partner.state == PartnerState.APPROVED
        and partner.staff.filter(pk=actor.pk).exists()
    )


def partner_decidable_by(actor: Any, partner: Partner) -> bool:
    """The one rule for "may approve or decline this partner": national staff anywhere, the
    committee of the partner's community for it — never one of its own staff, never a partner's
    system (its token is a system actor, but it acts at its own counter and nowhere else)."""
    if isinstance(actor, PartnerTokenActor):
        return False
    if is_system(actor):
        return True
    if not getattr(actor, "pk", None) or partner.staff.filter(pk=actor.pk).exists():
        return False
    if actor.has_perm("rewards.approve_partners"):
        return True
    return partner.community is not None and community_administered_by(actor, partner.community)


def partners_waiting_for(actor: Any) -> QuerySet[Partner]:
    """The partners waiting for `actor`'s decision, oldest first."""
    waiting = Partner.objects.filter(state=PartnerState.PENDING).select_related("community")
    if not getattr(actor, "pk", None):
        return Partner.objects.none()
    waiting = waiting.exclude(staff=actor)
    if actor.has_perm("rewards.approve_partners"):
        return waiting.order_by("created_at", "id")
    return waiting.filter(community_id__in=community_ids_administered_by(actor)).order_by("created_at", "id")


def partners_approved() -> QuerySet[Partner]:
    return Partner.objects.filter(state=PartnerState.APPROVED).order_by("name_th", "id")


# --- writes -----------------------------------------------------------------------------------


def _partner_problems(
    *, name_th: str, name_en: str, kind: str, subdistrict_code: str, address: str, contact_phone: str,
    contact_email: str,
) -> dict[str, list[Any]]:  # fmt: skip
    errors: dict[str, list[Any]] = {}
    if not name_th.strip():
        errors["name_th"] = [_("Required.")]
    texts = {"name_th": name_th.strip(), "name_en": name_en.strip(), "address": address.strip()}
    limits = {"name_th": NAME_MAX, "name_en": NAME_MAX, "address": 300}
    for field, problems in text_fields_problems(texts, max_chars=limits).items():
        errors.setdefault(field, problems)
    if kind not in PartnerKind.values:
        errors["kind"] = [_("Choose a kind.")]
    if not subdistrict_exists(subdistrict_code):
        errors["subdistrict_code"] = [_("Choose the subdistrict where the partner is.")]
    if contact_phone and not PHONE.fullmatch(contact_phone):
        errors["contact_phone"] = [_("Give a Thai phone number of 9 or 10 digits, starting with 0.")]
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = [_("Give a valid e-mail address.")]
    if not contact_phone and not contact_email:
        errors["contact_phone"] = [
            _("Give a phone number or an e-mail address people can reach the partner at.")
        ]
    return errors


@transaction.atomic
def partner_register(
    *, actor: Actor, name_th: str, name_en: str = "", kind: str, subdistrict_code: str, address: str = "",
    contact_phone: str = "", contact_email: str = "",
) -> Partner:  # fmt: skip
    """A person registers a partner (their shop, clinic, agency…); they become its first counter
    staff. It waits for national staff, or for the committee of the community in its subdistrict."""
    from kwamdee.areas.selectors import community_for_subdistrict

    person = person_or_none(actor)
    if person is None:
        raise PermissionDenied()
    contact_phone = "".join(ch for ch in contact_phone if ch.isdigit())
    contact_email = contact_email.strip().lower()
    errors = _partner_problems(
        name_th=name_th, name_en=name_en, kind=kind, subdistrict_code=subdistrict_code, address=address,
        contact_phone=contact_phone, contact_email=contact_email,
    )  # fmt: skip
    if errors:
        raise PartnerInvalid(fields=errors)
    partner = Partner.objects.create(
        name_th=name_th.strip(), name_en=name_en.strip(), kind=kind, subdistrict_code=subdistrict_code,
        district_code=subdistrict_code[:4], province_code=subdistrict_code[:2],
        community=community_for_subdistrict(subdistrict_code), address=address.strip(),
        contact_phone=contact_phone, contact_email=contact_email, registered_by=person,
    )  # fmt: skip
    partner.staff.add(person)
    audit_record(actor=actor, event=RewardsEvent.PARTNER_REGISTER, subject_id=partner.public_id,
                 data={"kind": kind, "subdistrict": subdistrict_code})  # fmt: skip
    return partner


@transaction.atomic
def partner_decide(*, actor: Actor, partner: Partner, approve: bool, note: str = "") -> Partner:
    """Approves (its staff get the partner role) or declines a waiting partner, once."""
    partner = rows_lock(Partner.objects.filter(pk=partner.pk))[0]
    if not partner_decidable_by(actor, partner):
        raise PermissionDenied()
    if partner.state != PartnerState.PENDING:
        raise PartnerInvalid(_("This partner was already decided."))
    note = note.strip()
    if problems := text_fields_problems({"note": note}, max_chars={"note": 500}):
        raise PartnerInvalid(fields=problems)
    if not approve and not note:
        raise PartnerInvalid(fields={"note": [_("Say why, so the partner can fix it and register again.")]})
    partner.state = PartnerState.APPROVED if approve else PartnerState.DECLINED
    partner.decided_by = person_or_none(actor)
    partner.decided_at = timezone.now()
    partner.decision_note = note
    partner.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])
    staff = list(partner.staff.all())
    if approve:
        for person in staff:
            role_grant(actor=actor, person=person, role=Role.PARTNER, audit=False)
    # The staff (internal ids) and the partner's names, so that the notifications app can tell
    # them; the note's length only, never its text (the audit log is append-only: erasure could
    # not reach it). The note stays on the partner, where its staff read it.
    audit_record(actor=actor, event=RewardsEvent.PARTNER_DECIDE, subject_id=partner.public_id,
                 data={"state": partner.state, "role": Role.PARTNER if approve else "",
                       "staff": [person.pk for person in staff], "partner_th": partner.name_th,
                       "partner_en": partner.name_en, "note_length": len(note)})  # fmt: skip
    return partner


@transaction.atomic
def partner_staff_add(*, actor: Actor, partner: Partner, login: str) -> Any:
    """A partner's staff member adds a colleague by the phone or e-mail they sign in with."""
    if not partner_served_by(actor, partner) or isinstance(actor, PartnerTokenActor):
        raise PermissionDenied()
    person = person_by_login(login.strip())
    if person is None or not person.is_active:
        raise PartnerInvalid(
            fields={"login": [_("Nobody signs in with this phone or e-mail. Ask them to sign up first.")]}
        )
    if partner.staff.count() >= MAX_STAFF:
        raise PartnerInvalid(fields={"login": [_("At most %(n)s staff members.") % {"n": MAX_STAFF}]})
    if partner.staff.filter(pk=person.pk).exists():
        return person
    partner.staff.add(person)
    role_grant(actor=actor, person=person, role=Role.PARTNER, audit=False)
    audit_record(actor=actor, event=RewardsEvent.PARTNER_STAFF_ADD, subject_id=partner.public_id,
                 data={"person": str(person.public_id), "role": Role.PARTNER})  # fmt: skip
    return person


@transaction.atomic
def partner_staff_remove(*, actor: Actor, partner: Partner, person: Any) -> None:
    """Removes a staff member (never the last one: somebody must serve the counter)."""
    if not partner_served_by(actor, partner) or isinstance(actor, PartnerTokenActor):
        raise PermissionDenied()
    if not partner.staff.filter(pk=person.pk).exists():
        raise NotFound()
    if partner.staff.count() <= 1:
        raise PartnerInvalid(_("A partner keeps at least one staff member."))
    partner.staff.remove(person)
    audit_record(actor=actor, event=RewardsEvent.PARTNER_STAFF_REMOVE, subject_id=partner.public_id,
                 data={"person": str(person.public_id)})  # fmt: skip


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def partner_token_issue(*, actor: Actor, partner: Partner, label: str = "") -> str:
    """A new token for the partner's own system (shown once, stored hashed)."""
    if not partner_served_by(actor, partner) or isinstance(actor, PartnerTokenActor):
        raise PermissionDenied()
    label = label.strip()[:100]
    if problems := text_fields_problems({"label": label}, max_chars={"label": 100}):
        raise PartnerInvalid(fields=problems)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PartnerToken.objects.create(
        partner=partner, key_hash=_token_digest(raw), label=label, created_by=person_or_none(actor)
    )
    audit_record(actor=actor, event=RewardsEvent.PARTNER_TOKEN_ISSUE, subject_id=partner.public_id,
                 data={"token_id": token.pk})  # fmt: skip
    return raw


@transaction.atomic
def partner_token_revoke(*, actor: Actor, partner: Partner, token_id: int) -> None:
    if not partner_served_by(actor, partner) or isinstance(actor, PartnerTokenActor):
        raise PermissionDenied()
    count = PartnerToken.objects.filter(pk=token_id, partner=partner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not count:
        raise NotFound()
    audit_record(actor=actor, event=RewardsEvent.PARTNER_TOKEN_REVOKE, subject_id=partner.public_id,
                 data={"token_id": token_id})  # fmt: skip


def partner_tokens(partner: Partner) -> QuerySet[PartnerToken]:
    return PartnerToken.objects.filter(partner=partner, revoked_at__isnull=True)


def partner_token_actor(raw: str) -> PartnerTokenActor | None:
    """The partner behind a token (approved, token not revoked), as an actor; None otherwise."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        PartnerToken.objects.select_related("partner")
        .filter(key_hash=_token_digest(raw), revoked_at__isnull=True, partner__state=PartnerState.APPROVED)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return PartnerTokenActor(token)
