"""Writes to the catalog: deed types and rule versions, imports, community adaptation."""

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import community_administered_by
from kwamdee.areas.services import community_catalog_adopt
from kwamdee.catalog.errors import (
    AdjustmentOutOfBounds,
    CatalogImportInvalid,
    DeedTypeCodeTaken,
    LocalRuleOutOfBounds,
    ProposalNotApprovable,
    ProposalWaiting,
)
from kwamdee.catalog.events import CatalogEvent
from kwamdee.catalog.models import (
    SYNONYM_WORD_MAX_LENGTH,
    Category,
    CommunityDeedTypeSetting,
    DeedType,
    DeedTypeVirtue,
    Indicator,
    RuleProposal,
    RuleVersion,
    Sdg,
    SearchSynonym,
    Virtue,
)
from kwamdee.catalog.selectors import national_rule_in_force, rule_proposal_approvable_by
from kwamdee.catalog.validation import (
    COLOR_MESSAGE,
    NAME_MAX,
    SLUG,
    color_is_valid,
    deed_type_row_clean,
    local_rule_problems,
)
from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.text import text_normalize
from kwamdee.common.text_validation import text_fields_problems, text_problems

if TYPE_CHECKING:
    from kwamdee.areas.models import Community

DEFAULT_CATALOG_PATH = Path(__file__).parent / "data" / "default_catalog.json"
DEFAULT_SYNONYMS_PATH = Path(__file__).parent / "data" / "synonyms.json"
# A new deed type's first rule is in force from this date unless told otherwise, so that
# deeds of the past year can be recorded under it.
FIRST_RULE_DATE = date(2020, 1, 1)
RULE_FIELDS = (
    "credit_per_unit", "points_per_unit", "per_day", "per_week", "per_month", "per_year",
    "cooldown_days",
)  # fmt: skip
PLAIN_FIELDS = (
    "name_th", "name_en", "description_th", "description_en", "pricing", "unit_name_th",
    "unit_name_en", "evidence", "witnesses_required", "adjust_bound_pct", "is_active", "sensitive",
)  # fmt: skip


def _require(actor: Actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied()


def _require_community_admin(actor: Actor, community: "Community") -> None:
    if not community_administered_by(actor, community):
        raise PermissionDenied(_("Only this community's admins can adapt its catalog."))


# --- deed types -------------------------------------------------------------------------------


def _check_rule_date(clean: dict[str, Any], latest: RuleVersion | None) -> list[str]:
    """A changed rule takes effect from today or later, never before the latest version."""
    effective = clean["effective_from"]
    if latest is None:
        return []
    if effective < timezone.localdate():
        return [str(_("A changed rule can only take effect from today on; past credits never change."))]
    if effective < latest.effective_from:
        return [str(_("The new rule must not start before the version it replaces."))]
    return []


def weights_for_rule(weights: dict[str, Any]) -> dict[str, str]:
    """Virtue weights as a rule version stores them: {"honesty": "0.700"}."""
    return {code: str(Decimal(str(w)).quantize(Decimal("0.001"))) for code, w in sorted(weights.items())}


def _rule_changed(clean: dict[str, Any], latest: RuleVersion | RuleProposal | None) -> bool:
    return (
        latest is None
        or any(getattr(latest, f) != clean[f] for f in RULE_FIELDS)
        or latest.virtue_weights != weights_for_rule(clean["virtues"])
    )


def _change_errors(clean: dict[str, Any], deed_type: DeedType) -> list[tuple[str, str]]:
    """What an edit of an existing deed type may not do; fills in the new rule's date."""
    errors = []
    if deed_type.pricing != clean["pricing"]:
        errors.append(("pricing", str(_(
            "How a deed type is priced cannot change once it exists; add a new deed type instead."
        ))))  # fmt: skip
    latest = _national_latest(deed_type)
    if _rule_changed(clean, latest):
        clean["effective_from"] = clean["effective_from"] or timezone.localdate()
        errors += [("effective_from", message) for message in _check_rule_date(clean, latest)]
    return errors


def _national_latest(deed_type: DeedType | None) -> RuleVersion | None:
    if deed_type is None or deed_type.pk is None:
        return None
    return deed_type.rule_versions.filter(community__isnull=True).order_by("-version").first()


def _deed_type_apply(
    *, actor: Actor, clean: dict[str, Any], deed_type: DeedType | None, community: "Community | None",
    categories: dict[str, Category], virtues: dict[str, Virtue], sdgs: dict[int, Sdg],
    proposals: list[RuleProposal] | None = None,
) -> str:  # fmt: skip
    """Writes one cleaned deed type; returns 'created', 'updated' or 'unchanged'. A community's
    local deed type (`community`) proposes its rule instead (appended to `proposals`): a new one
    waits, unseen, for a second approver (`rule_proposal_approve`)."""
    created = deed_type is None
    if deed_type is None:
        deed_type = DeedType(code=clean["code"], community=community, proposed=community is not None)
    changed = created
    values = {f: clean[f] for f in PLAIN_FIELDS}
    values["verifier_kind"] = clean["verifier"]
    values["category"] = categories.get(clean["category"]) if clean["category"] else None
    values["sdg_targets"] = [t for t in clean["sdgs"] if "." in t]
    for field, value in values.items():
        if getattr(deed_type, field) != value:
            setattr(deed_type, field, value)
            changed = True
    if changed:
        deed_type.save()

    weights = {w.virtue.code: w.weight for w in deed_type.virtue_weights.select_related("virtue")}
    wanted = {code: Decimal(w).quantize(Decimal("0.001")) for code, w in clean["virtues"].items()}
    if weights != wanted:
        DeedTypeVirtue.objects.filter(deed_type=deed_type).delete()
        DeedTypeVirtue.objects.bulk_create(
            DeedTypeVirtue(deed_type=deed_type, virtue=virtues[c], weight=w) for c, w in wanted.items()
        )
        changed = True
    goals = {int(t.split(".")[0]) for t in clean["sdgs"]}
    if set(deed_type.sdgs.values_list("number", flat=True)) != goals:
        deed_type.sdgs.set([sdgs[g] for g in goals if g in sdgs])
        changed = True
    current = [(i.code, i.name_th, i.name_en) for i in deed_type.indicators.order_by("sort_order")]
    if current != [(i["code"], i["name_th"], i["name_en"]) for i in clean["indicators"]]:
        deed_type.indicators.all().delete()
        Indicator.objects.bulk_create(
            Indicator(deed_type=deed_type, sort_order=n, **i) for n, i in enumerate(clean["indicators"])
        )
        changed = True

    latest = _national_latest(deed_type)
    if community is not None:
        waiting = RuleProposal.objects.filter(deed_type=deed_type, approved_at__isnull=True).first()
        if waiting is not None:
            if _rule_changed(clean, waiting):
                raise ProposalWaiting(fields={"credit_per_unit": [ProposalWaiting.message]})
        elif _rule_changed(clean, latest):
            starts = clean["effective_from"] or (timezone.localdate() if latest else FIRST_RULE_DATE)
            proposal = RuleProposal.objects.create(
                deed_type=deed_type, community=community, proposed_by=person_or_none(actor),
                effective_from=starts,
                virtue_weights=weights_for_rule(clean["virtues"]), **{f: clean[f] for f in RULE_FIELDS},
            )  # fmt: skip
            if proposals is not None:
                proposals.append(proposal)
            changed = True
    elif _rule_changed(clean, latest):
        RuleVersion.objects.create(
            deed_type=deed_type,
            version=_next_version(deed_type),
            effective_from=clean["effective_from"] or (timezone.localdate() if latest else FIRST_RULE_DATE),
            created_by=person_or_none(actor),
            virtue_weights=weights_for_rule(clean["virtues"]),
            **{f: clean[f] for f in RULE_FIELDS},
        )
        changed = True
    if created:
        return "created"
    return "updated" if changed else "unchanged"


def _next_version(deed_type: DeedType) -> int:
    # Two editors at once would pick the same number: the deed type's row lock queues them.
    rows_lock(DeedType.objects.filter(pk=deed_type.pk))
    latest = deed_type.rule_versions.order_by("-version").first()
    return latest.version + 1 if latest else 1


def _lookups() -> tuple[dict[str, Category], dict[str, Virtue], dict[int, Sdg]]:
    return (
        {c.code: c for c in Category.objects.all()},
        {v.code: v for v in Virtue.objects.all()},
        {s.number: s for s in Sdg.objects.all()},
    )


def _indicator_conflicts(clean: dict[str, Any], *, owner_code: str) -> list[str]:
    """Indicator codes are unique across the catalog: one owned by another deed type is refused."""
    codes = [i["code"] for i in clean["indicators"]]
    taken = Indicator.objects.filter(code__in=codes).exclude(deed_type__code=owner_code).order_by("code")
    if not taken:
        return []
    used = ", ".join(f"{i.code} ({i.deed_type.code})" for i in taken.select_related("deed_type"))
    return [str(_("Indicator codes already used by other deed types: %(codes)s") % {"codes": used})]


def _clean_or_raise(
    row: dict[str, Any], *, deed_type: DeedType | None, local: bool = False
) -> dict[str, Any]:
    categories, virtues, _sdgs = _lookups()
    clean, errors = deed_type_row_clean(row, categories=set(categories), virtues=set(virtues))
    if local and not errors and (bounds := local_rule_problems(clean)):
        raise LocalRuleOutOfBounds(fields=bounds)
    for message in _indicator_conflicts(clean, owner_code=clean["code"]):
        errors.add("indicators", message)
    if not errors and deed_type is not None:
        for column, message in _change_errors(clean, deed_type):
            errors.add(column, message)
    if errors:
        raise ValidationFailed(fields=dict(errors))
    return clean


@transaction.atomic
def deed_type_create(*, actor: Actor, row: dict[str, Any], community: "Community | None" = None) -> DeedType:
    """Adds a deed type to the national catalog, or (with `community`) a community's local one."""
    if community is None:
        _require(actor, "catalog.manage_catalog")
    else:
        _require_community_admin(actor, community)
    clean = _clean_or_raise(row, deed_type=None, local=community is not None)
    if DeedType.objects.filter(code=clean["code"]).exists():
        raise DeedTypeCodeTaken(fields={"code": [DeedTypeCodeTaken.message]})
    categories, virtues, sdgs = _lookups()
    proposals: list[RuleProposal] = []
    _deed_type_apply(actor=actor, clean=clean, deed_type=None, community=community,
                     categories=categories, virtues=virtues, sdgs=sdgs, proposals=proposals)  # fmt: skip
    deed_type = DeedType.objects.get(code=clean["code"])
    data: dict[str, Any] = {
        "code": deed_type.code,
        "community": str(community.public_id) if community else None,
    }
    if proposals:  # a community's own: proposed, waiting for a second approver
        data |= {"proposal": str(proposals[0].public_id), **_proposal_rule(proposals[0])}
    event = CatalogEvent.DEED_TYPE_PROPOSE if proposals else CatalogEvent.DEED_TYPE_CREATE
    audit_record(actor=actor, event=event, subject_id=deed_type.public_id, data=data)
    return deed_type


@transaction.atomic
def deed_type_update(*, actor: Actor, deed_type: DeedType, row: dict[str, Any]) -> DeedType:
    """Edits a deed type. Changed points or limits become a new rule version from a date."""
    if deed_type.community is None:
        _require(actor, "catalog.manage_catalog")
    else:
        _require_community_admin(actor, deed_type.community)
    row = {**row, "code": deed_type.code}
    clean = _clean_or_raise(row, deed_type=deed_type, local=deed_type.community_id is not None)
    categories, virtues, sdgs = _lookups()
    proposals: list[RuleProposal] = []
    outcome = _deed_type_apply(actor=actor, clean=clean, deed_type=deed_type,
                               community=deed_type.community, categories=categories,
                               virtues=virtues, sdgs=sdgs, proposals=proposals)  # fmt: skip
    if proposals:  # its names may change at once; its points and limits wait for approval
        audit_record(actor=actor, event=CatalogEvent.DEED_TYPE_PROPOSE, subject_id=deed_type.public_id,
                     data={"code": deed_type.code, "proposal": str(proposals[0].public_id),
                           **_proposal_rule(proposals[0])})  # fmt: skip
    elif outcome != "unchanged":
        audit_record(actor=actor, event=CatalogEvent.DEED_TYPE_UPDATE, subject_id=deed_type.public_id,
                     data={"code": deed_type.code})  # fmt: skip
    deed_type.refresh_from_db()
    return deed_type


# --- whole catalog (default and imports) -------------------------------------------------------


def _flatten(item: dict[str, Any]) -> dict[str, Any]:
    """A JSON deed type (limits nested) as a flat row."""
    row = {k: v for k, v in item.items() if k != "limits"}
    row.update(item.get("limits") or {})
    return row


@transaction.atomic
def catalog_load(*, actor: Actor, data: dict[str, Any], source: str = "json") -> dict[str, int]:
    """Creates or updates the national catalog from a kwamdee-catalog document.

    Every row is checked first; one bad row and nothing is written. Loading the same document
    again changes nothing. Changed points or limits become a new rule version."""
    _require(actor, "catalog.manage_catalog")
    errors: list[tuple[int | str, str, str]] = []
    for index, item in enumerate(data.get("virtues", []), start=1):
        for column in ("code", "name_th", "name_en"):
            if not str(item.get(column, "")).strip():
                errors.append((f"virtues {index}", column, str(_("Required."))))
    for index, item in enumerate(data.get("categories", []), start=1):
        for column in ("code", "name_th", "name_en"):
            if not str(item.get(column, "")).strip():
                errors.append((f"categories {index}", column, str(_("Required."))))
    for index, item in enumerate(data.get("sdgs", []), start=1):
        if not color_is_valid(item.get("color")):  # it reaches a style attribute (Sdg.color)
            errors.append((f"sdgs {index}", "color", str(COLOR_MESSAGE)))
    virtue_codes = {v.code for v in Virtue.objects.all()} | {v.get("code") for v in data.get("virtues", [])}
    category_codes = {c.code for c in Category.objects.all()} | {
        c.get("code") for c in data.get("categories", [])
    }
    existing = {dt.code: dt for dt in DeedType.objects.filter(community__isnull=True)}
    local_codes = set(DeedType.objects.filter(community__isnull=False).values_list("code", flat=True))
    cleaned: list[dict[str, Any]] = []
    seen_codes: set[str] = set()
    seen_indicators: set[str] = set()
    for index, item in enumerate(data.get("deed_types", []), start=1):
        row_number = item.pop("_row", index) if isinstance(item, dict) else index
        clean, row_errors = deed_type_row_clean(
            _flatten(item) if isinstance(item, dict) else {}, categories=category_codes,
            virtues=virtue_codes,
        )  # fmt: skip
        code = clean["code"]
        if code in seen_codes:
            row_errors.add("code", _("This code appears twice in the file."))
        if code in local_codes:
            row_errors.add("code", _("This code belongs to a community's local deed type."))
        seen_codes.add(code)
        for indicator in clean["indicators"]:
            if indicator["code"] in seen_indicators:
                row_errors.add("indicators", _("Indicator code used twice: %(c)s") % {"c": indicator["code"]})
            seen_indicators.add(indicator["code"])
        for message in _indicator_conflicts(clean, owner_code=code):
            row_errors.add("indicators", message)
        if not row_errors and code in existing:
            for column, message in _change_errors(clean, existing[code]):
                row_errors.add(column, message)
        for column, messages in row_errors.items():
            errors.extend((row_number, column, str(m)) for m in messages)
        cleaned.append(clean)
    if errors:
        raise CatalogImportInvalid(errors)

    summary = {"created": 0, "updated": 0, "unchanged": 0}
    for order, v in enumerate(data.get("virtues", [])):
        summary[_reference_upsert(Virtue, "code", v["code"], {
            "name_th": v["name_th"], "name_en": v["name_en"],
            "description_th": v.get("description_th", ""),
            "description_en": v.get("description_en", ""), "sort_order": order})] += 1  # fmt: skip
    for s in data.get("sdgs", []):
        summary[_reference_upsert(Sdg, "number", int(s["number"]), {
            "name_th": s["name_th"], "name_en": s["name_en"], "color": s["color"]})] += 1  # fmt: skip
    for order, c in enumerate(data.get("categories", [])):
        summary[_reference_upsert(Category, "code", c["code"], {
            "name_th": c["name_th"], "name_en": c["name_en"],
            "description_th": c.get("description_th", ""),
            "description_en": c.get("description_en", ""), "sort_order": order})] += 1  # fmt: skip
    categories, virtues, sdgs = _lookups()
    for clean in cleaned:
        outcome = _deed_type_apply(actor=actor, clean=clean, deed_type=existing.get(clean["code"]),
                                   community=None, categories=categories, virtues=virtues,
                                   sdgs=sdgs)  # fmt: skip
        summary[outcome] += 1
    if summary["created"] or summary["updated"]:
        audit_record(actor=actor, event=CatalogEvent.CATALOG_IMPORT, data={**summary, "source": source})
    return summary


def _reference_upsert(model: Any, key: str, value: Any, fields: dict[str, Any]) -> str:
    obj = model.objects.filter(**{key: value}).first()
    if obj is None:
        model.objects.create(**{key: value}, **fields)
        return "created"
    changed = {f: v for f, v in fields.items() if getattr(obj, f) != v}
    if not changed:
        return "unchanged"
    for f, v in changed.items():
        setattr(obj, f, v)
    obj.save()
    return "updated"


@transaction.atomic
def catalog_load_default(*, actor: Actor) -> dict[str, int]:
    """The default catalog and its everyday search words (idempotent)."""
    data = json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))
    summary = catalog_load(actor=actor, data=data, source="default")
    synonyms = json.loads(DEFAULT_SYNONYMS_PATH.read_text(encoding="utf-8"))
    summary["synonyms_created"] = synonyms_load(actor=actor, data=synonyms, source="default")
    return summary


# --- search synonyms -----------------------------------------------------------------------------


def _synonym_word_errors(word: str) -> list[Any]:
    if not word:
        return [_("Type the everyday word or phrase.")]
    return text_problems(word, max_chars=SYNONYM_WORD_MAX_LENGTH)


@transaction.atomic
def synonym_save(*, actor: Actor, word: str, deed_types: Sequence[DeedType]) -> SearchSynonym:
    """Lists an everyday word or phrase (เลือด, คนแก่, trash) as meaning national deed types, so
    that searching it finds them; saving a word already listed replaces its deed types."""
    _require(actor, "catalog.manage_catalog")
    normalized = text_normalize(word)
    errors: dict[str, list] = {}
    if word_errors := _synonym_word_errors(normalized):
        errors["word"] = word_errors
    if not deed_types:
        errors["deed_types"] = [_("Choose at least one deed type.")]
    elif any(dt.community_id is not None for dt in deed_types):
        errors["deed_types"] = [_("Only national deed types can have search words.")]
    if errors:
        raise ValidationFailed(fields=errors)
    codes = sorted({dt.code for dt in deed_types})
    synonym, created = SearchSynonym.objects.get_or_create(word=normalized)
    before = [] if created else sorted(synonym.deed_types.values_list("code", flat=True))
    if before == codes:
        return synonym  # nothing changed, nothing to record
    synonym.deed_types.set(deed_types)
    if not created:
        synonym.save(update_fields=["updated_at"])
    event = CatalogEvent.SEARCH_SYNONYM_CREATE if created else CatalogEvent.SEARCH_SYNONYM_UPDATE
    data: dict[str, Any] = {"word": normalized, "deed_types": codes}
    if not created:
        data["before"] = before
    audit_record(actor=actor, event=event, subject_id=synonym.pk, data=data)
    return synonym


@transaction.atomic
def synonym_remove(*, actor: Actor, word: str) -> None:
    """Takes an everyday word off the search synonyms."""
    _require(actor, "catalog.manage_catalog")
    synonym = SearchSynonym.objects.filter(word=text_normalize(word)).first()
    if synonym is None:
        raise NotFound(_("This word is not among the search words."))
    codes = sorted(synonym.deed_types.values_list("code", flat=True))
    audit_record(
        actor=actor, event=CatalogEvent.SEARCH_SYNONYM_DELETE, subject_id=synonym.pk,
        data={"word": synonym.word, "deed_types": codes},
    )  # fmt: skip
    synonym.delete()


@transaction.atomic
def synonyms_load(*, actor: Actor, data: dict[str, Any], source: str = "json") -> int:
    """Adds the search synonyms of a document ({"synonyms": [{"word", "deed_types": [codes]}]})
    that are not listed yet; returns how many. A word already listed is left as staff keep it,
    so loading again changes nothing. Every word is checked first; one bad and nothing is added."""
    _require(actor, "catalog.manage_catalog")
    national = {dt.code: dt.pk for dt in DeedType.objects.filter(community__isnull=True)}
    wanted: dict[str, list[int]] = {}
    errors: dict[str, list] = {}
    for index, item in enumerate(data.get("synonyms", []), start=1):
        word, codes = text_normalize(str(item.get("word", ""))), list(item.get("deed_types") or [])
        problems = _synonym_word_errors(word)
        if word in wanted:
            problems.append(_("This word appears twice in the file."))
        unknown = ", ".join(str(c) for c in codes if c not in national)
        if not codes:
            problems.append(_("Choose at least one deed type."))
        elif unknown:
            problems.append(_("No national deed type has these codes: %(codes)s") % {"codes": unknown})
        if problems:
            errors[f"synonyms {index}"] = problems
        wanted[word] = [national[c] for c in codes if c in national]
    if errors:
        raise ValidationFailed(fields=errors)
    listed = set(SearchSynonym.objects.filter(word__in=list(wanted)).values_list("word", flat=True))
    new = {word: ids for word, ids in wanted.items() if word not in listed}
    if not new:
        return 0
    SearchSynonym.objects.bulk_create(SearchSynonym(word=word) for word in new)
    made = dict(SearchSynonym.objects.filter(word__in=list(new)).values_list("word", "pk"))
    SearchSynonym.deed_types.through.objects.bulk_create(
        SearchSynonym.deed_types.through(searchsynonym_id=made[word], deedtype_id=deed_type_id)
        for word, ids in new.items()
        for deed_type_id in sorted(set(ids))
    )
    audit_record(
        actor=actor, event=CatalogEvent.SEARCH_SYNONYMS_IMPORT,
        data={"created": len(new), "source": source},
    )  # fmt: skip
    return len(new)


# --- communities ---------------------------------------------------------------------------------


@transaction.atomic
def community_item_switch(
    *, actor: Actor, community: "Community", deed_type: DeedType, enabled: bool
) -> CommunityDeedTypeSetting:
    """Switches a national deed type off (or back on) for one community."""
    _require_community_admin(actor, community)
    if deed_type.community_id is not None:
        raise ValidationFailed(_("Only national deed types can be switched; edit local ones."))
    adopted = community_catalog_adopt(actor=actor, community=community, audit=False)
    setting, _created = CommunityDeedTypeSetting.objects.get_or_create(
        community=community, deed_type=deed_type, defaults={"is_enabled": enabled}
    )
    if not _created and setting.is_enabled == enabled and not adopted:
        return setting  # nothing changed, nothing to record
    if setting.is_enabled != enabled:
        setting.is_enabled = enabled
        setting.save(update_fields=["is_enabled", "updated_at"])
    audit_record(
        actor=actor, event=CatalogEvent.COMMUNITY_CATALOG_SWITCH, subject_id=community.public_id,
        data={"deed_type": deed_type.code, "enabled": enabled, "adopted_catalog": adopted},
    )  # fmt: skip
    return setting


@transaction.atomic
def community_rule_adjust(
    *, actor: Actor, community: "Community", deed_type: DeedType, effective_from: date,
    credit_per_unit: int, points_per_unit: int,
) -> RuleProposal:  # fmt: skip
    """Proposes a community's own points for a national deed type, within the national bounds;
    they take effect once a second approver approves them (`rule_proposal_approve`)."""
    _require_community_admin(actor, community)
    if deed_type.community_id is not None:
        raise ValidationFailed(_("Local deed types are edited directly, not adjusted."))
    if effective_from < timezone.localdate():
        raise ValidationFailed(fields={"effective_from": [
            _("A changed rule can only take effect from today on; past credits never change.")]})  # fmt: skip
    base = national_rule_in_force(deed_type, effective_from)
    if base is None:
        raise ValidationFailed(_("This deed type has no national rule on that date."))
    bound = Decimal(deed_type.adjust_bound_pct) / 100
    errors: dict[str, list] = {}
    for field, value, floor in (("credit_per_unit", credit_per_unit, 1),
                                ("points_per_unit", points_per_unit, 0)):  # fmt: skip
        national = Decimal(getattr(base, field))
        low = max(floor, int((national * (1 - bound)).to_integral_value(rounding="ROUND_CEILING")))
        high = int((national * (1 + bound)).to_integral_value(rounding="ROUND_FLOOR"))
        if not low <= value <= high:
            errors[field] = [_("Must be between %(low)s and %(high)s (national %(n)s ± %(pct)s%%).") % {
                "low": low, "high": high, "n": int(national), "pct": deed_type.adjust_bound_pct}]  # fmt: skip
    if errors:
        raise AdjustmentOutOfBounds(fields=errors)
    if RuleProposal.objects.filter(
        deed_type=deed_type, community=community, approved_at__isnull=True
    ).exists():
        raise ProposalWaiting(fields={"credit_per_unit": [ProposalWaiting.message]})
    adopted = community_catalog_adopt(actor=actor, community=community, audit=False)
    proposal = RuleProposal.objects.create(
        deed_type=deed_type, community=community, adjustment=True, effective_from=effective_from,
        credit_per_unit=credit_per_unit, points_per_unit=points_per_unit, per_day=base.per_day,
        per_week=base.per_week, per_month=base.per_month, per_year=base.per_year,
        cooldown_days=base.cooldown_days, virtue_weights=base.virtue_weights,
        proposed_by=person_or_none(actor),
    )  # fmt: skip
    audit_record(
        actor=actor, event=CatalogEvent.COMMUNITY_RULE_ADJUST, subject_id=community.public_id,
        data={"deed_type": deed_type.code, "proposal": str(proposal.public_id),
              "credit_per_unit": credit_per_unit, "points_per_unit": points_per_unit,
              "effective_from": effective_from.isoformat(), "adopted_catalog": adopted},
    )  # fmt: skip
    return proposal


def _proposal_rule(proposal: RuleProposal) -> dict[str, Any]:
    return {"effective_from": proposal.effective_from.isoformat(),
            **{f: getattr(proposal, f) for f in RULE_FIELDS}}  # fmt: skip


@transaction.atomic
def rule_proposal_approve(*, actor: Actor, proposal: RuleProposal) -> RuleVersion:
    """A second approver (another admin of the community, or national staff; never the one who
    proposed it) puts a proposed rule in force: it becomes the deed type's next rule version, and
    a new local deed type becomes visible and recordable."""
    proposal = rows_lock(RuleProposal.objects.filter(pk=proposal.pk))[0]
    if proposal.approved_at is not None:
        raise ValidationFailed(_("This proposal is already approved."))
    if not rule_proposal_approvable_by(actor, proposal):
        raise ProposalNotApprovable()
    deed_type = proposal.deed_type
    effective_from = proposal.effective_from
    own = deed_type.rule_versions.filter(community=proposal.community if proposal.adjustment else None)
    latest = own.order_by("-effective_from").first()
    if latest is not None:  # a change takes effect from its approval on, never before
        effective_from = max(effective_from, timezone.localdate(), latest.effective_from)
    rule = RuleVersion.objects.create(
        deed_type=deed_type, community=proposal.community if proposal.adjustment else None,
        version=_next_version(deed_type), effective_from=effective_from,
        virtue_weights=proposal.virtue_weights, created_by=proposal.proposed_by,
        **{f: getattr(proposal, f) for f in RULE_FIELDS},
    )  # fmt: skip
    proposal.approved_by = person_or_none(actor)
    proposal.approved_at = timezone.now()
    proposal.rule_version = rule
    proposal.save(update_fields=["approved_by", "approved_at", "rule_version", "updated_at"])
    if deed_type.proposed:
        deed_type.proposed = False
        deed_type.save(update_fields=["proposed", "updated_at"])
    audit_record(
        actor=actor, event=CatalogEvent.DEED_TYPE_APPROVE, subject_id=deed_type.public_id,
        data={"code": deed_type.code, "proposal": str(proposal.public_id),
              "community": str(proposal.community.public_id), "version": rule.version,
              "adjustment": proposal.adjustment, **_proposal_rule(proposal)},
    )  # fmt: skip
    return rule


@transaction.atomic
def category_save(
    *, actor: Actor, code: str, name_th: str, name_en: str, description_th: str = "", description_en: str = ""
) -> Category:
    """Creates a category, or edits the one with this code (national staff)."""
    _require(actor, "catalog.manage_catalog")
    errors: dict[str, list] = {}
    code = code.strip()
    if not SLUG.match(code) or len(code) > 60:
        errors["code"] = [_("Use lowercase letters, digits and hyphens (at most 60).")]
    for field, value in (("name_th", name_th), ("name_en", name_en)):
        if not value.strip():
            errors[field] = [_("Required.")]
    texts = {"name_th": name_th.strip(), "name_en": name_en.strip(),
             "description_th": description_th.strip(), "description_en": description_en.strip()}  # fmt: skip
    limits = {"name_th": NAME_MAX, "name_en": NAME_MAX}
    multiline = {"description_th", "description_en"}
    for field, problems in text_fields_problems(texts, multiline=multiline, max_chars=limits).items():
        errors.setdefault(field, problems)
    if errors:
        raise ValidationFailed(fields=errors)
    fields = {"name_th": name_th.strip(), "name_en": name_en.strip(),
              "description_th": description_th.strip(), "description_en": description_en.strip()}  # fmt: skip
    outcome = _reference_upsert(Category, "code", code, fields)
    category = Category.objects.get(code=code)
    if outcome != "unchanged":
        event = CatalogEvent.CATEGORY_CREATE if outcome == "created" else CatalogEvent.CATEGORY_UPDATE
        audit_record(actor=actor, event=event, subject_id=code, data=fields)
    return category
