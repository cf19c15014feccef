"""Examples for the component gallery (/ui/, development only; docs/ui.md)."""

from datetime import date

from django import forms
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import Form


class GalleryForm(Form):
    """One field of each kind the site uses, so each state of the field component can be seen."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone number"), required=False, max_length=20,
        help_text=_("A phone number or an e-mail address is your sign-in."),
    )  # fmt: skip
    performed_on = forms.DateField(
        label=_("Date of the deed"), widget=forms.DateInput(attrs={"type": "date"}), initial=date.today
    )
    province = forms.ChoiceField(label=_("Province"), choices=[("", _("Choose one")), ("71", "กาญจนบุรี")])
    sdgs = forms.MultipleChoiceField(
        label=_("SDGs"), widget=forms.CheckboxSelectMultiple,
        choices=[("3", "3. สุขภาพและความเป็นอยู่ที่ดี"), ("4", "4. การศึกษาที่เท่าเทียม")],
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("I agree to join Kwamdee voluntarily and for my good deeds to be recorded and "
                "verified as the membership notice says. I can withdraw at any time.")
    )  # fmt: skip


def gallery_page() -> Page:
    """Page 2 of 5, to show the pagination component."""
    return Paginator(list(range(50)), 10).page(2)
