"""Forms of the partners' pages: registering a partner, a decision on one, its staff and tokens,
a privilege it offers, and a set of levels. Each only parses what was typed; the rules are the
services' (rewards/partners.py, privileges.py, levels.py), which the views call."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kwamdee.areas.selectors import district_options, province_options
from kwamdee.common.forms import Form
from kwamdee.common.text_validation import validate_multiline_text
from kwamdee.people.forms import area_fields_setup
from kwamdee.rewards.choices import AreaKind, LimitPeriod, PartnerKind
from kwamdee.rewards.levels import MAX_LEVELS, LevelIn, levels_problems
from kwamdee.rewards.privileges import PrivilegeIn

# How long a code waits at the counter: a few plain choices instead of a number of minutes.
CODE_MINUTES = [30, 60, 4 * 60, 24 * 60, 7 * 24 * 60]
LEVEL_FIELDS = ("name_th", "name_en", "min_credit", "opens_th", "opens_en")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def minutes_label(minutes: int) -> str:
    """30 → "30 minutes", 240 → "4 hours", 10080 → "7 days"."""
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


class PartnerRegisterForm(Form):
    """A partner's name, kind, place and contact (rewards/partners.py, partner_register)."""

    name_th = forms.CharField(
        label=_("Name of the shop or agency (Thai)"), max_length=200,
        help_text=_("As people know it, for example “ร้านค้าชุมชนบ้านหนองสาหร่าย”."),
    )  # fmt: skip
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("What kind of place is it?"), choices=PartnerKind.choices)
    province = forms.ChoiceField(label=_("Province"))
    district = forms.ChoiceField(label=_("District"))
    subdistrict_code = forms.ChoiceField(
        label=_("Subdistrict"),
        error_messages={"invalid_choice": _("Choose the subdistrict again: the list follows the district.")},
    )
    address = forms.CharField(
        label=_("Address"), max_length=300, required=False,
        help_text=_("House number, village (หมู่), road: so that people can find it."),
    )  # fmt: skip
    contact_phone = forms.CharField(
        label=_("Phone number of the shop or agency"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("People who redeem a privilege may call it. Give a phone number, an e-mail, or both."),
    )  # fmt: skip
    contact_email = forms.CharField(
        label=_("E-mail of the shop or agency"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = [("", _("Choose one")), *PartnerKind.choices]
        area_fields_setup(self)


class PartnerDecisionForm(Form):
    """The note with a decision on a waiting partner; the decision is the button pressed. One form
    per partner on the page, its public id the prefix (each note has its own id)."""

    note = forms.CharField(
        label=_("Note to the partner"), max_length=500, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The partner reads it with your decision. When you decline, say why: they can fix it."),
    )  # fmt: skip


class StaffAddForm(Form):
    login = forms.CharField(
        label=_("Their phone number or e-mail"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The one they sign in to Kwamdee with. They must have signed up already."),
    )  # fmt: skip


class TokenIssueForm(Form):
    label = forms.CharField(
        label=_("Name of the system that will use it"), max_length=100, required=False,
        help_text=_("For example “till at the front counter”, so you know which key to remove later."),
    )  # fmt: skip


class PrivilegeForm(Form):
    """A privilege a partner offers (rewards/privileges.py, PrivilegeIn), with its photo."""

    title_th = forms.CharField(
        label=_("What do people get? (Thai)"), max_length=200,
        help_text=_("Short and clear, for example “ส่วนลด 20 บาท” or “ไข่ไก่สด 10 ฟอง”."),
    )  # fmt: skip
    title_en = forms.CharField(label=_("The same in English"), max_length=200, required=False)
    description_th = forms.CharField(
        label=_("Details and conditions (Thai)"), max_length=2000, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the counter hands over, and any condition (a minimum purchase, a day)."),
    )  # fmt: skip
    description_en = forms.CharField(
        label=_("Details and conditions in English"), max_length=2000, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    photo = forms.FileField(
        label=_("Photo"), required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("A JPEG, PNG or WebP photo of what people get. Its hidden details are removed."),
    )  # fmt: skip
    cost_points = forms.IntegerField(
        label=_("Cost in points"),
        help_text=_("0 when it costs no points: then choose the level needed below."),
    )  # fmt: skip
    min_level = forms.TypedChoiceField(label=_("Level needed"), coerce=int, choices=[])
    areas = forms.MultipleChoiceField(
        label=_("Where is it offered?"), widget=forms.CheckboxSelectMultiple,
        help_text=_("People who live in the areas ticked see it."),
    )  # fmt: skip
    valid_from = forms.DateField(label=_("Offered from"), widget=_date_widget())
    valid_until = forms.DateField(label=_("Offered until"), widget=_date_widget())
    stock = forms.IntegerField(
        label=_("How many can be given in all"), required=False,
        help_text=_("Leave empty when there is no limit."),
    )  # fmt: skip
    per_person_limit = forms.IntegerField(
        label=_("How many times one person may get it"), required=False,
        help_text=_("Leave empty when there is no limit."),
    )  # fmt: skip
    per_person_period = forms.ChoiceField(label=_("Counted"), choices=LimitPeriod.choices)
    code_minutes = forms.TypedChoiceField(
        label=_("How long a code waits at the counter"), coerce=int, choices=[],
        help_text=_("If the person does not come in time, the code stops working and their points go back."),
    )  # fmt: skip
    shares_identity = forms.BooleanField(
        label=_("We need to know the person's name"),
        required=False,
        help_text=_(
            "Tick only when you must know who receives it (a health check, for example). The person "
            "agrees before getting a code, and your counter then sees their name. Otherwise the "
            "counter sees only the code, never a name."
        ),
    )

    def __init__(
        self, *args: Any, levels: list[Any], area_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        today = timezone.localdate()
        for name, value in (("valid_from", today), ("valid_until", today + timedelta(days=90))):
            self.initial.setdefault(name, value)
        self.initial.setdefault("code_minutes", 60)
        self.initial.setdefault("min_level", 0)
        self.initial.setdefault("per_person_period", LimitPeriod.EVER)
        level_choices = [(0, _("No level needed")), *((lv.rank, lv.name) for lv in levels)]
        current_level = self.initial.get("min_level") or 0
        if current_level not in {rank for rank, _label in level_choices}:
            level_choices.append((current_level, _("Level %(n)s") % {"n": current_level}))
        fields["min_level"].choices = level_choices
        minutes = list(CODE_MINUTES)
        current = self.initial.get("code_minutes")
        if isinstance(current, int) and current not in minutes:
            minutes = sorted([*minutes, current])
        fields["code_minutes"].choices = [(m, minutes_label(m)) for m in minutes]
        fields["areas"].choices = area_choices
        fields["per_person_period"].choices = [
            (LimitPeriod.DAY, _("each day")),
            (LimitPeriod.MONTH, _("each month")),
            (LimitPeriod.EVER, _("in total, ever")),
        ]

    def privilege_in(self) -> PrivilegeIn:
        data = self.cleaned_data
        return PrivilegeIn(
            title_th=data["title_th"], title_en=data["title_en"], description_th=data["description_th"],
            description_en=data["description_en"], cost_points=data["cost_points"],
            min_level=data["min_level"], stock=data["stock"], per_person_limit=data["per_person_limit"],
            per_person_period=data["per_person_period"], valid_from=data["valid_from"],
            valid_until=data["valid_until"], code_minutes=data["code_minutes"],
            shares_identity=data["shares_identity"], areas=[area_split(v) for v in data["areas"]],
        )  # fmt: skip


def area_value(kind: str, code: str) -> str:
    return f"{kind}:{code}"


def area_split(value: str) -> tuple[str, str]:
    kind, _sep, code = value.partition(":")
    return kind, code


def area_choices(allowed: list[tuple[str, str]], partner: Any) -> list[tuple[str, str]]:
    """The areas a privilege may be offered in, as people read them: "Community: …",
    "District: พนมทวน, กาญจนบุรี", "Province: …", "Whole country"."""
    provinces = {o.code: o.name for o in province_options()}
    districts = {o.code: o.name for o in district_options(partner.province_code)}
    choices = []
    for kind, code in allowed:
        label: Any
        if kind == AreaKind.COMMUNITY and partner.community is not None:
            label = _("Community: %(name)s") % {"name": partner.community.name}
        elif kind == AreaKind.DISTRICT:
            label = _("District: %(district)s, %(province)s") % {
                "district": districts.get(code, code), "province": provinces.get(code[:2], code[:2]),
            }  # fmt: skip
        elif kind == AreaKind.PROVINCE:
            label = _("Province: %(name)s") % {"name": provinces.get(code, code)}
        elif kind == AreaKind.NATIONAL:
            label = _("Whole country")
        else:
            label = code
        choices.append((area_value(kind, code), str(label)))
    return choices


def privilege_initial(privilege: Any) -> dict[str, Any]:
    names = ("title_th", "title_en", "description_th", "description_en", "cost_points", "min_level", "stock",
             "per_person_limit", "per_person_period", "valid_from", "valid_until", "code_minutes",
             "shares_identity")  # fmt: skip
    initial = {name: getattr(privilege, name) for name in names}
    initial["areas"] = [area_value(a.kind, a.code) for a in privilege.areas.all()]
    return initial


class LevelsForm(Form):
    """A set of up to MAX_LEVELS levels, one row each (name, lifetime credit needed, what it
    opens). Empty rows are left out; the service's errors land on the row they are about."""

    def __init__(self, *args: Any, levels: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        for i, level in enumerate(list(levels)[:MAX_LEVELS]):
            for name in LEVEL_FIELDS:
                self.initial.setdefault(f"{name}_{i}", getattr(level, name))
        labels = {
            "name_th": _("Name (Thai)"), "name_en": _("Name in English"),
            "min_credit": _("Lifetime credit needed"), "opens_th": _("What it opens (Thai)"),
            "opens_en": _("What it opens in English"),
        }  # fmt: skip
        for i in range(MAX_LEVELS):
            for name in LEVEL_FIELDS:
                if name == "min_credit":
                    field: forms.Field = forms.IntegerField(
                        label=labels[name],
                        required=False,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    )
                else:
                    field = forms.CharField(
                        label=labels[name], max_length=300 if name.startswith("opens") else 60, required=False
                    )
                self.fields[f"{name}_{i}"] = field
            if self._row_has_values(i):  # a level shown needs its name and its credit
                for name in ("name_th", "min_credit"):
                    needed = self.fields[f"{name}_{i}"]
                    needed.required = True
                    fill_in = _("Fill in “%(label)s”.") % {"label": needed.label}
                    needed.error_messages["required"] = _("Level %(n)s: %(problem)s") % {
                        "n": i + 1, "problem": fill_in,
                    }  # fmt: skip
        self.row_of: list[int] = []  # the row of each level sent, by its place in the list

    def _row_has_values(self, i: int) -> bool:
        values = self.data if self.is_bound else self.initial
        return any(str(values.get(f"{name}_{i}") or "").strip() for name in LEVEL_FIELDS)

    def rows(self) -> list[dict[str, Any]]:
        """Each row's fields, and whether it is filled (shown) or empty (kept for a new level)."""
        result = []
        for i in range(MAX_LEVELS):
            fields = [self[f"{name}_{i}"] for name in LEVEL_FIELDS]
            filled = any(str(f.value() or "").strip() for f in fields) or any(f.errors for f in fields)
            result.append({"n": i + 1, "fields": fields, "filled": filled})
        return result

    def clean(self) -> dict[str, Any]:
        """Every problem in one round: the rows' own, then the set's rules (levels_problems) on
        the fields that have none yet."""
        data = super().clean() or {}
        levels = self.levels_in()
        if levels:
            self.add_service_errors(levels_problems(levels))
        return data

    def levels_in(self) -> list[LevelIn]:
        data = self.cleaned_data
        levels, self.row_of = [], []
        for i in range(MAX_LEVELS):
            values = {name: data.get(f"{name}_{i}") for name in LEVEL_FIELDS}
            if not any(v not in (None, "") for v in values.values()):
                continue
            levels.append(
                LevelIn(
                    name_th=values["name_th"] or "",
                    name_en=values["name_en"] or "",
                    min_credit=values["min_credit"] if values["min_credit"] is not None else -1,
                    opens_th=values["opens_th"] or "",
                    opens_en=values["opens_en"] or "",
                )
            )
            self.row_of.append(i)
        return levels

    def add_service_errors(self, fields: dict[str, list[Any]]) -> None:
        """`levels.2.min_credit` (the third level sent) onto its row's field; `levels` on top."""
        for key, messages in fields.items():
            parts = key.split(".")
            name = None
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(self.row_of):
                name = f"{parts[2]}_{self.row_of[int(parts[1])]}"
            if name in self.errors:  # the field's own message already says it
                continue
            for message in messages:
                if name in self.fields:
                    row = int(parts[1]) if len(parts) == 3 else 0
                    text = _("Level %(n)s: %(problem)s") % {"n": self.row_of[row] + 1, "problem": message}
                    self.add_error(name, str(text))
                else:
                    self.add_error(None, str(message))
