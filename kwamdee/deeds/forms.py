"""Forms to record a deed, to reject one, to ask about one and to answer."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.choices import Evidence
from kwamdee.catalog.selectors import deed_types_for_person
from kwamdee.common.forms import Form
from kwamdee.common.text_validation import validate_multiline_text
from kwamdee.deeds.choices import RejectionReason
from kwamdee.deeds.errors import NoAssistConsent
from kwamdee.deeds.witnessing import MAX_WITNESSES


class DeedTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Photos or PDFs, several at once. The form only collects them: the evidence service checks
    each file by its bytes (evidence/services.py)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        self.validate(files)
        return files


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
    # Shown for a deed type that asks for a photo or a document (asks_evidence). No `capture`: it
    # would open the camera only, hiding the phone's gallery and its PDFs; without it the phone
    # offers the camera, the gallery and files.
    evidence_files = EvidenceFilesField(
        label=_("Photos or a document"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        help_text=_("A photo of what you did, or a PDF. Up to 4 files, 8 MB each. Photos are sent "
                    "without their location."),
        error_messages={"required": _("Please choose a photo or a document of what you did.")},
    )  # fmt: skip
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def _chosen_type(self):
        chosen = self.data.get("deed_type") or self.initial.get("deed_type")
        if not chosen:
            return None
        queryset = self.fields["deed_type"].queryset  # type: ignore[attr-defined]
        try:
            return queryset.filter(public_id=chosen).first()
        except (ValueError, ValidationError):
            return None

    @property
    def witness_fields(self) -> list:
        """The witness inputs, for a deed type that asks for witnesses (chosen, or sent)."""
        return [self[name] for name in self.fields if name.startswith("witness_")]

    @property
    def asks_evidence(self) -> str:
        """ "photo" or "document" when the chosen deed type asks for files (chosen, or sent)."""
        chosen = self.data.get("deed_type") or self.initial.get("deed_type")
        if not chosen:
            return "photo" if self["evidence_files"].errors else ""
        queryset = self.fields["deed_type"].queryset  # type: ignore[attr-defined]
        try:
            found = queryset.filter(public_id=chosen, evidence__in=["photo", "document"]).first()
        except (ValueError, ValidationError):
            return ""
        return found.evidence if found else ""

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

    def __init__(self, *args, person, assisted_people=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Whose deed it is: a helper recording for someone chooses from that person's catalog
        # (their community's), as deed_record checks it.
        sent_for = str(self.data.get("on_behalf_of") or self.initial.get("on_behalf_of") or "")
        whose = next((p for p in assisted_people if str(p.public_id) == sent_for), None)
        self.fields["deed_type"].queryset = deed_types_for_person(whose or person)  # type: ignore[attr-defined]
        if assisted_people or self.data.get("on_behalf_of"):
            # A helper with standing consents chooses whose deed it is; the person comes first.
            # Also when the consent ended since the page was shown: the choice sent is then
            # refused on the field, never recorded as the helper's own deed.
            self.fields["on_behalf_of"] = forms.ChoiceField(
                label=_("Whose good deed is it?"), required=False,
                choices=[("", _("My own"))] + [(str(p.public_id), p.full_name) for p in assisted_people],
                help_text=_("You may record for the people who gave you their consent."),
                error_messages={"invalid_choice": NoAssistConsent.message},
            )  # fmt: skip
            self.order_fields(["on_behalf_of"])
        chosen = self._chosen_type()
        if chosen is not None and chosen.evidence == Evidence.WITNESSES:
            # The number asked and one spare, so that a witness who cannot answer is no dead end.
            for i in range(1, min(chosen.witnesses_required + 1, MAX_WITNESSES) + 1):
                self.fields[f"witness_{i}"] = forms.CharField(
                    label=_("Witness %(n)s: phone number or e-mail") % {"n": i},
                    required=False, max_length=254,
                    widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
                    help_text=(
                        _("Members who saw your deed. This deed type needs %(n)s of them to confirm it.")
                        % {"n": chosen.witnesses_required}
                        if i == 1 else ""
                    ),
                )  # fmt: skip
        self.fields["performed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if kind := self.asks_evidence:
            field = self.fields["evidence_files"]
            field.required = True
            if kind == "photo":
                field.label = _("Photos of what you did")
                field.help_text = _("At least one photo. Up to 4 photos, 8 MB each. Photos are sent "
                                    "without their location.")  # fmt: skip
                field.error_messages["required"] = _("Please choose at least one photo of what you did.")

    def witnesses(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in self.fields if name.startswith("witness_")]


class RejectForm(Form):
    reason_code = forms.ChoiceField(
        label=_("Why is it rejected?"), choices=RejectionReason.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason from the list.")},
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Say more to the person"), max_length=1000, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person will read it: say kindly what was missing and what to do. "
                    "Needed when you choose “Other reason”."),
    )  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        if data.get("reason_code") == RejectionReason.OTHER and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please write the reason in a few words."))
        return data


class AskForm(Form):
    question = forms.CharField(
        label=_("Your question to the person"), max_length=1000, validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ask in plain words what you need, such as a photo or the name of a witness. "
                    "The deed waits until the person answers."),
        error_messages={"required": _("Please write your question.")},
    )  # fmt: skip


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=2000, validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("After you send it, your deed goes back to the verifiers."),
        error_messages={"required": _("Please write your answer.")},
    )  # fmt: skip
    # A photo or a document the verifier asked for may come with the answer.
    evidence_files = EvidenceFilesField(
        label=_("Photos or a document"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        help_text=_("If the verifier asked for a photo or a document, add it here. "
                    "Up to 4 files, 8 MB each."),
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


class WitnessAddForm(Form):
    """One more witness of a deed still waiting for witnesses (the deed's page)."""

    login = forms.CharField(
        label=_("Ask one more witness: phone number or e-mail"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )  # fmt: skip


class HelperForm(Form):
    helper = forms.CharField(
        label=_("Your helper's phone number or e-mail"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        help_text=_("A village health volunteer (อสม.) or someone you trust, who is a member. "
                    "They can record good deeds for you; they can never verify them."),
        error_messages={"required": _("Please write your helper's phone number or e-mail.")},
    )  # fmt: skip
