"""The goodness bank's forms: a person's schedule preview and application, and the committee's
deposit, product, decision, repayment and bank-statement forms. Amounts are typed in baht (at most
two decimals) and handed to the services in satang."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import EMPTY_CHOICE_LABEL, Form
from kwamdee.common.idempotency import MAX_KEY_LENGTH
from kwamdee.loans.choices import DefaultRule, DepositSource, RepaymentFrequency
from kwamdee.loans.models import LoanProduct
from kwamdee.loans.schedule import baht, to_satang

MAX_BAHT = Decimal("100000000")  # a hundred million baht: beyond any village fund's loan or deposit
MAX_REASON = 200
MAX_REFERENCE = 64


def _baht_field(label: Any, *, help_text: Any = "", required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=Decimal("0.01"),
        max_value=MAX_BAHT,
        decimal_places=2,
        max_digits=12,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class PreviewForm(Form):
    """What a person would repay: an amount and a number of instalments (GET, writes nothing)."""

    amount = _baht_field(_("How much do you want to borrow (baht)?"))
    instalments = forms.IntegerField(label=_("In how many instalments?"), min_value=1, max_value=600)

    def __init__(self, *args: Any, product: LoanProduct, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product = product
        top = max((b.up_to_satang for b in product.bands.all()), default=0)
        self.fields["amount"].validators.append(_max_validator(baht(top)))
        self.fields["amount"].help_text = _("Up to %(max)s baht") % {"max": f"{baht(top):,.2f}"}
        self.fields["instalments"].help_text = _("From %(min)s to %(max)s") % {
            "min": product.min_instalments,
            "max": product.max_instalments,
        }

    def clean_instalments(self) -> int:
        n = self.cleaned_data["instalments"]
        if not self.product.min_instalments <= n <= self.product.max_instalments:
            raise forms.ValidationError(
                _("Choose from %(min)s to %(max)s instalments.")
                % {"min": self.product.min_instalments, "max": self.product.max_instalments}
            )
        return n


def _max_validator(limit: Decimal) -> Any:
    def check(value: Decimal) -> None:
        if value > limit:
            raise forms.ValidationError(
                _("This product lends up to %(max)s baht.") % {"max": f"{limit:,.2f}"}
            )

    return check


class ApplyForm(PreviewForm):
    """Apply: the amount, the instalments, the points pledged instead of a guarantor, and the
    person's agreement to the terms shown (the default rule among them). `key` is made when the
    page is drawn, so that pressing twice applies once."""

    pledge_points = forms.IntegerField(label=_("Points to pledge"), min_value=0, max_value=10**9)
    purpose = forms.CharField(
        label=_("What is the money for?"), max_length=300, required=False,
        help_text=_("In a sentence, for the committee: for example, buying rice seed for this season."),
    )  # fmt: skip
    agree = forms.BooleanField(label=_("I have read the terms above, and what happens to my pledged points"))
    key = forms.CharField(widget=forms.HiddenInput, max_length=MAX_KEY_LENGTH, required=False)

    def __init__(self, *args: Any, product: LoanProduct, **kwargs: Any) -> None:
        super().__init__(*args, product=product, **kwargs)
        self.fields["pledge_points"].help_text = _(
            "At least %(n)s. They are set aside while the loan runs and come back when it is repaid."
        ) % {"n": product.min_pledge_points}

    def clean_pledge_points(self) -> int:
        n = self.cleaned_data["pledge_points"]
        if n < self.product.min_pledge_points:
            raise forms.ValidationError(
                _("Pledge at least %(n)s points.") % {"n": self.product.min_pledge_points}
            )
        return n


class DepositForm(Form):
    source = forms.ChoiceField(
        label=_("Where the money came from"), choices=[("", EMPTY_CHOICE_LABEL), *DepositSource.choices]
    )
    amount = _baht_field(_("Amount (baht)"))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=MAX_REFERENCE,
        help_text=_("The bank's or the welfare fund's reference, as on the slip"),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )


class ProductForm(Form):
    """A product as the committee sets it. Bands: up to two (interest-free up to an amount, and a
    yearly rate on the part above, up to the most it lends)."""

    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    band1_up_to = _baht_field(_("First band: up to (baht)"))
    band1_rate = forms.DecimalField(
        label=_("First band: yearly rate (%)"),
        min_value=0,
        max_value=Decimal("99.99"),
        decimal_places=2,
        initial=0,
    )
    band2_up_to = _baht_field(
        _("Second band: up to (baht)"),
        required=False,
        help_text=_("Leave empty for one band. The highest bound is the most the product lends."),
    )
    band2_rate = forms.DecimalField(
        label=_("Second band: yearly rate (%)"),
        min_value=0,
        max_value=Decimal("99.99"),
        decimal_places=2,
        required=False,
    )
    frequency = forms.ChoiceField(
        label=_("Repaid"), choices=[("", EMPTY_CHOICE_LABEL), *RepaymentFrequency.choices]
    )
    min_instalments = forms.IntegerField(label=_("Fewest instalments"), min_value=1, max_value=600, initial=1)
    max_instalments = forms.IntegerField(label=_("Most instalments"), min_value=1, max_value=600, initial=24)
    two_approvers_above = forms.DecimalField(
        label=_("Two committee members approve loans above (baht)"),
        min_value=0,
        max_value=MAX_BAHT,
        decimal_places=2,
        initial=0,
    )
    min_pledge_points = forms.IntegerField(label=_("Points to pledge, at least"), min_value=0, initial=0)
    default_rule = forms.ChoiceField(
        label=_("If a loan defaults"), choices=[("", EMPTY_CHOICE_LABEL), *DefaultRule.choices]
    )
    min_credit = forms.IntegerField(label=_("Lifetime credit, at least"), min_value=0, initial=0)
    min_level = forms.IntegerField(label=_("Level, at least"), min_value=0, max_value=20, initial=0)
    min_member_months = forms.IntegerField(label=_("Months of membership, at least"), min_value=0, initial=0)
    min_recent_deeds = forms.IntegerField(
        label=_("Verified deeds in the last 12 months, at least"), min_value=0, initial=0
    )
    no_arrears = forms.BooleanField(
        label=_("No loan in arrears with this bank"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        up1, up2 = data.get("band1_up_to"), data.get("band2_up_to")
        if up2 is not None and up1 is not None and up2 <= up1:
            self.add_error("band2_up_to", _("The second band must go higher than the first."))
        if up2 is not None and data.get("band2_rate") is None:
            self.add_error("band2_rate", _("Give the second band's yearly rate."))
        low, high = data.get("min_instalments"), data.get("max_instalments")
        if low is not None and high is not None and high < low:
            self.add_error("max_instalments", _("The most instalments cannot be fewer than the fewest."))
        return data

    def bands(self) -> list[tuple[int, Decimal]]:
        data = self.cleaned_data
        bands = [(to_satang(data["band1_up_to"]), data["band1_rate"] / 100)]
        if data.get("band2_up_to") is not None:
            bands.append((to_satang(data["band2_up_to"]), data["band2_rate"] / 100))
        return bands


class DecideForm(Form):
    """A committee decision on a loan; the reason only when declining."""

    action = forms.ChoiceField(
        choices=[
            ("approve", "approve"),
            ("decline", "decline"),
            ("disburse", "disburse"),
            ("close", "close"),
            ("default", "default"),
        ],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Why not (the person reads it)"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    disbursed_on = forms.DateField(
        label=_("Paid out on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RepaymentForm(Form):
    amount = _baht_field(_("Amount paid (baht)"))
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=MAX_REFERENCE,
        help_text=_("The receipt's number, or the bank transfer's reference"),
    )

    def clean_paid_on(self) -> Any:
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The day it was paid cannot be in the future."))
        return value


class StatementForm(Form):
    file = forms.FileField(
        label=_("The bank statement (CSV)"),
        help_text=_("Columns: date, amount, reference (the loan's LN- reference). At most 1 MB."),
    )
