"""The people app's forms: sign-up, profile, password change and reset. Province → district →
subdistrict selects, filled by htmx from geothai, on sign-up and profile alike."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import district_options, province_options, subdistrict_options
from kwamdee.common.forms import Form
from kwamdee.common.text_validation import validate_multiline_text
from kwamdee.people.errors import ConsentRequired
from kwamdee.people.password_reset import reset_login_problems, reset_new_password_problems
from kwamdee.people.services import password_change_problems, profile_problems, signup_problems


def _choices(options, empty) -> list[tuple[str, str]]:
    return [("", empty)] + [(o.code, o.name) for o in options]


def area_fields_setup(form: forms.Form) -> None:
    """Fills the province, district and subdistrict choices from what was sent (or, on a first
    showing, from `initial`), and wires the htmx updates between them."""
    values = form.data if form.is_bound else form.initial
    fields: dict[str, Any] = form.fields
    fields["province"].choices = _choices(province_options(), _("Choose a province"))
    province = values.get("province", "")
    district = values.get("district", "")
    fields["district"].choices = _choices(
        district_options(province) if province else [], _("Choose a district")
    )
    fields["subdistrict_code"].choices = _choices(
        subdistrict_options(district) if district else [], _("Choose a subdistrict")
    )
    htmx = {"hx-trigger": "change", "hx-swap": "innerHTML"}
    # A new province empties the subdistrict too (static/js/kwamdee.js, data-clears): an old
    # subdistrict never stays chosen under a new province.
    fields["province"].widget.attrs.update(
        {
            **htmx,
            "hx-get": "/areas/districts/",
            "hx-target": "#id_district",
            "data-clears": "#id_subdistrict_code",
        }
    )
    fields["district"].widget.attrs.update(
        {**htmx, "hx-get": "/areas/subdistricts/", "hx-target": "#id_subdistrict_code"}
    )


def _subdistrict_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Subdistrict"),
        # Without JavaScript, a subdistrict of the previous district comes back: say so in words,
        # never with the raw area code.
        error_messages={"invalid_choice": _("Choose your subdistrict again: the list follows the district.")},
    )


def _new_password_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )  # fmt: skip


def _confirm_field() -> forms.CharField:
    return forms.CharField(
        label=_("New password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )  # fmt: skip


def _add_problems(form: forms.Form, problems: dict[str, list[Any]]) -> None:
    for name, messages in problems.items():
        if name not in form.errors:  # the field's own message already says it
            for message in messages:
                form.add_error(name if name in form.fields else None, message)


def _passwords_match(form: forms.Form, data: dict[str, Any]) -> None:
    first, second = data.get("new_password"), data.get("new_password_confirm")
    if first and second and first != second:
        form.add_error(
            "new_password_confirm", _("The two new passwords are not the same. Please type them again.")
        )


class PersonFields(Form):
    """Who a person is and where they live: the same questions on sign-up and on the profile."""

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
    province = forms.ChoiceField(label=_("Province"))
    district = forms.ChoiceField(label=_("District"))
    subdistrict_code = _subdistrict_field()


class SignupForm(PersonFields):
    field_order = ["full_name", "phone", "email", "password", "province", "district", "subdistrict_code"]
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
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
        area_fields_setup(self)

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


class ProfileForm(PersonFields):
    """A person's own name, contacts and subdistrict (people/services.py, profile_update)."""

    current_password = forms.CharField(
        label=_("Your current password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only when you change your phone number or e-mail address."),
    )  # fmt: skip

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        self.person = person
        kwargs.setdefault(
            "initial",
            {
                "full_name": person.full_name, "phone": person.phone or "", "email": person.email or "",
                "province": person.province_code, "district": person.district_code,
                "subdistrict_code": person.subdistrict_code,
            },
        )  # fmt: skip
        super().__init__(*args, **kwargs)
        area_fields_setup(self)

    def clean(self):
        data = super().clean() or {}
        problems, *_normalized = profile_problems(
            person=self.person, full_name=data.get("full_name", ""), phone=data.get("phone", ""),
            email=data.get("email", ""), subdistrict_code=data.get("subdistrict_code", ""),
            current_password=data.get("current_password", ""),
        )  # fmt: skip
        _add_problems(self, problems)
        return data


class PasswordChangeForm(Form):
    current_password = forms.CharField(
        label=_("Your current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )  # fmt: skip
    new_password = _new_password_field(_("New password"))
    new_password_confirm = _confirm_field()

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean() or {}
        if data.get("current_password") and data.get("new_password"):
            _add_problems(
                self,
                password_change_problems(
                    person=self.person,
                    current_password=data["current_password"],
                    new_password=data["new_password"],
                ),
            )
        _passwords_match(self, data)
        return data


class PasswordResetRequestForm(Form):
    login = forms.CharField(
        label=_("Phone number or e-mail"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        help_text=_("The one you joined with. We send a code of 6 digits to it."),
    )  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        if data.get("login"):
            _add_problems(self, reset_login_problems(data["login"]))
        return data


class OneTimeCodeForm(Form):
    """The code of 6 digits from a message (people/codes.py): a password reset's, a contact's."""

    code = forms.CharField(
        label=_("Code from the message"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _(
            "The 6 digits in the message we sent. The code works for %(minutes)s minutes."
        ) % {"minutes": settings.ONE_TIME_CODE_MINUTES}


class PasswordResetNewForm(Form):
    new_password = _new_password_field(_("New password"))
    new_password_confirm = _confirm_field()

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean() or {}
        if data.get("new_password"):
            _add_problems(
                self, reset_new_password_problems(person=self.person, new_password=data["new_password"])
            )
        _passwords_match(self, data)
        return data


# --- two-step sign-in (people/two_factor.py) ---------------------------------------------------


def _app_code_field(label: Any, help_text: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, max_length=20, required=required,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip


class TwoFactorSetupForm(Form):
    code = _app_code_field(
        _("Code from the app"),
        _("The 6 digits the app shows for Kwamdee. A new code comes every 30 seconds."),
    )


class TwoFactorVerifyForm(Form):
    """The app's code, or (behind "use a recovery code") one of the recovery codes."""

    code = _app_code_field(
        _("Code from the app"), _("The 6 digits the app shows for Kwamdee."), required=False
    )
    recovery_code = forms.CharField(
        label=_("Recovery code"), required=False, max_length=20,
        help_text=_("One of the codes you printed or wrote down when you turned two-step sign-in on."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        if not (data.get("code") or "").strip() and not (data.get("recovery_code") or "").strip():
            self.add_error("code", _("Fill in “%(label)s”.") % {"label": self.fields["code"].label})
        return data

    def typed(self) -> tuple[str, str]:
        """The code typed and the field it was typed in (the app's wins when both are)."""
        if (self.cleaned_data.get("code") or "").strip():
            return self.cleaned_data["code"], "code"
        return self.cleaned_data.get("recovery_code") or "", "recovery_code"


class TwoFactorDisableForm(Form):
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )  # fmt: skip


class MembershipDecisionForm(Form):
    """A committee member's note with their decision on a request to join (people/membership.py);
    the decision itself is the button pressed. One form per request on the page: the request's
    public id is the prefix, so each note field has its own id."""

    note = forms.CharField(
        label=_("Note to the person asking"), max_length=500, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person reads it with your decision. Say why when you decline."),
    )  # fmt: skip
