"""The verifier's desk: the form that narrows the queue (GET parameters, kept across pages and
after a bulk verification). Beside forms.py, which others edit, to keep the desk in one place."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import area_label, subdistrict_exists
from kwamdee.catalog.selectors import deed_type_by_code
from kwamdee.common.forms import Form
from kwamdee.deeds.desk import DeskFilters, Option

# The GET parameters of the desk's filters, in the order they are written back into a URL.
FILTER_PARAMS = ("deed_type", "area", "done_from", "done_to", "flagged")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


NOT_A_DATE = _("This is not a date, so the queue is not limited by it. Choose a day on the calendar.")
NO_SUCH_TYPE = _("There is no such deed type, so the queue shows every type.")
NO_SUCH_AREA = _("There is no such subdistrict, so the queue shows every area.")


class QueueFilterForm(Form):
    """Deed type and area (those with deeds waiting for the verifier), the dates between
    which the deeds were done, and "flagged only" (deeds with an open flag, deeds/flags.py). A
    value that is not valid is named on its field and left out of the filter; the others apply."""

    deed_type = forms.ChoiceField(
        label=_("Deed type"), required=False,
        error_messages={"invalid_choice": NO_SUCH_TYPE},
    )  # fmt: skip
    area = forms.ChoiceField(
        label=_("Area (subdistrict)"), required=False,
        error_messages={"invalid_choice": NO_SUCH_AREA},
    )  # fmt: skip
    done_from = forms.DateField(
        label=_("Done on or after"), required=False, widget=DateInput(),
        error_messages={"invalid": NOT_A_DATE},
    )  # fmt: skip
    done_to = forms.DateField(
        label=_("Done on or before"), required=False, widget=DateInput(),
        error_messages={"invalid": NOT_A_DATE},
    )  # fmt: skip
    flagged = forms.BooleanField(label=_("Only deeds with an open flag"), required=False)

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        deed_types: list[Option],
        areas: list[Option],
    ) -> None:
        super().__init__(data)
        deed_types, areas = list(deed_types), list(areas)
        # A real deed type or subdistrict with nothing waiting (the last one was just verified)
        # still filters, to an empty queue that says so; only a value that names nothing is refused.
        sent: QueryDict = data if data is not None else QueryDict()
        chosen_type = sent.get("deed_type") or ""
        if chosen_type and chosen_type not in {o.value for o in deed_types}:
            deed_type = deed_type_by_code(chosen_type[:80])
            if deed_type is not None:
                deed_types.append(Option(deed_type.code, deed_type.name))
        chosen_area = sent.get("area") or ""
        if chosen_area and chosen_area not in {o.value for o in areas} and subdistrict_exists(chosen_area):
            areas.append(Option(chosen_area, area_label(chosen_area)))
        fields: dict[str, Any] = self.fields
        fields["deed_type"].choices = [("", _("Every deed type")), *((o.value, o.label) for o in deed_types)]
        fields["area"].choices = [("", _("Every area")), *((o.value, o.label) for o in areas)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("done_from"), data.get("done_to")
        if start and end and start > end:
            self.add_error("done_to", _("This day is before the first day, so the dates are not used."))
            data.pop("done_from", None)
        return data

    def filters(self) -> DeskFilters:
        """The filters to apply: the valid values only (all of them when nothing was sent)."""
        if not self.is_bound:
            return DeskFilters()
        self.is_valid()
        data = self.cleaned_data
        return DeskFilters(
            deed_type=data.get("deed_type") or "",
            area=data.get("area") or "",
            performed_from=data.get("done_from"),
            performed_to=data.get("done_to"),
            flagged=bool(data.get("flagged")),
        )

    def query(self) -> str:
        """The valid filters as URL parameters ("deed_type=tree-planting&area=710911"), for the
        bulk verification to come back to the same queue."""
        filters = self.filters()
        values = {
            "deed_type": filters.deed_type,
            "area": filters.area,
            "done_from": filters.performed_from.isoformat() if filters.performed_from else "",
            "done_to": filters.performed_to.isoformat() if filters.performed_to else "",
            "flagged": "on" if filters.flagged else "",
        }
        return urlencode([(k, v) for k, v in values.items() if v])


def filter_query_clean(raw: str) -> list[tuple[str, str]]:
    """Only the desk's own parameters out of what the queue's form sent back (the redirect after a
    bulk verification is built from these, on the queue's own path)."""
    sent = QueryDict(raw or "")
    return [(name, sent[name][:100]) for name in FILTER_PARAMS if sent.get(name)]
