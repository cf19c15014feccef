"""Templates as JSON documents: the one check (`template_document_problems`), the writer of a
version's rows (`template_rows_create`, which takes the model classes so that the data migration
can pass its historical ones) and the reader (`template_document`). Import, export and the
default template (data/moral_organization.json) all go through these, so a template exported
and imported again is the same template."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.assessments.choices import Figure, ScoringRule
from kwamdee.common.text_validation import text_problems

FORMAT = "kwamdee.assessment_template"
FORMAT_VERSION = 1
MAX_ITEMS = 200

Problems = dict[str, list[Any]]


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(
    problems: Problems, where: str, value: Any, *, required: bool = True, max_chars: int = 2000
) -> None:
    if not isinstance(value, str) or (required and not value.strip()):
        if required or value is not None:
            problems.setdefault(where, []).append(_("Required."))
        return
    for problem in text_problems(value, multiline=True, max_chars=max_chars):
        problems.setdefault(where, []).append(problem)


def template_document_problems(document: Any) -> Problems:
    """What is wrong with a template document, by where it is ("levels[0].min_percent"); empty
    when nothing is."""
    problems: Problems = {}

    def add(where: str, message: Any) -> None:
        problems.setdefault(where, []).append(message)

    if not isinstance(document, Mapping):
        add("document", _("A template is a JSON object."))
        return problems
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        add("format", _("This is not an assessment template of this version."))
    code = document.get("code")
    if not isinstance(code, str) or not code or not code.replace("_", "").replace("-", "").isalnum():
        add("code", _("A code of letters, digits, - and _."))
    _text(problems, "name_th", document.get("name_th"), max_chars=200)
    _text(problems, "name_en", document.get("name_en", ""), required=False, max_chars=200)
    try:
        date.fromisoformat(str(document.get("effective_from")))
    except ValueError:
        add("effective_from", _("A date as YYYY-MM-DD."))
    for key, low, high in (("certificate_years", 1, 10), ("reminder_days", 1, 365)):
        value = document.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            add(key, _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
    sources = document.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, Mapping) for s in sources):
        add("sources", _("A list of sources, each with a title and an address."))

    levels = document.get("levels")
    level_codes: set[str] = set()
    if not isinstance(levels, list) or not levels:
        add("levels", _("At least one level."))
        levels = []
    orders: set[Any] = set()
    for n, level in enumerate(levels):
        where = f"levels[{n}]"
        if not isinstance(level, Mapping):
            add(where, _("A level is an object."))
            continue
        if not isinstance(level.get("code"), str) or not level["code"] or level["code"] in level_codes:
            add(f"{where}.code", _("A code used once."))
        else:
            level_codes.add(level["code"])
        order = level.get("order")
        if not isinstance(order, int) or isinstance(order, bool) or order < 1 or order in orders:
            add(f"{where}.order", _("A whole number from 1, used once."))
        orders.add(order)
        _text(problems, f"{where}.name_th", level.get("name_th"), max_chars=200)
        _text(problems, f"{where}.name_en", level.get("name_en", ""), required=False, max_chars=200)
        percent = _decimal(level.get("min_percent"))
        if percent is None or not Decimal(0) <= percent <= Decimal(100):
            add(f"{where}.min_percent", _("A share from 0 to 100."))
        if level.get("min_item_score", 0) not in (0, 1, 2):
            add(f"{where}.min_item_score", _("2, 1 or 0."))

    activities = document.get("activities")
    if not isinstance(activities, list) or not activities:
        add("activities", _("At least one activity."))
        activities = []
    numbers: set[Any] = set()
    item_codes: set[str] = set()
    for n, activity in enumerate(activities):
        where = f"activities[{n}]"
        if not isinstance(activity, Mapping):
            add(where, _("An activity is an object."))
            continue
        number = activity.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1 or number in numbers:
            add(f"{where}.number", _("A whole number from 1, used once."))
        numbers.add(number)
        if activity.get("level") not in level_codes:
            add(f"{where}.level", _("The code of one of the template's levels."))
        _text(problems, f"{where}.name_th", activity.get("name_th"), max_chars=300)
        _text(problems, f"{where}.name_en", activity.get("name_en", ""), required=False, max_chars=300)
        items = activity.get("items")
        if not isinstance(items, list) or not items:
            add(f"{where}.items", _("At least one item."))
            items = []
        for m, item in enumerate(items):
            _item_problems(problems, f"{where}.items[{m}]", item, item_codes)
    if len(item_codes) > MAX_ITEMS:
        add("activities", _("At most %(n)s items.") % {"n": MAX_ITEMS})
    return problems


def _item_problems(problems: Problems, where: str, item: Any, codes: set[str]) -> None:
    def add(key: str, message: Any) -> None:
        problems.setdefault(f"{where}.{key}" if key else where, []).append(message)

    if not isinstance(item, Mapping):
        add("", _("An item is an object."))
        return
    code = item.get("code")
    if not isinstance(code, str) or not code or len(code) > 20 or code in codes:
        add("code", _("A code used once in the template."))
    else:
        codes.add(code)
    _text(problems, f"{where}.text_th", item.get("text_th"))
    _text(problems, f"{where}.text_en", item.get("text_en", ""), required=False)
    rule = item.get("rule")
    if rule not in ScoringRule.values:
        add("rule", _("One of: threshold, judgement, computed."))
    if rule in (ScoringRule.THRESHOLD, ScoringRule.COMPUTED):
        full, half = _decimal(item.get("threshold_full")), _decimal(item.get("threshold_half"))
        if full is None or half is None or half < 0 or half > full:
            add("threshold_full", _("Two thresholds, the one for 1 point not above the one for 2."))
    if rule == ScoringRule.COMPUTED and item.get("figure") not in Figure.values:
        add("figure", _("A computed item names one of the figures the system computes."))
    if rule != ScoringRule.COMPUTED and item.get("figure"):
        add("figure", _("Only a computed item names a figure."))
    if not isinstance(item.get("evidence_required", False), bool):
        add("evidence_required", _("true or false."))
    _text(
        problems,
        f"{where}.evidence_th",
        item.get("evidence_th", ""),
        required=bool(item.get("evidence_required")),
    )
    _text(problems, f"{where}.evidence_en", item.get("evidence_en", ""), required=False)
    _text(problems, f"{where}.source", item.get("source", ""), required=False, max_chars=300)


def template_rows_create(
    document: Mapping[str, Any], *, models: Mapping[str, Any], version: int, created_by_id: int | None = None
) -> Any:
    """Writes one template version from a checked document, with the given model classes
    ("Template", "TemplateLevel", "TemplateActivity", "TemplateItem")."""
    template = models["Template"].objects.create(
        code=document["code"], version=version, name_th=document["name_th"],
        name_en=document.get("name_en", ""), effective_from=date.fromisoformat(document["effective_from"]),
        certificate_years=document["certificate_years"], reminder_days=document["reminder_days"],
        sources=list(document.get("sources", [])), created_by_id=created_by_id,
    )  # fmt: skip
    levels = {}
    for level in document["levels"]:
        levels[level["code"]] = models["TemplateLevel"].objects.create(
            template=template, code=level["code"], order=level["order"], name_th=level["name_th"],
            name_en=level.get("name_en", ""), min_percent=_decimal(level["min_percent"]),
            min_item_score=level.get("min_item_score", 0),
        )  # fmt: skip
    items = []
    for activity in document["activities"]:
        row = models["TemplateActivity"].objects.create(
            template=template, level=levels[activity["level"]], number=activity["number"],
            name_th=activity["name_th"], name_en=activity.get("name_en", ""),
        )  # fmt: skip
        for order, item in enumerate(activity["items"], start=1):
            items.append(
                models["TemplateItem"](
                    activity=row,
                    code=item["code"],
                    order=order,
                    text_th=item["text_th"],
                    text_en=item.get("text_en", ""),
                    rule=item["rule"],
                    threshold_full=_decimal(item.get("threshold_full")),
                    threshold_half=_decimal(item.get("threshold_half")),
                    figure=item.get("figure", ""),
                    evidence_required=item.get("evidence_required", False),
                    evidence_th=item.get("evidence_th", ""),
                    evidence_en=item.get("evidence_en", ""),
                    source=item.get("source", ""),
                )
            )
    models["TemplateItem"].objects.bulk_create(items)
    return template


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def template_document(template: Any) -> dict[str, Any]:
    """A template version as a document that `template_document_problems` accepts."""
    levels = list(template.levels.order_by("order"))
    by_id = {level.pk: level.code for level in levels}
    activities = template.activities.order_by("number").prefetch_related("items")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": template.code,
        "name_th": template.name_th,
        "name_en": template.name_en,
        "effective_from": template.effective_from.isoformat(),
        "certificate_years": template.certificate_years,
        "reminder_days": template.reminder_days,
        "sources": list(template.sources),
        "levels": [
            {
                "code": level.code,
                "order": level.order,
                "name_th": level.name_th,
                "name_en": level.name_en,
                "min_percent": _number(level.min_percent),
                "min_item_score": level.min_item_score,
            }
            for level in levels
        ],
        "activities": [
            {
                "number": activity.number,
                "level": by_id[activity.level_id],
                "name_th": activity.name_th,
                "name_en": activity.name_en,
                "items": [
                    {
                        "code": item.code,
                        "text_th": item.text_th,
                        "text_en": item.text_en,
                        "rule": item.rule,
                        "threshold_full": _number(item.threshold_full),
                        "threshold_half": _number(item.threshold_half),
                        "figure": item.figure,
                        "evidence_required": item.evidence_required,
                        "evidence_th": item.evidence_th,
                        "evidence_en": item.evidence_en,
                        "source": item.source,
                    }
                    for item in sorted(activity.items.all(), key=lambda i: (i.order, i.pk))
                ],
            }
            for activity in activities
        ],
    }
