"""API: the catalog (public)."""

from uuid import UUID

from ninja import Router, Schema

from kwamdee.api.auth import TokenAuth, anonymous
from kwamdee.catalog.models import DeedType
from kwamdee.catalog.selectors import deed_types_for_person, sdg_list, virtue_list

router = Router(tags=["catalog"])


class VirtueOut(Schema):
    code: str
    name_th: str
    name_en: str


class SdgOut(Schema):
    number: int
    name_th: str
    name_en: str
    color: str


class WeightOut(Schema):
    virtue: str
    weight: float


class DeedTypeOut(Schema):
    public_id: UUID
    code: str
    name_th: str
    name_en: str
    category: str | None
    pricing: str
    unit_name_th: str
    unit_name_en: str
    virtues: list[WeightOut]
    sdgs: list[int]
    sdg_targets: list[str]
    evidence: str
    verifier_kind: str


def deed_type_out(dt: DeedType) -> DeedTypeOut:
    return DeedTypeOut(
        public_id=dt.public_id, code=dt.code, name_th=dt.name_th, name_en=dt.name_en,
        category=dt.category.code if dt.category else None, pricing=dt.pricing,
        unit_name_th=dt.unit_name_th, unit_name_en=dt.unit_name_en,
        virtues=[WeightOut(virtue=w.virtue.code, weight=float(w.weight))
                 for w in dt.virtue_weights.all()],
        sdgs=[s.number for s in dt.sdgs.all()], sdg_targets=dt.sdg_targets,
        evidence=dt.evidence, verifier_kind=dt.verifier_kind,
    )  # fmt: skip


@router.get("/virtues", response=list[VirtueOut], auth=None)
def virtues(request):
    return virtue_list()


@router.get("/sdgs", response=list[SdgOut], auth=None)
def sdgs(request):
    return sdg_list()


@router.get("/deed-types", response=list[DeedTypeOut], auth=[TokenAuth(), anonymous])
def deed_types(request):
    """The national catalog's deed types, and for a signed-in person their community's too."""
    return [deed_type_out(dt) for dt in deed_types_for_person(request.auth)]
