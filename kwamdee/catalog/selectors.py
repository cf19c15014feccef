"""Reads of the catalog."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains

from kwamdee.areas.selectors import community_administered_by
from kwamdee.catalog.models import (
    Category,
    CommunityDeedTypeSetting,
    DeedType,
    Indicator,
    RuleProposal,
    RuleVersion,
    Sdg,
    SearchSynonym,
    Virtue,
)
from kwamdee.catalog.validation import LIMIT_COLUMNS, local_quantity_max
from kwamdee.common.actors import is_system
from kwamdee.common.text import text_normalize, text_words


def virtue_list() -> list[Virtue]:
    return list(Virtue.objects.all())


def sdg_list() -> list[Sdg]:
    return list(Sdg.objects.all())


def category_by_code(code: str) -> Category | None:
    return Category.objects.filter(code=code).first() if code else None


def category_list() -> list[Category]:
    return list(Category.objects.all())


def _with_relations(qs: QuerySet[DeedType]) -> QuerySet[DeedType]:
    return qs.select_related("category", "community").prefetch_related("virtue_weights__virtue", "sdgs")


def deed_types_for_community(community_id: int | None) -> QuerySet[DeedType]:
    """The active deed types of a community's catalog: the national ones it has not switched
    off, and its own local ones once a second approver approved them (never one still proposed).
    Without a community, the national catalog."""
    visible = Q(community__isnull=True)
    if community_id:
        switched_off = CommunityDeedTypeSetting.objects.filter(
            community_id=community_id, is_enabled=False
        ).values("deed_type_id")
        visible = (visible & ~Q(pk__in=switched_off)) | Q(community_id=community_id)
    return _with_relations(DeedType.objects.filter(visible, is_active=True, proposed=False))


def deed_types_for_person(person: Any) -> QuerySet[DeedType]:
    """The deed types a person may record: their own community's catalog."""
    return deed_types_for_community(getattr(person, "community_id", None))


MAX_SEARCH_WORDS = 5
MAX_SEARCH_CHARS = 200


def synonym_in_query(word: str, words: tuple[str, ...]) -> bool:
    """Whether the synonym `word` is in a search of `words` (`text_words`): its own words
    together and in order, so "คนแก่" is in "ช่วยคนแก่" (ช่วย / คนแก่) and "old people" in
    "help old people", but "ตา" is not in "ตาย" nor "ยาย" in "ขยาย", nor "เลือด" in
    "ไข้เลือดออก" (dengue fever: one word)."""
    own = text_words(word)
    size = len(own)
    return size > 0 and any(words[i : i + size] == own for i in range(len(words) - size + 1))


def deed_type_ids_for_synonyms(q: str) -> set[int]:
    """The deed types that the everyday words of `q` mean (`SearchSynonym`), in one query: the
    database finds the synonyms written inside the search (spaces aside), then
    `synonym_in_query` keeps those that are whole words of it (pythainlp splits Thai)."""
    text = text_normalize(q)[:MAX_SEARCH_CHARS]
    if not text:
        return set()
    search = Value(text.replace(" ", ""), output_field=CharField())
    bare_word = Replace(F("searchsynonym__word"), Value(" "), Value(""))
    rows = list(
        SearchSynonym.deed_types.through.objects.filter(Contains(search, bare_word)).values_list(
            "searchsynonym__word", "deedtype_id"
        )
    )
    if not rows:
        return set()  # no synonym written inside the search: no need to split it into words
    words = text_words(text)
    return {deed_type_id for word, deed_type_id in rows if synonym_in_query(word, words)}


def catalog_search(
    *, community_id: int | None = None, q: str = "", virtue: str = "", sdg: int | None = None,
    category: str = "",
) -> QuerySet[DeedType]:  # fmt: skip
    """Filters a catalog by virtue, SDG and category, and finds `q`: every one of its words
    inside Thai or English names, descriptions or indicators (Thai has no spaces between words,
    so this is a substring match), or an everyday word of it that staff listed as a synonym
    (`SearchSynonym`: "เลือด" finds บริจาคโลหิต)."""
    qs = deed_types_for_community(community_id)
    if virtue:
        qs = qs.filter(virtue_weights__virtue__code=virtue)
    if sdg:
        qs = qs.filter(sdgs__number=sdg)
    if category:
        qs = qs.filter(category__code=category)
    words = q.split()[:MAX_SEARCH_WORDS]
    if words:
        in_text = Q()
        for word in words:
            # EXISTS, not a join: a join per word would multiply rows by the indicators each time.
            in_indicators = Indicator.objects.filter(
                Q(name_th__icontains=word) | Q(name_en__icontains=word), deed_type=OuterRef("pk")
            )
            in_text &= (
                Q(name_th__icontains=word) | Q(name_en__icontains=word)
                | Q(description_th__icontains=word) | Q(description_en__icontains=word)
                | Q(code__icontains=word) | Q(Exists(in_indicators))
            )  # fmt: skip
        qs = qs.filter(in_text | Q(pk__in=deed_type_ids_for_synonyms(q)))
    return qs.distinct().order_by("category__sort_order", "code")


def synonym_list() -> QuerySet[SearchSynonym]:
    """Every search synonym with its deed types, for the staff who edit them."""
    return SearchSynonym.objects.prefetch_related("deed_types")


def national_rule_in_force(deed_type: DeedType, on_date: date) -> RuleVersion | None:
    return rule_in_force(deed_type, on_date, None)


def rules_stamp_of(deed_type_field: str) -> Subquery:
    """The newest rule version id of the deed type in `deed_type_field`: rule versions are only
    ever added, never changed, so this stamp changes exactly when the rules in force may have."""
    return Subquery(
        RuleVersion.objects.filter(deed_type=OuterRef(deed_type_field)).order_by("-id").values("id")[:1]
    )


# The rule versions of one deed type, national and per community, kept per process by stamp.
_RULES_CACHE: dict[tuple[int, int], list[RuleVersion]] = {}
_RULES_CACHE_SIZE = 5000


def rules_cache_clear() -> None:
    _RULES_CACHE.clear()


def rule_versions_stamped(deed_type_id: int, stamp: int) -> list[RuleVersion]:
    """Every rule version of a deed type up to `stamp`, from the per-process cache."""
    key = (deed_type_id, stamp)
    versions = _RULES_CACHE.get(key)
    if versions is None:
        if len(_RULES_CACHE) >= _RULES_CACHE_SIZE:
            _RULES_CACHE.clear()
        found = list(RuleVersion.objects.filter(deed_type_id=deed_type_id, id__lte=stamp))
        # Kept only once committed: a rolled-back rule's id may be used again (SQLite).
        transaction.on_commit(lambda: _RULES_CACHE.__setitem__(key, found))
        versions = found
    return versions


def rule_versions_stamped_many(stamps: dict[int, int]) -> dict[int, list[RuleVersion]]:
    """`rule_versions_stamped` for many deed types at once ({deed type id: stamp}): what the
    cache holds, the rest in one query (the verifier's desk prices a page of deeds with it)."""
    found = {pk: _RULES_CACHE[(pk, stamp)] for pk, stamp in stamps.items() if (pk, stamp) in _RULES_CACHE}
    missing = {pk: stamp for pk, stamp in stamps.items() if pk not in found}
    if missing:
        read: dict[int, list[RuleVersion]] = {pk: [] for pk in missing}
        for version in RuleVersion.objects.filter(deed_type_id__in=list(missing)):
            if version.pk <= missing[version.deed_type_id]:
                read[version.deed_type_id].append(version)
        if len(_RULES_CACHE) + len(read) >= _RULES_CACHE_SIZE:
            _RULES_CACHE.clear()
        keep = {(pk, missing[pk]): versions for pk, versions in read.items()}
        # Kept only once committed, as rule_versions_stamped keeps its own.
        transaction.on_commit(lambda: _RULES_CACHE.update(keep))
        found.update(read)
    return found


def rule_pick(versions: list[RuleVersion], on_date: date, community_id: int | None) -> RuleVersion | None:
    """The version in force on `on_date`: the community's own when it has one, else the national."""

    def newest(candidates: list[RuleVersion]) -> RuleVersion | None:
        in_force = [r for r in candidates if r.effective_from <= on_date]
        return max(in_force, key=lambda r: (r.effective_from, r.version), default=None)

    local = newest([r for r in versions if community_id and r.community_id == community_id])
    return local or newest([r for r in versions if r.community_id is None])


def rule_in_force(deed_type: DeedType, on_date: date, community_id: int | None = None) -> RuleVersion | None:
    """The rule version that prices a deed of `deed_type` done on `on_date`: the community's
    own adjustment when it has one in force, else the national rule (`rule_pick`). Verifications
    read the same through the per-process cache (`rule_versions_stamped`)."""
    scope = Q(community__isnull=True)
    if community_id:
        scope |= Q(community_id=community_id)
    versions = RuleVersion.objects.filter(scope, deed_type=deed_type, effective_from__lte=on_date)
    return rule_pick(list(versions), on_date, community_id)


def rule_history(deed_type: DeedType, community_id: int | None = None) -> list[RuleVersion]:
    scope = Q(community__isnull=True)
    if community_id:
        scope |= Q(community_id=community_id)
    return list(deed_type.rule_versions.filter(scope).order_by("-effective_from", "-version"))


@dataclass
class CommunityItem:
    deed_type: DeedType
    enabled: bool
    national_rule: RuleVersion | None
    community_rule: RuleVersion | None


def community_catalog_items(community: Any, on_date: date) -> list[CommunityItem]:
    """Every national deed type with this community's switch and rules, for its admins."""
    off = set(
        CommunityDeedTypeSetting.objects.filter(community=community, is_enabled=False).values_list(
            "deed_type_id", flat=True
        )
    )
    items = []
    for deed_type in _with_relations(DeedType.objects.filter(community__isnull=True, is_active=True)):
        local = rule_in_force(deed_type, on_date, community.pk)
        national = national_rule_in_force(deed_type, on_date)
        items.append(
            CommunityItem(
                deed_type=deed_type,
                enabled=deed_type.pk not in off,
                national_rule=national,
                community_rule=local if local and local.community_id else None,
            )
        )
    return items


def deed_types_national() -> QuerySet[DeedType]:
    """The national catalog's active deed types (what sponsors may pledge for)."""
    return DeedType.objects.filter(is_active=True, community__isnull=True).order_by("code")


def deed_types_national_all() -> QuerySet[DeedType]:
    """Every national deed type, active or not, for the staff who manage them."""
    return DeedType.objects.filter(community__isnull=True).select_related("category").order_by("code")


def deed_types_local_of(community: Any) -> QuerySet[DeedType]:
    return DeedType.objects.filter(community=community).order_by("code")


def deed_type_by_code(code: str, *, community: Any = None, national: bool = False) -> DeedType | None:
    """A deed type by its code: any, a national one, or one community's local one."""
    qs = DeedType.objects.filter(code=code)
    if national:
        qs = qs.filter(community__isnull=True)
    elif community is not None:
        qs = qs.filter(community=community)
    return qs.first()


def deed_type_active_count() -> int:
    return DeedType.objects.filter(is_active=True, proposed=False).count()


def deed_quantity_max(deed_type: DeedType) -> Decimal | None:
    """The most hours or units one deed of `deed_type` may count under the national bounds of a
    community's own deed type (settings.KWAMDEE_LOCAL_BOUNDS); None for a national one."""
    if deed_type.community_id is None:
        return None
    return local_quantity_max(deed_type.pricing)


# --- proposals waiting for a second approver (the fairness review) ------------------------------


def rule_proposal_approvable_by(actor: Any, proposal: RuleProposal) -> bool:
    """The one rule for "may approve this proposal": national staff, or another admin of the
    community (never the one who proposed it); the system too (the demo)."""
    if is_system(actor):
        return True
    if not getattr(actor, "pk", None) or actor.pk == proposal.proposed_by_id:
        return False
    return bool(actor.has_perm("catalog.manage_catalog")) or community_administered_by(
        actor, proposal.community
    )


def rule_proposals_waiting(community: Any) -> list[RuleProposal]:
    """The community's proposals still waiting for a second approver, oldest first (every
    community's, for national staff, when `community` is None)."""
    qs = RuleProposal.objects.filter(approved_at__isnull=True)
    if community is not None:
        qs = qs.filter(community=community)
    return list(qs.select_related("deed_type", "proposed_by", "community").order_by("created_at", "id"))


def rule_proposal_get(public_id: Any, *, community: Any) -> RuleProposal | None:
    """A proposal by its public id: of `community`, or (None) of any, for national staff."""
    qs = RuleProposal.objects.filter(public_id=public_id)
    if community is not None:
        qs = qs.filter(community=community)
    try:
        return qs.select_related("deed_type", "community").first()
    except (ValueError, ValidationError):
        return None


def deed_types_by_code() -> dict[str, DeedType]:
    return {dt.code: dt for dt in DeedType.objects.all()}


CATEGORY_COLUMNS = ["code", "name_th", "name_en", "description_th", "description_en"]
VIRTUE_COLUMNS = CATEGORY_COLUMNS


def catalog_document() -> dict[str, Any]:
    """The national catalog as a kwamdee-catalog document."""
    deed_types = []
    national = DeedType.objects.filter(community__isnull=True).select_related("category")
    for dt in national.prefetch_related("virtue_weights__virtue", "sdgs", "indicators").order_by("code"):
        rule = dt.rule_versions.filter(community__isnull=True).order_by("-version").first()
        goals = sorted(s.number for s in dt.sdgs.all())
        deed_types.append(
            {
                "code": dt.code,
                "category": dt.category.code if dt.category else "",
                "name_th": dt.name_th,
                "name_en": dt.name_en,
                "description_th": dt.description_th,
                "description_en": dt.description_en,
                "pricing": dt.pricing,
                "unit_name_th": dt.unit_name_th,
                "unit_name_en": dt.unit_name_en,
                "credit_per_unit": rule.credit_per_unit if rule else 0,
                "points_per_unit": rule.points_per_unit if rule else 0,
                "limits": {
                    **{c: getattr(rule, c) if rule else None for c in LIMIT_COLUMNS},
                    "cooldown_days": rule.cooldown_days if rule else 0,
                },
                "evidence": dt.evidence,
                "witnesses_required": dt.witnesses_required,
                "verifier": dt.verifier_kind,
                "virtues": {w.virtue.code: float(w.weight) for w in dt.virtue_weights.all()},
                "sdgs": [str(g) for g in goals] + list(dt.sdg_targets),
                "indicators": [
                    {"code": i.code, "name_th": i.name_th, "name_en": i.name_en}
                    for i in dt.indicators.order_by("sort_order")
                ],
                "adjust_bound_pct": dt.adjust_bound_pct,
                "is_active": dt.is_active,
                "effective_from": rule.effective_from.isoformat() if rule else None,
                "sensitive": dt.sensitive,
            }
        )
    return {
        "format": "kwamdee-catalog",
        "format_version": 1,
        "virtues": [{c: getattr(v, c) for c in VIRTUE_COLUMNS} for v in Virtue.objects.all()],
        "sdgs": [
            {"number": s.number, "name_th": s.name_th, "name_en": s.name_en, "color": s.color}
            for s in Sdg.objects.all()
        ],
        "categories": [{c: getattr(cat, c) for c in CATEGORY_COLUMNS} for cat in Category.objects.all()],
        "deed_types": deed_types,
    }


def rules_in_force_for(
    deed_types: list[DeedType], on_date: date, community_id: int | None = None
) -> dict[int, RuleVersion]:
    """`rule_in_force` for a page of deed types in one query: {deed type id: rule version}."""
    scope = Q(community__isnull=True)
    if community_id:
        scope |= Q(community_id=community_id)
    versions: dict[int, list[RuleVersion]] = {dt.pk: [] for dt in deed_types}
    for version in RuleVersion.objects.filter(
        scope, deed_type_id__in=list(versions), effective_from__lte=on_date
    ):
        versions[version.deed_type_id].append(version)
    picked = {pk: rule_pick(found, on_date, community_id) for pk, found in versions.items()}
    return {pk: rule for pk, rule in picked.items() if rule is not None}
