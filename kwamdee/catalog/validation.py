"""Cleaning one deed type, whether it comes from a form, the API, JSON, CSV or XLSX; and the
rest of a kwamdee-catalog document (virtues, SDGs, categories) before an import writes it.

A row is a flat dict keyed by COLUMNS. Values may be typed (JSON, API) or text (CSV, XLSX,
forms). Errors are keyed by column, so imports can say "row 7, column virtues". Every text value
goes through `text_errors`, the project's one text check (common/text_validation.py: no control
characters, bidirectional overrides or isolates, invisible-only text or stacked marks; at most
MAX_CELL_CHARS characters), and a colour through `color_is_valid` (exactly #rrggbb), because
colours reach a `style` attribute."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.choices import Evidence, Pricing, Sensitive, VerifierKind
from kwamdee.common.text_validation import MAX_TEXT_CHARS, text_problems

COLUMNS = [
    "code", "category", "name_th", "name_en", "description_th", "description_en", "pricing",
    "unit_name_th", "unit_name_en", "credit_per_unit", "points_per_unit", "per_day", "per_week",
    "per_month", "per_year", "cooldown_days", "evidence", "witnesses_required", "verifier",
    "virtues", "sdgs", "indicators", "adjust_bound_pct", "is_active", "effective_from", "sensitive",
]  # fmt: skip
LIMIT_COLUMNS = ["per_day", "per_week", "per_month", "per_year"]
# The national frame: no deed type, national or local, earns more than this per deed, hour or
# unit, and no limit or count goes past MAX_COUNT.
MAX_POINTS_PER_UNIT = 1000
MAX_COUNT = 100_000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SDG_TARGET = re.compile(r"^(\d{1,2})(?:\.([0-9]{1,2}|[a-z]))?$")
TRUE_WORDS = {"1", "true", "yes", "y", "on"}
FALSE_WORDS = {"0", "false", "no", "n", "off"}
# A cell of an import, or any text field of the catalog: descriptions are the longest (a few
# hundred characters); ten thousand leaves room and keeps an error page small.
MAX_CELL_CHARS = MAX_TEXT_CHARS
# Items in one cell's list: SDG goals and targets, virtues, indicators.
MAX_LIST_ITEMS = 100
# Columns whose text may hold several lines (and tabs): the rest are one line.
MULTILINE_COLUMNS = {"description_th", "description_en", "virtues", "sdgs", "indicators"}
LIST_COLUMNS = {"virtues": dict, "sdgs": list, "indicators": list}
NAME_MAX = 200  # BilingualNamed.name_th / name_en
HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
COLOR_MESSAGE = _("Write the colour as # and six hexadecimal digits, like #E5243B.")


class RowErrors(dict):
    def add(self, column: str, message: Any) -> None:
        self.setdefault(column, []).append(message)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def text_errors(value: str, *, multiline: bool = False) -> list[Any]:
    """What is wrong with a text value of the catalog (empty when nothing): the project's one text
    check (common/text_validation.py), with the catalog's cell limit."""
    return text_problems(value, multiline=multiline, max_chars=MAX_CELL_CHARS)


def color_is_valid(value: Any) -> bool:
    """Exactly # and six hexadecimal digits: nothing else may reach a style attribute."""
    return isinstance(value, str) and HEX_COLOR.fullmatch(value) is not None


def validate_color(value: Any) -> None:
    """A Django validator for a colour (forms, models): see `color_is_valid`."""
    if not color_is_valid(value):
        raise ValidationError(COLOR_MESSAGE, code="invalid_color")


def _values_checked(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The row with every value of the wrong shape or with bad text blanked, and why, by column.

    A column named here reports only these problems (not "Required." as well)."""
    checked = dict(row)
    problems: dict[str, list[Any]] = {}
    for column in COLUMNS:
        value = row.get(column)
        if isinstance(value, (dict, list, tuple, set)):
            kind = LIST_COLUMNS.get(column)
            if kind is None:
                problems[column] = [_("Enter a single value.")]
            elif not isinstance(value, kind):
                problems[column] = [_("This value has the wrong shape.")]
            elif len(value) > MAX_LIST_ITEMS:
                problems[column] = [_("At most %(n)s items.") % {"n": MAX_LIST_ITEMS}]
        elif isinstance(value, str):  # what the cleaning keeps: spaces around are trimmed
            if found := text_errors(value.strip(), multiline=column in MULTILINE_COLUMNS):
                problems[column] = found
        if column in problems:
            checked[column] = None
    return checked, problems


def _int(
    row: dict, column: str, errors: RowErrors, *, minimum: int, optional: bool, maximum: int = MAX_COUNT
) -> int | None:
    raw = _text(row.get(column))
    if raw == "":
        if not optional:
            errors.add(column, _("Required."))
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        errors.add(column, _("Enter a whole number."))
        return None
    if not number.is_finite() or number != number.to_integral_value():
        errors.add(column, _("Enter a whole number."))
        return None
    if number < minimum:
        errors.add(column, _("Must be at least %(n)s.") % {"n": minimum})
        return None
    if number > maximum:
        errors.add(column, _("Must be at most %(n)s.") % {"n": maximum})
        return None
    return int(number)


def _virtues(value: Any, known: set[str], errors: RowErrors) -> dict[str, Decimal]:
    if isinstance(value, dict):
        pairs = list(value.items())
    else:  # "volunteerism=0.7; gratitude=0.3"
        pairs = []
        for part in _text(value).replace("\n", ";").split(";"):
            if part.strip():
                code, _sep, weight = part.partition("=")
                pairs.append((code.strip(), weight.strip()))
    weights: dict[str, Decimal] = {}
    for code, weight in pairs:
        if code not in known:
            errors.add("virtues", _("Unknown virtue: %(code)s") % {"code": code})
            continue
        try:
            number = Decimal(str(weight))
        except InvalidOperation:
            errors.add("virtues", _("The weight of %(code)s is not a number.") % {"code": code})
            continue
        if not number.is_finite() or number <= 0 or number > 1:
            errors.add("virtues", _("Each weight must be above 0 and at most 1."))
            continue
        weights[code] = number
    if not pairs:
        errors.add("virtues", _("Tag at least one virtue."))
    elif "virtues" not in errors and abs(sum(weights.values(), Decimal(0)) - 1) > Decimal("0.001"):
        errors.add("virtues", _("The virtue weights must add up to 1."))
    return weights


def _sdgs(value: Any, errors: RowErrors) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[;,\s]+", _text(value))
    tags: list[str] = []
    for item in (_text(i) for i in items):
        if not item:
            continue
        match = SDG_TARGET.match(item.lower())
        if not match or not 1 <= int(match.group(1)) <= 17:
            errors.add("sdgs", _("Not an SDG goal (1–17) or target (like 4.7): %(v)s") % {"v": item})
            continue
        if item.lower() not in tags:
            tags.append(item.lower())
    if not tags and "sdgs" not in errors:
        errors.add("sdgs", _("Tag at least one SDG."))
    return tags


def _indicators(value: Any, errors: RowErrors) -> list[dict[str, str]]:
    if isinstance(value, list):
        rows = [(_text(i.get("code")), _text(i.get("name_th")), _text(i.get("name_en")))
                for i in value if isinstance(i, dict)]  # fmt: skip
    else:  # one per line: "code | ชื่อไทย | English name"
        rows = []
        for line in _text(value).splitlines():
            if line.strip():
                parts = [*(p.strip() for p in line.split("|")), "", "", ""]
                rows.append((parts[0], parts[1], parts[2]))
    indicators = []
    if len(rows) > MAX_LIST_ITEMS:
        errors.add("indicators", _("At most %(n)s items.") % {"n": MAX_LIST_ITEMS})
        return []
    for code, name_th, name_en in rows:
        if problems := text_errors(name_th) + text_errors(name_en) + text_errors(code):
            for problem in problems:
                errors.add("indicators", problem)
            continue
        if not SLUG.match(code) or len(code) > 100 or not name_th or not name_en:
            errors.add(
                "indicators",
                _("Each indicator needs a code (a-z, 0-9, -), a Thai name and an English name."),
            )
            continue
        indicators.append({"code": code, "name_th": name_th[:200], "name_en": name_en[:200]})
    return indicators


def _boolean(value: Any, column: str, errors: RowErrors, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    raw = _text(value).lower()
    if raw == "":
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    errors.add(column, _("Enter true or false."))
    return default


def deed_type_row_clean(
    row: dict[str, Any], *, categories: set[str], virtues: set[str]
) -> tuple[dict[str, Any], RowErrors]:
    """Returns the cleaned deed type and the errors by column (empty when valid)."""
    row, bad_values = _values_checked(row)
    errors = RowErrors()
    clean: dict[str, Any] = {}
    code = _text(row.get("code"))
    if not SLUG.match(code) or len(code) > 80:
        errors.add("code", _("Use lowercase letters, digits and hyphens (at most 80)."))
    clean["code"] = code
    category = _text(row.get("category"))
    if category and category not in categories:
        errors.add("category", _("Unknown category: %(code)s") % {"code": category})
    clean["category"] = category
    for column in ("name_th", "name_en"):
        clean[column] = _text(row.get(column))
        if not clean[column]:
            errors.add(column, _("Required."))
        elif len(clean[column]) > 200:
            errors.add(column, _("At most 200 characters."))
    for column in ("description_th", "description_en"):
        clean[column] = _text(row.get(column))
    pricing = _text(row.get("pricing"))
    if pricing not in Pricing.values:
        errors.add("pricing", _("Choose per_deed, per_hour or per_unit."))
    clean["pricing"] = pricing
    for column in ("unit_name_th", "unit_name_en"):
        clean[column] = _text(row.get(column))[:40]
        if pricing == Pricing.PER_UNIT and not clean[column]:
            errors.add(column, _("A deed priced per unit needs the unit's name."))
    clean["credit_per_unit"] = _int(
        row, "credit_per_unit", errors, minimum=1, optional=False, maximum=MAX_POINTS_PER_UNIT
    )
    clean["points_per_unit"] = _int(
        row, "points_per_unit", errors, minimum=0, optional=False, maximum=MAX_POINTS_PER_UNIT
    )
    for column in LIMIT_COLUMNS:
        clean[column] = _int(row, column, errors, minimum=1, optional=True)
    clean["cooldown_days"] = _int(row, "cooldown_days", errors, minimum=0, optional=True) or 0
    evidence = _text(row.get("evidence")) or Evidence.NONE
    if evidence not in Evidence.values:
        errors.add("evidence", _("Choose none, photo, document, witnesses or attendance."))
    clean["evidence"] = evidence
    witnesses = _int(row, "witnesses_required", errors, minimum=0, optional=True) or 0
    if evidence == Evidence.WITNESSES and witnesses < 1:
        errors.add("witnesses_required", _("Say how many witnesses are needed."))
    clean["witnesses_required"] = witnesses
    verifier = _text(row.get("verifier")) or VerifierKind.ORGANIZATION
    if verifier not in VerifierKind.values:
        errors.add("verifier", _("Choose organization, committee or witnesses."))
    clean["verifier"] = verifier
    clean["virtues"] = _virtues(row.get("virtues"), virtues, errors)
    clean["sdgs"] = _sdgs(row.get("sdgs"), errors)
    clean["indicators"] = _indicators(row.get("indicators"), errors)
    bound = _int(row, "adjust_bound_pct", errors, minimum=0, optional=True)
    if bound is not None and bound > 100:
        errors.add("adjust_bound_pct", _("At most 100."))
    clean["adjust_bound_pct"] = 50 if bound is None else bound
    clean["is_active"] = _boolean(row.get("is_active"), "is_active", errors, default=True)
    sensitive = _text(row.get("sensitive"))
    if sensitive not in Sensitive.values:
        errors.add("sensitive", _("Leave empty, or write health or religion."))
    clean["sensitive"] = sensitive if sensitive in Sensitive.values else ""
    effective = _text(row.get("effective_from"))
    clean["effective_from"] = None
    if effective:
        try:
            clean["effective_from"] = date.fromisoformat(effective[:10])
        except ValueError:
            errors.add("effective_from", _("Enter a date as YYYY-MM-DD."))
    for column, problems in bad_values.items():
        errors[column] = problems
    return clean, errors


# --- a whole kwamdee-catalog document, before an import writes any of it -----------------------

REFERENCE_CODE_MAX = {"virtues": 40, "categories": 60}  # Virtue.code, Category.code
_SDG_NUMBER = re.compile(r"[0-9]{1,2}")
DocumentError = tuple[int | str, str, str]


def _reference_errors(kind: str, index: int, item: Any) -> list[DocumentError]:
    """A virtue, SDG or category of a document: its errors as (label, column, message)."""
    label = f"{kind} {index}"
    found: list[DocumentError] = []

    def add(column: str, message: Any) -> None:
        found.append((label, column, str(message)))

    if not isinstance(item, dict):
        add(kind, _("Must be a list of objects."))
        return found
    if kind == "sdgs":
        number = item.get("number")
        goal = 0
        if isinstance(number, int) and not isinstance(number, bool):
            goal = number
        elif isinstance(number, str) and _SDG_NUMBER.fullmatch(number):
            goal = int(number)
        if not 1 <= goal <= 17:
            add("number", _("Enter a goal number from 1 to 17."))
        if not color_is_valid(item.get("color")):
            add("color", COLOR_MESSAGE)
    else:
        code, longest = item.get("code"), REFERENCE_CODE_MAX[kind]
        if not isinstance(code, str) or not SLUG.match(code) or len(code) > longest:
            add("code", _("Use lowercase letters, digits and hyphens (at most %(n)s).") % {"n": longest})
        for column in ("description_th", "description_en"):
            value = item.get(column, "")
            if not isinstance(value, str):
                add(column, _("Enter text."))
            else:
                for problem in text_errors(value, multiline=True):
                    add(column, problem)
    for column in ("name_th", "name_en"):
        value = item.get(column)
        if value is not None and not isinstance(value, str):
            add(column, _("Enter text."))
        elif not value or not value.strip():
            add(column, _("Required."))
        elif len(value) > NAME_MAX:
            add(column, _("At most 200 characters."))
        else:
            for problem in text_errors(value):
                add(column, problem)
    return found


def _codes(items: Any) -> set[str]:
    return {i["code"] for i in items or [] if isinstance(i, dict) and isinstance(i.get("code"), str)}


def catalog_document_errors(
    data: dict[str, Any], *, virtues: set[str], categories: set[str]
) -> list[DocumentError]:
    """Every error of a kwamdee-catalog document that can be found without the database's
    current deed types, as (row, column, message); `virtues` and `categories` are the codes
    that already exist. Touches no table, so an import runs it before its write transaction."""
    errors: list[DocumentError] = []
    for kind in ("virtues", "sdgs", "categories"):
        for index, item in enumerate(data.get(kind) or [], start=1):
            errors += _reference_errors(kind, index, item)
    virtue_codes = virtues | _codes(data.get("virtues"))
    category_codes = categories | _codes(data.get("categories"))
    for index, item in enumerate(data.get("deed_types") or [], start=1):
        if not isinstance(item, dict):
            errors.append((index, "deed_types", str(_("Must be a list of objects."))))
            continue
        row_number = item.get("_row", index)
        row = {k: v for k, v in item.items() if k not in ("limits", "_row")}
        limits = item.get("limits")
        if isinstance(limits, dict):
            row.update(limits)
        elif limits is not None:
            errors.append((row_number, "limits", str(_("This value has the wrong shape."))))
        _clean, row_errors = deed_type_row_clean(row, categories=category_codes, virtues=virtue_codes)
        for column, messages in row_errors.items():
            errors.extend((row_number, column, str(m)) for m in messages)
    return errors


# --- the national bounds of a community's local deed type (the fairness review) ----------------


def local_bounds() -> dict[str, Any]:
    """The national bounds of local deed types (settings.KWAMDEE_LOCAL_BOUNDS)."""
    return settings.KWAMDEE_LOCAL_BOUNDS


def local_quantity_max(pricing: str) -> Decimal:
    """The most hours or units one deed of a local deed type priced `pricing` may count."""
    return Decimal(local_bounds()["quantity_per_deed"].get(pricing, 1))


def local_rule_problems(row: dict[str, Any]) -> dict[str, list[Any]]:
    """What takes a cleaned local deed type (`deed_type_row_clean`) out of the national bounds,
    by column (empty when within them): credit and points per deed, hour or unit by how it is
    priced, and the limits every local deed type must set. The one rule, used by the catalog's
    services, so that the web, the API and imports all obey it."""
    bounds = local_bounds()
    pricing = row.get("pricing")
    problems: dict[str, list[Any]] = {}
    for column in ("credit_per_unit", "points_per_unit"):
        value, most = row.get(column), bounds[column].get(pricing)
        if most is not None and value is not None and value > most:
            message = _("A community's own deed type earns at most %(n)s here (the national bound).")
            problems[column] = [message % {"n": most}]
    for column, most in bounds["required_limits"].items():
        value = row.get(column)
        if value is None:
            problems[column] = [
                _("A community's own deed type must set this limit (at most %(n)s).") % {"n": most}
            ]
        elif value > most:
            problems[column] = [
                _("At most %(n)s for a community's own deed type (the national bound).") % {"n": most}
            ]
    return problems
