"""Forms: browse filters, a deed type (national or local), a community adjustment, a category."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.choices import Evidence, Pricing, VerifierKind
from kwamdee.catalog.models import Category, DeedType, Sdg, Virtue
from kwamdee.catalog.validation import LIMIT_COLUMNS


class BrowseForm(forms.Form):
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


class DeedTypeForm(forms.Form):
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
    sdgs = forms.CharField(
        label=_("SDGs"), help_text=_("Goals and targets separated by semicolons, e.g. 3; 4.7"), max_length=200
    )
    indicators = forms.CharField(
        label=_("Indicators"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code | Thai name | English name"),
    )  # fmt: skip
    adjust_bound_pct = forms.IntegerField(
        label=_("Communities may adjust points by at most (%)"), min_value=0, max_value=100, initial=50
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, deed_type: DeedType | None = None, local: bool = False, **kwargs):
        if deed_type is not None:
            kwargs["initial"] = deed_type_initial(deed_type)
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["category"].choices = [("", "—")] + [(c.code, c.name) for c in Category.objects.all()]
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

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        row = {k: v for k, v in data.items() if not k.startswith("weight_")}
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
                  "adjust_bound_pct", "is_active")
    }  # fmt: skip
    initial["category"] = dt.category.code if dt.category else ""
    initial["verifier"] = dt.verifier_kind
    initial["sdgs"] = "; ".join([str(s.number) for s in dt.sdgs.all()] + list(dt.sdg_targets))
    initial["indicators"] = "\n".join(f"{i.code} | {i.name_th} | {i.name_en}" for i in dt.indicators.all())
    for w in dt.virtue_weights.select_related("virtue"):
        initial[f"weight_{w.virtue.code}"] = w.weight.normalize()
    if rule:
        for f in ("credit_per_unit", "points_per_unit", "cooldown_days", *LIMIT_COLUMNS):
            initial[f] = getattr(rule, f)
    return initial


class AdjustForm(forms.Form):
    effective_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    credit_per_unit = forms.IntegerField(label=_("Credit"), min_value=0)
    points_per_unit = forms.IntegerField(label=_("Points"), min_value=0)


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_th = forms.CharField(
        label=_("Description (Thai)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
