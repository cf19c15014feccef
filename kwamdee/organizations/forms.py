from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import province_options
from kwamdee.common.forms import Form
from kwamdee.common.text_validation import validate_multiline_text
from kwamdee.organizations.choices import LinkRelation
from kwamdee.people.forms import area_fields_setup


class NationalIdConfirmForm(Form):
    login = forms.CharField(
        label=_("The person's phone number or e-mail"),
        max_length=254,
        help_text=_("The one they sign in with."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    national_id = forms.CharField(
        label=_("National ID number on the card"),
        max_length=20,
        help_text=_("13 digits, as printed on the card."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    card_seen = forms.BooleanField(label=_("I have seen the card, and the photo on it is this person."))


# --- the registry (views_registry.py): each form only parses; the rules are services.py's ---


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files from one input (Django's documented way)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d] or single(None, initial)
        return [single(data, initial)] if data or self.required else []


DOCUMENT_ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"
DOCUMENT_HELP = _("A PDF document or a photo (JPEG, PNG, WebP). Hidden details of photos are removed.")


class OrganizationRegisterForm(Form):
    """An organization's registration (services.organization_register) and its first documents."""

    type = forms.ChoiceField(label=_("What kind of organization is it?"))
    name_th = forms.CharField(
        label=_("Name of the organization (Thai)"), max_length=200,
        help_text=_("The full name, as on its papers, for example “โรงเรียนบ้านหนองสาหร่าย”."),
    )  # fmt: skip
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    province = forms.ChoiceField(label=_("Province"))
    district = forms.ChoiceField(label=_("District"), required=False)
    subdistrict_code = forms.ChoiceField(
        label=_("Subdistrict"), required=False,
        error_messages={"invalid_choice": _("Choose the subdistrict again: the list follows the district.")},
    )  # fmt: skip
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=40, required=False,
        help_text=_("The number on its registration certificate, if it has one."),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("Phone number of the organization"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Give a phone number, an e-mail, or both: staff may call to check."),
    )  # fmt: skip
    email = forms.CharField(
        label=_("E-mail of the organization"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    listed = forms.BooleanField(
        label=_("List us in the public directory"), required=False,
        help_text=_("Anyone can then find its name, type and area. Its people are never listed."),
    )  # fmt: skip
    documents = MultipleFileField(
        label=_("Documents of the organization"),
        help_text=_(
            "For example its registration certificate or a letter from its head. You can choose "
            "several files. A PDF document or a photo (JPEG, PNG, WebP)."
        ),
    )
    documents_title = forms.CharField(
        label=_("What are these documents?"), max_length=120,
        initial=_("Registration documents"),
    )  # fmt: skip

    def __init__(self, *args: Any, types: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["type"].choices = [("", _("Choose one")), *((t.code, t.name) for t in types)]
        area_fields_setup(self)

    def area_code(self) -> str:
        """The smallest area chosen: a subdistrict, else a district, else a province."""
        data = self.cleaned_data
        return data.get("subdistrict_code") or data.get("district") or data.get("province") or ""


class DecisionForm(Form):
    """Staff's note with a decision on a registration; the decision is the button pressed. One
    form per organization on the page, its public id the prefix."""

    note = forms.CharField(
        label=_("Note to the organization"), max_length=1000, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you decline or ask for more: the organization reads it and can fix it."),
    )  # fmt: skip


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Your answer to staff"), max_length=2000,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("You can also add documents below before you send it."),
    )  # fmt: skip


class DocumentForm(Form):
    title = forms.CharField(
        label=_("What is the document?"), max_length=120,
        help_text=_("For example “registration certificate” or “letter from the head”."),
    )  # fmt: skip
    document = forms.FileField(
        label=_("File"), help_text=DOCUMENT_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )  # fmt: skip


class InvitationForm(Form):
    login = forms.CharField(
        label=_("Their phone number or e-mail"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The one they sign in to Kwamdee with, or will sign up with."),
    )  # fmt: skip
    role = forms.ChoiceField(
        label=_("What will they do for the organization?"), widget=forms.RadioSelect,
        choices=[
            ("verifier", _("Verifier: checks people's good deeds in the organization's area")),
            ("activity_organizer", _("Activity organizer: runs good activities for the organization")),
            ("assessor", _("Assessor: helps with the organization's own self-assessment")),
        ],
    )  # fmt: skip


class LinkForm(Form):
    relation = forms.ChoiceField(
        label=_("How do you belong to the organization?"), widget=forms.RadioSelect,
        choices=[
            (LinkRelation.MEMBER, _("I am a member of it")),
            (LinkRelation.EMPLOYEE, _("I work for it (staff or employee)")),
        ],
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("I agree that my good deeds count in this organization's totals"), required=False,
    )  # fmt: skip


class OrganizationSearchForm(Form):
    q = forms.CharField(label=_("Name of the organization"), max_length=100, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province: Any = self.fields["province"]
        province.choices = [("", _("Every province")), *((o.code, o.name) for o in province_options())]
