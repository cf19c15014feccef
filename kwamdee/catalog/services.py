"""Writes to the catalog."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from kwamdee.catalog.choices import Evidence, Pricing, VerifierKind
from kwamdee.catalog.errors import CatalogInvalid
from kwamdee.catalog.models import (
    Category,
    DeedType,
    DeedTypeVirtue,
    Indicator,
    RuleVersion,
    Sdg,
    Virtue,
)
from kwamdee.common.audit import audit_record

DEFAULT_CATALOG_PATH = Path(__file__).parent / "data" / "default_catalog.json"
# The first rule version of an imported deed type is in force from this date, so that
# deeds recorded before the import are priced too.
FIRST_RULE_DATE = date(2020, 1, 1)
RULE_FIELDS = (
    "credit_per_unit", "points_per_unit", "per_day", "per_week", "per_month", "per_year",
    "cooldown_days",
)  # fmt: skip


def _rule_values(item: dict[str, Any]) -> dict[str, Any]:
    limits = item.get("limits") or {}
    return {
        "credit_per_unit": int(item["credit_per_unit"]),
        "points_per_unit": int(item["points_per_unit"]),
        "per_day": limits.get("per_day"),
        "per_week": limits.get("per_week"),
        "per_month": limits.get("per_month"),
        "per_year": limits.get("per_year"),
        "cooldown_days": limits.get("cooldown_days") or 0,
    }


def _deed_type_check(item: dict[str, Any], virtues: set[str]) -> None:
    code = item.get("code", "?")
    weights = item.get("virtues") or {}
    if not weights or set(weights) - virtues:
        raise CatalogInvalid(fields={code: ["unknown or missing virtues"]})
    total = sum((Decimal(str(w)) for w in weights.values()), Decimal(0))
    if abs(total - 1) > Decimal("0.001"):
        raise CatalogInvalid(fields={code: ["virtue weights must sum to 1"]})
    if item["pricing"] not in Pricing.values:
        raise CatalogInvalid(fields={code: ["unknown pricing"]})
    if item.get("evidence", "none") not in Evidence.values:
        raise CatalogInvalid(fields={code: ["unknown evidence"]})
    if item.get("verifier", "organization") not in VerifierKind.values:
        raise CatalogInvalid(fields={code: ["unknown verifier"]})


@transaction.atomic
def catalog_load(*, actor, data: dict[str, Any]) -> dict[str, int]:
    """Creates or updates the national catalog from a kwamdee-catalog document.

    Loading the same document twice changes nothing. Changed points or limits become a
    new rule version in force from today; past credits never change."""
    counts = {"virtues": 0, "sdgs": 0, "categories": 0, "deed_types": 0, "indicators": 0,
              "rule_versions": 0}  # fmt: skip
    for order, v in enumerate(data.get("virtues", [])):
        Virtue.objects.update_or_create(
            code=v["code"],
            defaults={
                "name_th": v["name_th"], "name_en": v["name_en"],
                "description_th": v.get("description_th", ""),
                "description_en": v.get("description_en", ""), "sort_order": order,
            },
        )  # fmt: skip
        counts["virtues"] += 1
    for s in data.get("sdgs", []):
        Sdg.objects.update_or_create(
            number=s["number"],
            defaults={"name_th": s["name_th"], "name_en": s["name_en"], "color": s["color"]},
        )
        counts["sdgs"] += 1
    for order, c in enumerate(data.get("categories", [])):
        Category.objects.update_or_create(
            code=c["code"],
            defaults={
                "name_th": c["name_th"], "name_en": c["name_en"],
                "description_th": c.get("description_th", ""),
                "description_en": c.get("description_en", ""), "sort_order": order,
            },
        )  # fmt: skip
        counts["categories"] += 1

    virtues = {v.code: v for v in Virtue.objects.all()}
    sdgs = {s.number: s for s in Sdg.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    for item in data.get("deed_types", []):
        _deed_type_check(item, set(virtues))
        deed_type, _created = DeedType.objects.update_or_create(
            code=item["code"],
            defaults={
                "category": categories.get(item.get("category", "")),
                "name_th": item["name_th"], "name_en": item["name_en"],
                "description_th": item.get("description_th", ""),
                "description_en": item.get("description_en", ""),
                "pricing": item["pricing"],
                "unit_name_th": item.get("unit_name_th", ""),
                "unit_name_en": item.get("unit_name_en", ""),
                "evidence": item.get("evidence", Evidence.NONE),
                "witnesses_required": item.get("witnesses_required", 0),
                "verifier_kind": item.get("verifier", VerifierKind.ORGANIZATION),
                "sdg_targets": [t for t in item.get("sdgs", []) if "." in str(t)],
            },
        )  # fmt: skip
        counts["deed_types"] += 1
        DeedTypeVirtue.objects.filter(deed_type=deed_type).delete()
        DeedTypeVirtue.objects.bulk_create(
            DeedTypeVirtue(deed_type=deed_type, virtue=virtues[code], weight=Decimal(str(w)))
            for code, w in item["virtues"].items()
        )
        goals = {int(str(t).split(".")[0]) for t in item.get("sdgs", [])}
        deed_type.sdgs.set([sdgs[g] for g in goals if g in sdgs])
        for order, ind in enumerate(item.get("indicators", [])):
            Indicator.objects.update_or_create(
                code=ind["code"],
                defaults={"deed_type": deed_type, "name_th": ind["name_th"],
                          "name_en": ind["name_en"], "sort_order": order},
            )  # fmt: skip
            counts["indicators"] += 1
        counts["rule_versions"] += _rule_version_sync(deed_type, _rule_values(item), actor)

    audit_record(actor=actor, event_type="catalog:load", data=counts)
    return counts


def _rule_version_sync(deed_type: DeedType, values: dict[str, Any], actor) -> int:
    latest = deed_type.rule_versions.order_by("-version").first()
    if latest and all(getattr(latest, f) == values[f] for f in RULE_FIELDS):
        return 0
    RuleVersion.objects.create(
        deed_type=deed_type,
        version=(latest.version + 1) if latest else 1,
        effective_from=timezone.localdate() if latest else FIRST_RULE_DATE,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    return 1


def catalog_load_default(*, actor=None) -> dict[str, int]:
    data = json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))
    return catalog_load(actor=actor, data=data)
