"""Privileges: what partners offer, where, for how many points and from which level; and the
reads a citizen browses ("near me": their community, district, province and the whole country)."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_fields_problems
from kwamdee.evidence.services import evidence_files_delete, photo_clean
from kwamdee.rewards.choices import AreaKind, LimitPeriod, PartnerState, PrivilegeState, RedemptionState
from kwamdee.rewards.errors import PrivilegeInvalid
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.levels import MAX_LEVELS
from kwamdee.rewards.models import Partner, Privilege, PrivilegeArea, Redemption
from kwamdee.rewards.partners import PartnerTokenActor, partner_served_by

MAX_COST_POINTS = 1_000_000
MAX_STOCK = 1_000_000
MAX_PER_PERSON = 1000
MIN_CODE_MINUTES = 5
MAX_CODE_MINUTES = 7 * 24 * 60  # a week: a health check booked for a later day


@dataclass
class PrivilegeIn:
    title_th: str
    cost_points: int
    valid_from: date
    valid_until: date
    title_en: str = ""
    description_th: str = ""
    description_en: str = ""
    min_level: int = 0
    stock: int | None = None
    per_person_limit: int | None = None
    per_person_period: str = LimitPeriod.EVER
    code_minutes: int = 60
    shares_identity: bool = False
    # (kind, code): ("community", its public id), ("district", "1001"), ("province", "10"), ("national", "")
    areas: list[tuple[str, str]] = field(default_factory=list)


# --- the one rule of each decision ---------------------------------------------------------


def privilege_offerable_by(actor: Any, partner: Partner) -> bool:
    """May `actor` offer (or change, or withdraw) privileges of `partner`: its approved staff, or
    national staff who offer privileges in the whole country. Never a partner's own system."""
    if isinstance(actor, PartnerTokenActor) or partner.state != PartnerState.APPROVED:
        return False
    return partner_served_by(actor, partner) or actor.has_perm("rewards.offer_national_privileges")


def areas_allowed(actor: Any, partner: Partner) -> list[tuple[str, str]]:
    """The areas `actor` may offer `partner`'s privileges in: where the partner is (its community,
    district, province), and the whole country for national staff."""
    allowed = [
        (AreaKind.DISTRICT.value, partner.district_code),
        (AreaKind.PROVINCE.value, partner.province_code),
    ]
    if partner.community is not None:
        allowed.insert(0, (AreaKind.COMMUNITY.value, str(partner.community.public_id)))
    if actor.has_perm("rewards.offer_national_privileges"):
        allowed.append((AreaKind.NATIONAL.value, ""))
    return allowed


# --- writes -----------------------------------------------------------------------------------


def _problems(actor: Any, partner: Partner, data: PrivilegeIn, *, creating: bool) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not data.title_th.strip():
        errors["title_th"] = [_("Required.")]
    texts = {
        k: getattr(data, k).strip() for k in ("title_th", "title_en", "description_th", "description_en")
    }
    limits = {"title_th": 200, "title_en": 200, "description_th": 2000, "description_en": 2000}
    multiline = {"description_th", "description_en"}
    for name, problems in text_fields_problems(texts, max_chars=limits, multiline=multiline).items():
        errors.setdefault(name, problems)

    def whole(name: str, value: Any, low: int, high: int, *, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [_("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]

    whole("cost_points", data.cost_points, 0, MAX_COST_POINTS)
    whole("min_level", data.min_level, 0, MAX_LEVELS)
    whole("stock", data.stock, 1 if creating else 0, MAX_STOCK, optional=True)
    whole("per_person_limit", data.per_person_limit, 1, MAX_PER_PERSON, optional=True)
    whole("code_minutes", data.code_minutes, MIN_CODE_MINUTES, MAX_CODE_MINUTES)
    if (
        not errors.get("cost_points")
        and not errors.get("min_level")
        and not data.cost_points
        and not data.min_level
    ):
        errors["cost_points"] = [_("Set a cost in points, a minimum level, or both.")]
    if data.per_person_period not in LimitPeriod.values:
        errors["per_person_period"] = [_("Choose a period.")]
    if data.valid_until < data.valid_from:
        errors["valid_until"] = [_("The end date must not be before the start date.")]
    elif data.valid_until < timezone.localdate():
        errors["valid_until"] = [_("The end date must not be in the past.")]
    allowed = areas_allowed(actor, partner)
    if not data.areas:
        errors["areas"] = [_("Choose at least one area where it is offered.")]
    elif any((kind, code) not in allowed for kind, code in data.areas):
        errors["areas"] = [
            _("Choose among the areas shown: where the partner is, or the whole country for national staff.")
        ]
    return errors


def _photo_store(photo: Any) -> str:
    _content_type, extension, data = photo_clean(photo)
    return default_storage.save(f"privileges/{uuid.uuid4().hex}.{extension}", ContentFile(data))


@transaction.atomic
def privilege_offer(*, actor: Actor, partner: Partner, data: PrivilegeIn, photo: Any = None) -> Privilege:
    """A partner's staff (or national staff) offers a privilege. The photo is checked and
    cleaned like evidence (metadata dropped) before anything is written."""
    if not privilege_offerable_by(actor, partner):
        raise PermissionDenied()
    errors = _problems(actor, partner, data, creating=True)
    if errors:
        raise PrivilegeInvalid(fields=errors)
    photo_name = _photo_store(photo) if photo is not None else ""
    try:
        privilege = Privilege.objects.create(
            partner=partner, title_th=data.title_th.strip(), title_en=data.title_en.strip(),
            description_th=data.description_th.strip(), description_en=data.description_en.strip(),
            photo=photo_name, cost_points=data.cost_points, min_level=data.min_level, stock=data.stock,
            stock_left=data.stock, per_person_limit=data.per_person_limit,
            per_person_period=data.per_person_period, valid_from=data.valid_from,
            valid_until=data.valid_until, code_minutes=data.code_minutes,
            shares_identity=data.shares_identity, created_by=person_or_none(actor),
        )  # fmt: skip
        PrivilegeArea.objects.bulk_create(
            [
                PrivilegeArea(privilege=privilege, kind=kind, code=code)
                for kind, code in dict.fromkeys(data.areas)
            ]
        )
        audit_record(actor=actor, event=RewardsEvent.PRIVILEGE_OFFER, subject_id=privilege.public_id,
                     data={"partner": str(partner.public_id), "cost_points": data.cost_points,
                           "min_level": data.min_level, "stock": data.stock})  # fmt: skip
    except BaseException:
        evidence_files_delete([photo_name])
        raise
    return privilege


@transaction.atomic
def privilege_update(
    *, actor: Actor, privilege: Privilege, data: PrivilegeIn, photo: Any = None
) -> Privilege:
    """Changes a privilege. Codes already given keep what they were given; a new stock counts
    what was already given out (it cannot fall below that)."""
    # Only the privilege's row: PostgreSQL cannot lock the nullable side of the outer join to a
    # partner's community (a partner without one), and the partner needs no lock here.
    privilege = rows_lock(
        Privilege.objects.filter(pk=privilege.pk).select_related("partner__community"), of=("self",)
    )[0]
    if not privilege_offerable_by(actor, privilege.partner):
        raise PermissionDenied()
    errors = _problems(actor, privilege.partner, data, creating=False)
    if privilege.stock is not None:
        given = privilege.stock - (privilege.stock_left or 0)
    else:  # unlimited until now: what its waiting and received codes took
        given = Redemption.objects.filter(
            privilege=privilege, state__in=[RedemptionState.HELD, RedemptionState.CONFIRMED]
        ).count()
    if not errors.get("stock") and data.stock is not None and data.stock < given:
        errors["stock"] = [_("%(n)s were already given out: the stock cannot be less.") % {"n": given}]
    if errors:
        raise PrivilegeInvalid(fields=errors)
    if data.stock is None:
        stock_left = None
    else:
        stock_left = data.stock - given
    old_photo = privilege.photo
    if photo is not None:
        privilege.photo = _photo_store(photo)
    for name in ("title_th", "title_en", "description_th", "description_en"):
        setattr(privilege, name, getattr(data, name).strip())
    for name in ("cost_points", "min_level", "stock", "per_person_limit", "per_person_period", "valid_from",
                 "valid_until", "code_minutes", "shares_identity"):  # fmt: skip
        setattr(privilege, name, getattr(data, name))
    privilege.stock_left = stock_left
    privilege.save()
    PrivilegeArea.objects.filter(privilege=privilege).delete()
    PrivilegeArea.objects.bulk_create(
        [PrivilegeArea(privilege=privilege, kind=kind, code=code) for kind, code in dict.fromkeys(data.areas)]
    )
    audit_record(actor=actor, event=RewardsEvent.PRIVILEGE_UPDATE, subject_id=privilege.public_id,
                 data={"cost_points": data.cost_points, "min_level": data.min_level,
                       "stock": data.stock})  # fmt: skip
    if photo is not None and old_photo:
        transaction.on_commit(lambda: evidence_files_delete([old_photo]))
    return privilege


@transaction.atomic
def privilege_withdraw(*, actor: Actor, privilege: Privilege) -> Privilege:
    """No longer offered. Codes already given stay good until they expire."""
    privilege = rows_lock(Privilege.objects.filter(pk=privilege.pk).select_related("partner"))[0]
    if not privilege_offerable_by(actor, privilege.partner):
        raise PermissionDenied()
    if privilege.state == PrivilegeState.WITHDRAWN:
        return privilege
    privilege.state = PrivilegeState.WITHDRAWN
    privilege.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, event=RewardsEvent.PRIVILEGE_WITHDRAW, subject_id=privilege.public_id)
    return privilege


# --- reads ------------------------------------------------------------------------------------


def privilege_get(public_id: Any) -> Privilege | None:
    try:
        return (
            Privilege.objects.select_related("partner", "partner__community")
            .prefetch_related("areas")
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, ValidationError):
        return None


def person_area_filter(person: Any, *, prefix: str = "") -> Q:
    """Privileges offered where `person` lives: their community, district, province, or everywhere."""
    keys = [(AreaKind.NATIONAL.value, "")]
    if getattr(person, "province_code", ""):
        keys.append((AreaKind.PROVINCE.value, person.province_code))
    if getattr(person, "district_code", ""):
        keys.append((AreaKind.DISTRICT.value, person.district_code))
    community = getattr(person, "community", None)
    if community is not None:
        keys.append((AreaKind.COMMUNITY.value, str(community.public_id)))
    q = Q()
    for kind, code in keys:
        q |= Q(**{f"{prefix}areas__kind": kind, f"{prefix}areas__code": code})
    return q


def privileges_offered(*, today: date | None = None) -> QuerySet[Privilege]:
    """Every privilege offered today: active, in its dates, by an approved partner."""
    today = today or timezone.localdate()
    return Privilege.objects.filter(
        state=PrivilegeState.ACTIVE, valid_from__lte=today, valid_until__gte=today,
        partner__state=PartnerState.APPROVED,
    )  # fmt: skip


def privileges_near(person: Any, *, today: date | None = None) -> QuerySet[Privilege]:
    """The privileges offered to `person` today, where they live, cheapest first."""
    ids = privileges_offered(today=today).filter(person_area_filter(person)).values("pk")
    return (
        Privilege.objects.filter(pk__in=ids)
        .select_related("partner", "partner__community")
        .order_by("cost_points", "min_level", "title_th", "id")
    )


def privilege_offered_to(person: Any, privilege: Privilege, *, today: date | None = None) -> bool:
    return privileges_offered(today=today).filter(person_area_filter(person), pk=privilege.pk).exists()


def privileges_of_partner(partner: Partner) -> QuerySet[Privilege]:
    return (
        Privilege.objects.filter(partner=partner)
        .prefetch_related("areas")
        .order_by("state", "title_th", "id")
    )
