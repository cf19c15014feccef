"""The time bank's forms: an offer or request, a reply to one (an exchange proposed), a decision
on an exchange, a donation to the pool, the committee's limit and staff's category links. Time is
asked in hours and minutes (what people say), and handed to the services in minutes."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import Form
from kwamdee.timebank.choices import ListingKind
from kwamdee.timebank.selectors import categories_active
from kwamdee.timebank.services import (
    DESCRIPTION_MAX,
    LOWEST_LIMIT_MINUTES,
    MAX_EXCHANGE_MINUTES,
    NOTE_MAX,
    TITLE_MAX,
)

MINUTE_STEPS = [(0, _("0 minutes")), (15, _("15 minutes")), (30, _("30 minutes")), (45, _("45 minutes"))]
MAX_HOURS = MAX_EXCHANGE_MINUTES // 60
MAX_DONATION_HOURS = 100


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in categories_active()]


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class TimeFields(Form):
    """Hours and minutes, checked together: more than nothing, at most `most_minutes`."""

    most_minutes = MAX_EXCHANGE_MINUTES
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=MAX_HOURS, initial=1)
    minutes = forms.TypedChoiceField(label=_("Minutes"), choices=MINUTE_STEPS, coerce=int, initial=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours, minutes = data.get("hours"), data.get("minutes")
        if hours is None or minutes is None:
            return data
        total = hours * 60 + minutes
        if total <= 0:
            self.add_error("hours", _("Give the time: at least 15 minutes."))
        elif total > self.most_minutes:
            self.add_error("hours", _("At most %(n)s hours at a time.") % {"n": self.most_minutes // 60})
        data["total_minutes"] = total
        return data


class ListingForm(Form):
    kind = forms.ChoiceField(
        label=_("What do you want to post?"), choices=ListingKind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Category"), choices=())
    title = forms.CharField(
        label=_("In a few words"),
        max_length=TITLE_MAX,
        help_text=_("For example: “I can take you to the hospital in my car”."),
    )
    description = forms.CharField(
        label=_("More details"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("When you are free, where, and anything a neighbour should know."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category", [("", _("Choose one")), *category_choices()])


class ReplyForm(TimeFields):
    """A reply to a listing: how long, which day, and a word to the other side."""

    performed_on = forms.DateField(
        label=_("On which day?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Within the last 90 days."),
    )
    note = forms.CharField(label=_("A note to your neighbour"), required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["performed_on"].initial = timezone.localdate()


class ExchangeActionForm(Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("confirm", "decline", "withdraw", "pool_cover")],
        error_messages={"required": _("Choose what to do."), "invalid_choice": _("Choose what to do.")},
    )


class DonateForm(TimeFields):
    most_minutes = MAX_DONATION_HOURS * 60
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=MAX_DONATION_HOURS, initial=1)


class LimitForm(Form):
    hours = forms.IntegerField(
        label=_("How many hours may a member owe?"),
        min_value=0,
        max_value=-LOWEST_LIMIT_MINUTES // 60,
        help_text=_("0 means nobody may owe time. At most 100 hours."),
    )


class CategoryLinkForm(Form):
    category = forms.ChoiceField(label=_("Category"), choices=())
    deed_type = forms.ChoiceField(
        label=_("Counts as the deed type"),
        required=False,
        choices=(),
        help_text=_("A national deed type counted by the hour. Choose none to stop counting it."),
    )

    def __init__(self, *args: Any, deed_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category", [("", _("Choose one")), *category_choices()])
        _choices(self, "deed_type", [("", _("None")), *deed_types])


class ListingFilterForm(Form):
    """The list's filters (GET): a value it cannot use is named on its field and left out."""

    kind = forms.ChoiceField(label=_("Offers or requests"), required=False, choices=())
    category = forms.ChoiceField(label=_("Category"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [
            ("", _("Both")),
            (ListingKind.OFFER, _("Offers of help")),
            (ListingKind.REQUEST, _("Requests for help")),
        ]
        _choices(self, "kind", kinds)
        _choices(self, "category", [("", _("Every category")), *category_choices()])
