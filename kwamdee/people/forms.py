"""Sign-up form. Province → district → subdistrict selects, filled by htmx from geothai."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import district_options, province_options, subdistrict_options
from kwamdee.common.forms import Form
from kwamdee.people.errors import ConsentRequired
from kwamdee.people.services import signup_problems


def _choices(options, empty) -> list[tuple[str, str]]:
    return [("", empty)] + [(o.code, o.name) for o in options]


class SignupForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone number"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("A phone number or an e-mail address is your sign-in."),
    )  # fmt: skip
    email = forms.CharField(
        label=_("E-mail"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )  # fmt: skip
    province = forms.ChoiceField(label=_("Province"))
    district = forms.ChoiceField(label=_("District"))
    subdistrict_code = forms.ChoiceField(
        label=_("Subdistrict"),
        # Without JavaScript, a subdistrict of the previous district comes back: say so in words,
        # never with the raw area code.
        error_messages={"invalid_choice": _("Choose your subdistrict again: the list follows the district.")},
    )  # fmt: skip
    national_id = forms.CharField(
        label=_("National ID number"), required=False, max_length=17,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Optional. Only a keyed fingerprint is kept, to stop double registration; "
                    "the number itself is never stored."),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("I agree to join Kwamdee voluntarily and for my good deeds to be recorded and "
                "verified as the membership notice says. I can withdraw at any time."),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data
        fields: dict[str, Any] = self.fields
        fields["province"].choices = _choices(province_options(), _("Choose a province"))
        province = data.get("province", "")
        district = data.get("district", "")
        fields["district"].choices = _choices(
            district_options(province) if province else [], _("Choose a district")
        )
        fields["subdistrict_code"].choices = _choices(
            subdistrict_options(district) if district else [], _("Choose a subdistrict")
        )
        htmx = {"hx-trigger": "change", "hx-swap": "innerHTML"}
        # A new province empties the subdistrict too (static/js/kwamdee.js, data-clears): an old
        # subdistrict never stays chosen under a new province.
        self.fields["province"].widget.attrs.update(
            {
                **htmx,
                "hx-get": "/areas/districts/",
                "hx-target": "#id_district",
                "data-clears": "#id_subdistrict_code",
            }
        )
        self.fields["district"].widget.attrs.update(
            {**htmx, "hx-get": "/areas/subdistricts/", "hx-target": "#id_subdistrict_code"}
        )

    def clean(self):
        """Every problem in one round: the fields' own, the sign-up's rules and the consent."""
        data = super().clean() or {}
        problems, *_normalized = signup_problems(
            full_name=data.get("full_name", ""), phone=data.get("phone", ""), email=data.get("email", ""),
            password=data.get("password", ""), subdistrict_code=data.get("subdistrict_code", ""),
            national_id=data.get("national_id", ""),
        )  # fmt: skip
        for name, messages in problems.items():
            if name not in self.errors:  # the field's own message already says it
                for message in messages:
                    self.add_error(name, message)
        if not data.get("consent") and "consent" not in self.errors:
            self.add_error("consent", ConsentRequired.message)
        return data
