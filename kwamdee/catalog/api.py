"""API: the catalog (public reads; staff edits and imports; community adaptation; sponsors)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool, StrictFloat, StrictInt

from kwamdee.areas.selectors import community_administered_by, community_get
from kwamdee.areas.services import community_catalog_adopt
from kwamdee.catalog import selectors
from kwamdee.catalog.models import DeedType
from kwamdee.catalog.services import (
    category_save,
    community_item_switch,
    community_rule_adjust,
    deed_type_create,
    deed_type_update,
    rule_proposal_approve,
)
from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.people.auth import TokenAuth, anonymous

router = Router(tags=["catalog"])
# Open to everyone; a bearer token, when sent, shows the caller's own community's catalog.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{"TokenAuth": []}, {}]}


class VirtueOut(Schema):
    code: str
    name_th: str
    name_en: str


class SdgOut(Schema):
    number: int
    name_th: str
    name_en: str
    color: str


class CategoryOut(Schema):
    code: str
    name_th: str
    name_en: str


class WeightOut(Schema):
    virtue: str
    weight: float


class RuleOut(Schema):
    version: int
    effective_from: date
    community: UUID | None
    credit_per_unit: int
    points_per_unit: int
    per_day: int | None
    per_week: int | None
    per_month: int | None
    per_year: int | None
    cooldown_days: int


class IndicatorOut(Schema):
    code: str
    name_th: str
    name_en: str


class DeedTypeOut(Schema):
    public_id: UUID
    code: str
    name_th: str
    name_en: str
    description_th: str
    description_en: str
    category: str | None
    community: UUID | None
    pricing: str
    unit_name_th: str
    unit_name_en: str
    virtues: list[WeightOut]
    sdgs: list[int]
    sdg_targets: list[str]
    evidence: str
    witnesses_required: int
    verifier_kind: str
    adjust_bound_pct: int


class DeedTypeDetailOut(DeedTypeOut):
    indicators: list[IndicatorOut]
    rule_in_force: RuleOut | None
    rule_history: list[RuleOut]


class DeedTypeIn(Schema):
    """One deed type; `virtues` maps virtue codes to weights that sum to 1."""

    code: str
    category: str = ""
    name_th: str
    name_en: str
    description_th: str = ""
    description_en: str = ""
    pricing: str
    unit_name_th: str = ""
    unit_name_en: str = ""
    credit_per_unit: StrictInt
    points_per_unit: StrictInt
    per_day: StrictInt | None = None
    per_week: StrictInt | None = None
    per_month: StrictInt | None = None
    per_year: StrictInt | None = None
    cooldown_days: StrictInt = 0
    evidence: str = "none"
    witnesses_required: StrictInt = 0
    verifier: str = "organization"
    virtues: dict[str, StrictInt | StrictFloat]
    sdgs: list[str]
    indicators: list[IndicatorOut] = []
    adjust_bound_pct: StrictInt = 50
    is_active: StrictBool = True
    effective_from: date | None = None


class Filters(Schema):
    q: str = Field("", max_length=100)
    virtue: str = ""
    sdg: int | None = None
    category: str = ""
    community: UUID | None = None


def rule_out(rule) -> RuleOut | None:
    if rule is None:
        return None
    return RuleOut(
        version=rule.version, effective_from=rule.effective_from,
        community=rule.community.public_id if rule.community else None,
        credit_per_unit=rule.credit_per_unit, points_per_unit=rule.points_per_unit,
        per_day=rule.per_day, per_week=rule.per_week, per_month=rule.per_month,
        per_year=rule.per_year, cooldown_days=rule.cooldown_days,
    )  # fmt: skip


def deed_type_out(dt: DeedType) -> dict[str, Any]:
    return {
        "public_id": dt.public_id, "code": dt.code, "name_th": dt.name_th, "name_en": dt.name_en,
        "description_th": dt.description_th, "description_en": dt.description_en,
        "category": dt.category.code if dt.category else None,
        "community": dt.community.public_id if dt.community else None,
        "pricing": dt.pricing, "unit_name_th": dt.unit_name_th, "unit_name_en": dt.unit_name_en,
        "virtues": [WeightOut(virtue=w.virtue.code, weight=float(w.weight)) for w in dt.virtue_weights.all()],
        "sdgs": [s.number for s in dt.sdgs.all()], "sdg_targets": dt.sdg_targets,
        "evidence": dt.evidence, "witnesses_required": dt.witnesses_required,
        "verifier_kind": dt.verifier_kind, "adjust_bound_pct": dt.adjust_bound_pct,
    }  # fmt: skip


def _community_id(request: Any, community: UUID | None) -> int | None:
    if community:
        found = community_get(community)
        if found is None:
            raise NotFound()
        return found.pk
    return getattr(request.auth, "community_id", None)


def _deed_type_for(request, code: str, community_id: int | None) -> DeedType:
    deed_type = selectors.deed_types_for_community(community_id).filter(code=code).first()
    if deed_type is None:
        raise NotFound()
    return deed_type


def _row(payload: DeedTypeIn) -> dict[str, Any]:
    row = payload.dict()
    row["indicators"] = [i if isinstance(i, dict) else i.dict() for i in row["indicators"]]
    return row


@router.get("/virtues", response=list[VirtueOut], auth=None)
def virtues(request):
    return selectors.virtue_list()


@router.get("/sdgs", response=list[SdgOut], auth=None)
def sdgs(request):
    return selectors.sdg_list()


@router.get("/categories", response=list[CategoryOut], auth=None)
def categories(request):
    return selectors.category_list()


class CategoryIn(Schema):
    code: str
    name_th: str
    name_en: str
    description_th: str = ""
    description_en: str = ""


@router.post("/categories", response={201: CategoryOut, **errors(403)})
def category_add_or_edit(request, payload: CategoryIn):
    """Creates a category or edits the one with this code (catalog staff)."""
    return 201, category_save(actor=request.auth, **payload.dict())


@router.get(
    "/deed-types",
    response={200: list[DeedTypeOut], **errors(404)},
    auth=[TokenAuth(), anonymous],
    openapi_extra=OPTIONAL_TOKEN,
)
def deed_types(request, filters: Query[Filters]):
    """Browse and search a catalog: the national one, a community's (`community`), or the
    signed-in person's own. `q` finds Thai words inside Thai names."""
    found = selectors.catalog_search(
        community_id=_community_id(request, filters.community), q=filters.q,
        virtue=filters.virtue, sdg=filters.sdg, category=filters.category,
    )  # fmt: skip
    return [deed_type_out(dt) for dt in found]


@router.get(
    "/deed-types/{code}",
    response={200: DeedTypeDetailOut, **errors(404)},
    auth=[TokenAuth(), anonymous],
    openapi_extra=OPTIONAL_TOKEN,
)
def deed_type_detail(request, code: str, community: UUID | None = None):
    community_id = _community_id(request, community)
    return _detail(_deed_type_for(request, code, community_id), community_id)


def _detail(dt: DeedType, community_id: int | None) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        **deed_type_out(dt),
        "indicators": list(dt.indicators.all()),
        "rule_in_force": rule_out(selectors.rule_in_force(dt, today, community_id)),
        "rule_history": [rule_out(r) for r in selectors.rule_history(dt, community_id)],
    }


@router.post("/deed-types", response={201: DeedTypeDetailOut, **errors(403, 409)})
def deed_type_add(request, payload: DeedTypeIn):
    """Adds a national deed type (catalog staff)."""
    dt = deed_type_create(actor=request.auth, row=_row(payload))
    return 201, _detail(dt, None)


@router.put("/deed-types/{code}", response={200: DeedTypeDetailOut, **errors(403, 404, 409)})
def deed_type_edit(request, code: str, payload: DeedTypeIn):
    """Edits a deed type; changed points or limits become a new rule version."""
    dt = selectors.deed_type_by_code(code)
    if dt is None:
        raise NotFound()
    dt = deed_type_update(actor=request.auth, deed_type=dt, row=_row(payload))
    return _detail(dt, dt.community_id)


# --- community adaptation ------------------------------------------------------------------------


class CommunityItemOut(Schema):
    deed_type: str
    enabled: bool
    national_rule: RuleOut | None
    community_rule: RuleOut | None


class SwitchIn(Schema):
    enabled: StrictBool


class AdjustIn(Schema):
    effective_from: date
    credit_per_unit: StrictInt
    points_per_unit: StrictInt


def item_out(item) -> CommunityItemOut:
    return CommunityItemOut(
        deed_type=item.deed_type.code,
        enabled=item.enabled,
        national_rule=rule_out(item.national_rule),
        community_rule=rule_out(item.community_rule),
    )


def _administered(request: Any, public_id: UUID) -> Any:
    """403 for a caller who adapts no community's catalog; 404 for a community that is not
    theirs, as for one that does not exist."""
    if not request.auth.has_perm("catalog.adapt_catalog"):
        raise PermissionDenied()
    community = community_get(public_id)
    if community is None or not community_administered_by(request.auth, community):
        raise NotFound()
    return community


def _national(code: str) -> DeedType:
    dt = selectors.deed_type_by_code(code, national=True)
    if dt is None:
        raise NotFound()
    return dt


@router.get("/communities/{public_id}/items", response={200: list[CommunityItemOut], **errors(403, 404)})
def community_items(request, public_id: UUID):
    community = _administered(request, public_id)
    return [item_out(i) for i in selectors.community_catalog_items(community, timezone.localdate())]


class CommunityOut(Schema):
    public_id: UUID
    name_th: str
    catalog_adopted_at: datetime | None


@router.post("/communities/{public_id}/adopt", response={200: CommunityOut, **errors(403, 404)})
def community_adopt(request, public_id: UUID):
    """The community adopts the national catalog (its admins); a first adaptation does too."""
    community = _administered(request, public_id)
    community_catalog_adopt(actor=request.auth, community=community)
    return community


@router.post(
    "/communities/{public_id}/items/{code}/switch", response={200: CommunityItemOut, **errors(403, 404)}
)
def community_switch(request, public_id: UUID, code: str, payload: SwitchIn):
    community = _administered(request, public_id)
    dt = _national(code)
    community_item_switch(actor=request.auth, community=community, deed_type=dt, enabled=payload.enabled)
    today = timezone.localdate()
    local = selectors.rule_in_force(dt, today, community.pk)
    return CommunityItemOut(
        deed_type=dt.code,
        enabled=payload.enabled,
        national_rule=rule_out(selectors.national_rule_in_force(dt, today)),
        community_rule=rule_out(local if local and local.community_id else None),
    )


class ProposalOut(Schema):
    """Points and limits proposed for a community, waiting for a second approver."""

    public_id: UUID
    deed_type: str
    adjustment: bool
    effective_from: date
    credit_per_unit: int
    points_per_unit: int
    per_day: int | None
    per_year: int | None
    approved: bool


def proposal_out(p) -> ProposalOut:
    return ProposalOut(
        public_id=p.public_id, deed_type=p.deed_type.code, adjustment=p.adjustment,
        effective_from=p.effective_from, credit_per_unit=p.credit_per_unit,
        points_per_unit=p.points_per_unit, per_day=p.per_day, per_year=p.per_year,
        approved=p.approved_at is not None,
    )  # fmt: skip


@router.post(
    "/communities/{public_id}/items/{code}/adjust", response={201: ProposalOut, **errors(403, 404, 409)}
)
def community_adjust(request, public_id: UUID, code: str, payload: AdjustIn):
    """Proposes the community's own points for a national deed type; they take effect once a
    second committee member (or national staff) approves them."""
    community = _administered(request, public_id)
    dt = _national(code)
    proposal = community_rule_adjust(
        actor=request.auth, community=community, deed_type=dt, effective_from=payload.effective_from,
        credit_per_unit=payload.credit_per_unit, points_per_unit=payload.points_per_unit,
    )  # fmt: skip
    return 201, proposal_out(proposal)


@router.get("/communities/{public_id}/proposals", response={200: list[ProposalOut], **errors(403, 404)})
def community_proposals(request, public_id: UUID):
    """The community's proposals waiting for a second approver (its admins)."""
    community = _administered(request, public_id)
    return [proposal_out(p) for p in selectors.rule_proposals_waiting(community)]


@router.post(
    "/communities/{public_id}/proposals/{proposal_id}/approve",
    response={200: RuleOut, **errors(403, 404)},
)
def community_proposal_approve(request, public_id: UUID, proposal_id: UUID):
    """Approves a proposal: another admin of the community than its proposer, or national staff."""
    if request.auth.has_perm("catalog.manage_catalog"):
        community = community_get(public_id)
        if community is None:
            raise NotFound()
    else:
        community = _administered(request, public_id)
    proposal = selectors.rule_proposal_get(proposal_id, community=community)
    if proposal is None:
        raise NotFound()
    return rule_out(rule_proposal_approve(actor=request.auth, proposal=proposal))


@router.post(
    "/communities/{public_id}/deed-types", response={201: DeedTypeDetailOut, **errors(403, 404, 409)}
)
def community_deed_type_add(request, public_id: UUID, payload: DeedTypeIn):
    """Proposes a local deed type for a community's catalog (its admins), within the national
    bounds; it can be recorded once a second committee member (or national staff) approves it."""
    community = _administered(request, public_id)
    dt = deed_type_create(actor=request.auth, row=_row(payload), community=community)
    return 201, _detail(dt, community.pk)
