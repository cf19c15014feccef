"""Forms to record a deed and to reject one."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.selectors import deed_types_for_person
from kwamdee.common.forms import Form
from kwamdee.common.text_validation import validate_multiline_text


class DeedTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DeedForm(Form):
    deed_type = DeedTypeChoiceField(
        label=_("Deed type"), queryset=None, to_field_name="public_id",
        empty_label=_("Choose from the catalog"),
    )  # fmt: skip
    performed_on = forms.DateField(
        label=_("Date of the deed"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    quantity = forms.DecimalField(
        label=_("Hours or quantity"), required=False, max_digits=8,
        decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text=_("For deeds counted by the hour or by the unit."),
    )  # fmt: skip
    description = forms.CharField(
        label=_("What did you do?"),
        max_length=2000, validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us in a few words what you did.")},
        help_text=_("What you did, in a few words. Please do not write about other people's health "
                    "or other private matters."),
    )  # fmt: skip
    sensitive_consent = forms.BooleanField(
        label=_("I agree that this deed is recorded although it says something about my health or "
                "belief. Only I and my verifier will see it."),
        required=False,
    )  # fmt: skip
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    @property
    def asks_sensitive_consent(self) -> bool:
        """The tick box shows for a deed type marked sensitive (chosen already, or sent)."""
        if self["sensitive_consent"].errors:
            return True
        chosen = self.data.get("deed_type") or self.initial.get("deed_type")
        if not chosen:
            return False
        queryset = self.fields["deed_type"].queryset  # type: ignore[attr-defined]
        try:
            return queryset.filter(public_id=chosen).exclude(sensitive="").exists()
        except (ValueError, ValidationError):
            return False

    def clean_quantity(self):
        # One rule with one message: 0 is refused as well as -1 ("must be ≥ 0" said otherwise).
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise forms.ValidationError(_("Enter a number more than 0, such as 1 or 2.5."))
        return quantity

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deed_type"].queryset = deed_types_for_person(person)  # type: ignore[attr-defined]
        self.fields["performed_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class RejectForm(Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=1000, validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person will read it: say kindly what was missing and what to do."),
        error_messages={"required": _("Write the reason for the rejection; the person will read it.")},
    )  # fmt: skip


class DeedIdsField(forms.Field):
    """The deeds ticked on the queue, as they came: the service checks the ids and the count."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": _("Tick at least one deed first, then press the button.")}

    def to_python(self, value):
        return [str(v) for v in value or [] if str(v).strip()]


class BulkVerifyForm(Form):
    deeds = DeedIdsField()
    # Made when the queue is shown: a double click or a browser's re-post takes effect once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    page = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
