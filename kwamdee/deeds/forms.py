"""Forms to record a deed and to reject one."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.selectors import deed_types_for_person


class DeedTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DeedForm(forms.Form):
    deed_type = DeedTypeChoiceField(
        label=_("Deed type"), queryset=None, to_field_name="public_id",
        empty_label=_("Choose from the catalog"),
    )  # fmt: skip
    performed_on = forms.DateField(
        label=_("Date of the deed"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    quantity = forms.DecimalField(
        label=_("Hours or quantity"), required=False, min_value=0, max_digits=8,
        decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text=_("For deeds counted by the hour or by the unit."),
    )  # fmt: skip
    description = forms.CharField(
        label=_("What did you do?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deed_type"].queryset = deed_types_for_person(person)  # type: ignore[attr-defined]
        self.fields["performed_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeedIdsField(forms.Field):
    """The deeds ticked on the queue, as they came: the service checks the ids and the count."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": _("Tick at least one deed first, then press the button.")}

    def to_python(self, value):
        return [str(v) for v in value or [] if str(v).strip()]


class BulkVerifyForm(forms.Form):
    deeds = DeedIdsField()
    # Made when the queue is shown: a double click or a browser's re-post takes effect once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    page = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
