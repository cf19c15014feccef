"""Forms: browse filters, a deed type (national or local), a community adjustment, a category."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.choices import Evidence, Pricing, Sensitive, VerifierKind
from kwamdee.catalog.models import Category, DeedType, Sdg, Virtue
from kwamdee.catalog.validation import LIMIT_COLUMNS, SDG_TARGET
from kwamdee.common.forms import Form


class BrowseForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    virtue = forms.ChoiceField(label=_("Virtue"), required=False)
    sdg = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["virtue"].choices = [("", _("All virtues"))] + [(v.code, v.name) for v in Virtue.objects.all()]
        fields["sdg"].choices = [("", _("All SDGs"))] + [
            (s.number, f"{s.number}. {s.name}") for s in Sdg.objects.all()
        ]
        fields["category"].choices = [("", _("All categories"))] + [
            (c.code, c.name) for c in Category.objects.all()
        ]


# Empty indicator rows offered below a deed type's own; save and come back for more.
INDICATOR_SPARE_ROWS = 2


class DeedTypeForm(Form):
    """Every setting of a deed type; `row()` gives the flat row the services validate."""

    code = forms.SlugField(label=_("Code"), max_length=80, help_text=_("Lowercase letters, digits, hyphens."))
    category = forms.ChoiceField(label=_("Category"), required=False)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_th = forms.CharField(
        label=_("Description (Thai)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pricing = forms.ChoiceField(label=_("Priced"), choices=Pricing.choices)
    unit_name_th = forms.CharField(label=_("Unit (Thai)"), required=False, max_length=40)
    unit_name_en = forms.CharField(label=_("Unit (English)"), required=False, max_length=40)
    credit_per_unit = forms.IntegerField(label=_("Credit per deed, hour or unit"), min_value=1)
    points_per_unit = forms.IntegerField(label=_("Points per deed, hour or unit"), min_value=0)
    per_day = forms.IntegerField(label=_("At most per day"), required=False, min_value=1)
    per_week = forms.IntegerField(label=_("At most per week"), required=False, min_value=1)
    per_month = forms.IntegerField(label=_("At most per month"), required=False, min_value=1)
    per_year = forms.IntegerField(label=_("At most per year"), required=False, min_value=1)
    cooldown_days = forms.IntegerField(label=_("Days between repeats"), required=False, min_value=0)
    effective_from = forms.DateField(
        label=_("New points or limits take effect from"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today or later. Credits already given never change."),
    )  # fmt: skip
    evidence = forms.ChoiceField(label=_("Evidence required"), choices=Evidence.choices)
    witnesses_required = forms.IntegerField(label=_("Witnesses required"), required=False, min_value=0)
    verifier = forms.ChoiceField(label=_("Verified by"), choices=VerifierKind.choices)
    sdgs = forms.MultipleChoiceField(
        label=_("SDGs"), widget=forms.CheckboxSelectMultiple, help_text=_("Tick every goal the deed serves.")
    )
    sdg_targets = forms.CharField(
        label=_("SDG targets"), required=False, max_length=200,
        help_text=_("Only if you know them: target numbers such as 4.7 or 17.17, separated by spaces."),
    )  # fmt: skip
    adjust_bound_pct = forms.IntegerField(
        label=_("Communities may adjust points by at most (%)"), min_value=0, max_value=100, initial=50
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    sensitive = forms.ChoiceField(
        label=_("Does recording it say something sensitive?"), choices=Sensitive.choices, required=False,
        help_text=_("Health or religion (PDPA §26): the person is asked to agree each time they record it."),
    )  # fmt: skip

    def __init__(self, *args, deed_type: DeedType | None = None, local: bool = False, **kwargs):
        if deed_type is not None:
            kwargs["initial"] = deed_type_initial(deed_type)
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["category"].choices = [("", _("No category"))] + [
            (c.code, c.name) for c in Category.objects.all()
        ]
        fields["sdgs"].choices = [(str(s.number), f"{s.number}. {s.name}") for s in Sdg.objects.all()]
        existing = list(deed_type.indicators.all()) if deed_type is not None else []
        self.indicator_codes = [i.code for i in existing]
        for n in range(len(existing) + INDICATOR_SPARE_ROWS):
            fields[f"indicator_{n}_th"] = forms.CharField(
                label=_("Indicator %(n)s (Thai)") % {"n": n + 1}, required=False, max_length=200
            )
            fields[f"indicator_{n}_en"] = forms.CharField(
                label=_("Indicator %(n)s (English)") % {"n": n + 1}, required=False, max_length=200
            )
        self.virtues = list(Virtue.objects.all())
        for virtue in self.virtues:
            fields[f"weight_{virtue.code}"] = forms.DecimalField(
                label=virtue.name, required=False, min_value=0, max_value=1, decimal_places=3,
                widget=forms.NumberInput(attrs={"step": "0.05"}),
            )  # fmt: skip
        if deed_type is not None:
            fields["code"].disabled = True
        if local:
            del fields["adjust_bound_pct"]

    @property
    def weight_fields(self):
        return [self[f"weight_{v.code}"] for v in self.virtues]

    def clean_sdg_targets(self):
        """Targets are checked where they are typed (the service would name the SDG boxes)."""
        targets = (self.cleaned_data.get("sdg_targets") or "").replace(";", " ").replace(",", " ").split()
        wrong = [t for t in targets if not SDG_TARGET.match(t.lower()) or "." not in t]
        if wrong:
            raise forms.ValidationError(
                _("Write targets as a goal and a target number, such as 4.7 or 17.17: %(wrong)s")
                % {"wrong": ", ".join(wrong)}
            )
        return " ".join(targets)

    @property
    def indicator_rows(self):
        count = len([name for name in self.fields if name.startswith("indicator_") and name.endswith("_th")])
        return [(self[f"indicator_{n}_th"], self[f"indicator_{n}_en"]) for n in range(count)]

    def _indicators(self, code: str) -> list[dict[str, str]]:
        """The filled rows, each keeping its code (a new one is named after the deed type)."""
        data, found = self.cleaned_data, []
        taken = set(self.indicator_codes)
        for n, _row in enumerate(self.indicator_rows):
            name_th, name_en = data.get(f"indicator_{n}_th", ""), data.get(f"indicator_{n}_en", "")
            if not name_th and not name_en:
                continue
            if n < len(self.indicator_codes):
                indicator_code = self.indicator_codes[n]
            else:
                number = n + 1
                while f"{code}-{number}" in taken:
                    number += 1
                indicator_code = f"{code}-{number}"
                taken.add(indicator_code)
            found.append({"code": indicator_code, "name_th": name_th, "name_en": name_en})
        return found

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        row = {k: v for k, v in data.items() if not k.startswith(("weight_", "indicator_", "sdg_targets"))}
        row["sdgs"] = list(data.get("sdgs") or []) + (data.get("sdg_targets") or "").replace(";", " ").split()
        row["indicators"] = self._indicators(data.get("code") or "")
        row["virtues"] = {
            v.code: data[f"weight_{v.code}"] for v in self.virtues if data.get(f"weight_{v.code}")
        }
        row["cooldown_days"] = data.get("cooldown_days") or 0
        row["witnesses_required"] = data.get("witnesses_required") or 0
        return row


def deed_type_initial(dt: DeedType) -> dict[str, Any]:
    rule = dt.rule_versions.filter(community__isnull=True).order_by("-version").first()
    initial: dict[str, Any] = {
        f: getattr(dt, f)
        for f in ("code", "name_th", "name_en", "description_th", "description_en", "pricing",
                  "unit_name_th", "unit_name_en", "evidence", "witnesses_required",
                  "adjust_bound_pct", "is_active", "sensitive")
    }  # fmt: skip
    initial["category"] = dt.category.code if dt.category else ""
    initial["verifier"] = dt.verifier_kind
    initial["sdgs"] = [str(s.number) for s in dt.sdgs.all()]
    initial["sdg_targets"] = " ".join(dt.sdg_targets)
    for n, indicator in enumerate(dt.indicators.all()):
        initial[f"indicator_{n}_th"], initial[f"indicator_{n}_en"] = indicator.name_th, indicator.name_en
    for w in dt.virtue_weights.select_related("virtue"):
        initial[f"weight_{w.virtue.code}"] = w.weight.normalize()
    if rule:
        for f in ("credit_per_unit", "points_per_unit", "cooldown_days", *LIMIT_COLUMNS):
            initial[f] = getattr(rule, f)
    return initial


class AdjustForm(Form):
    effective_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    credit_per_unit = forms.IntegerField(label=_("Credit"), min_value=0)
    points_per_unit = forms.IntegerField(label=_("Points"), min_value=0)


class CategoryForm(Form):
    """A new category, or (with `category`) the one chosen from the list, its code kept."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lowercase letters, digits, hyphens. It cannot change later."),
    )
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_th = forms.CharField(
        label=_("Description (Thai)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, category: Any = None, **kwargs: Any) -> None:
        if category is not None:
            kwargs["initial"] = {
                f: getattr(category, f)
                for f in ("code", "name_th", "name_en", "description_th", "description_en")
            }
        super().__init__(*args, **kwargs)
        if category is not None:
            self.fields["code"].disabled = True


class DeedTypeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class SynonymForm(Form):
    """An everyday search word and the national deed types it means."""

    word = forms.CharField(
        label=_("Everyday word or phrase"), max_length=100,
        help_text=_("As people type it when they search, in Thai or English, e.g. เลือด or old people."),
    )  # fmt: skip
    deed_types = DeedTypeChoices(
        label=_("Deed types it means"), queryset=DeedType.objects.none(),
        widget=forms.CheckboxSelectMultiple,  # tick boxes: no Ctrl-click, large on a phone
        help_text=_("Tick every deed type the word means."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["deed_types"].queryset = DeedType.objects.filter(community__isnull=True).order_by("code")
