from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.activities.selectors import organizer_options
from kwamdee.activities.services import activity_deed_types
from kwamdee.areas.selectors import area_label
from kwamdee.common.forms import EMPTY_CHOICE_LABEL, Form
from kwamdee.common.text_validation import validate_plain_text


class ActivityForm(Form):
    organizer = forms.ChoiceField(label=_("Who runs it"))
    title = forms.CharField(
        label=_("Name of the activity"), max_length=200, validators=[validate_plain_text],
        help_text=_("For example: ปลูกป่าชายคลอง, เก็บขยะริมถนน"),
    )  # fmt: skip
    deed_type = forms.ChoiceField(label=_("Deed type"), help_text=_("What the participants' deeds count as."))
    subdistrict_code = forms.ChoiceField(label=_("Place (subdistrict)"))
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    capacity = forms.IntegerField(
        label=_("Number of places"), required=False, min_value=1, max_value=5000,
        help_text=_("Leave empty for no limit."),
    )  # fmt: skip

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = organizer_options(actor)
        self._choices("organizer", [("", EMPTY_CHOICE_LABEL)] + [(o.value, o.label) for o in options])
        community_ids = [o.community.pk for o in options if o.community] or [None]
        types: dict[str, str] = {}
        for community_id in community_ids:
            for deed_type in activity_deed_types(community_id).order_by("name_th"):
                types[str(deed_type.public_id)] = deed_type.name
        self._choices("deed_type", [("", EMPTY_CHOICE_LABEL), *types.items()])
        places = dict.fromkeys(code for o in options for code in o.subdistricts())
        self._choices("subdistrict_code", [("", EMPTY_CHOICE_LABEL)] + [(c, area_label(c)) for c in places])
        if len(options) == 1:
            self.fields["organizer"].initial = options[0].value
        if len(places) == 1:
            self.fields["subdistrict_code"].initial = next(iter(places))

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        starts = timezone.make_aware(datetime.combine(data["day"], data["start_time"]))
        ends = timezone.make_aware(datetime.combine(data["day"], data["end_time"]))
        if ends <= starts:  # ends after midnight
            ends += timedelta(days=1)
        return starts, ends


class CheckPersonForm(Form):
    """The organizer's check-in of a person: a QR scanner app pastes the person's code here (or
    the organizer types their phone number or e-mail)."""

    person = forms.CharField(
        label=_("The person's code, phone number or e-mail"), max_length=400,
        help_text=_("Scan the code on the person's phone or card into this box, or type their phone number."),
        error_messages={"required": _("Scan the person's code or type their phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false",
                                      "autofocus": True}),
    )  # fmt: skip
    # Sent by the button pressed (not shown as a field of its own).
    action = forms.ChoiceField(
        choices=[("check_in", _("Check in")), ("check_out", _("Check out"))], required=False
    )


class AttendanceFileForm(Form):
    file = forms.FileField(
        label=_("Attendance file (CSV)"),
        help_text=_("One row for each person: phone_or_email, hours (optional), note (optional)."),
        error_messages={"required": _("Choose the CSV file to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
