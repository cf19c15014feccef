"""Forms: a sponsor's pledge, and registering a sponsor (staff)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.selectors import deed_types_national
from kwamdee.common.forms import Form
from kwamdee.common.i18n import pick
from kwamdee.organizations.selectors import organizations_approved
from kwamdee.rewards.choices import SponsorKind
from kwamdee.rewards.selectors import sponsors_of, sponsorships_pledged


class PledgeForm(Form):
    sponsor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Sponsor"), queryset=None, to_field_name="public_id"
    )
    deed_type: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Deed type"), queryset=None, to_field_name="code"
    )
    bonus_points = forms.IntegerField(label=_("Bonus points per verified deed"), min_value=1, max_value=1000)
    budget_points = forms.IntegerField(label=_("Budget (points)"), min_value=1, max_value=1_000_000_000)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["sponsor"].queryset = sponsors_of(person)
        fields["sponsor"].label_from_instance = lambda s: s.name
        fields["deed_type"].queryset = deed_types_national()
        fields["deed_type"].label_from_instance = lambda d: pick(d.name_th, d.name_en)


class SponsorForm(Form):
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SponsorKind.choices)
    member = forms.CharField(
        label=_("First member (phone number or e-mail)"), max_length=254,
        help_text=_("A registered person who will pledge for the sponsor."),
    )  # fmt: skip
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("The registered organization it is"), queryset=None, to_field_name="public_id",
        required=False,
        help_text=_("Its sponsorships then show as CSR on that organization's page and report."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_approved()  # type: ignore[attr-defined]


class FundingForm(Form):
    """National staff record funding a sponsor paid for a pledge."""

    sponsorship: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Pledge"), queryset=None, to_field_name="public_id"
    )
    points = forms.IntegerField(label=_("Points funded"), min_value=1, max_value=1_000_000_000)
    reference = forms.CharField(
        label=_("Payment reference"), max_length=64,
        help_text=_("The bank transfer or receipt number of the money received."),
    )  # fmt: skip
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["sponsorship"]
        field.queryset = sponsorships_pledged()
        field.label_from_instance = lambda s: (
            f"{s.sponsor.name} · {pick(s.deed_type.name_th, s.deed_type.name_en)} · {s.budget_points}"
        )
