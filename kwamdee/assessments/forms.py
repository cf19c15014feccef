"""The assessment's forms: an item's answer (with its evidence: a file or an address), the
assessor's scores, and staff's template upload. The checks of the services stay where they are;
these only read what a person typed and say plainly what is missing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.assessments.choices import ScoringRule
from kwamdee.common.forms import Form

NOTE_MAX = 4000
TITLE_MAX = 120  # an organization document's title (organizations.services.TITLE_MAX)
URL_MAX = 500
TEMPLATE_MAX_BYTES = 1024 * 1024  # a template of 200 items is about 100 KB of JSON

SCORE_MEANINGS = {
    2: _("2 – done fully, with clear evidence"),
    1: _("1 – done in part, or the evidence is not complete"),
    0: _("0 – not done yet, or no evidence"),
}


def score_choices() -> list[tuple[str, Any]]:
    return [(str(score), meaning) for score, meaning in SCORE_MEANINGS.items()]


class AnswerForm(Form):
    """One item's answer. Which fields it has follows the item's rule: a count (how many out of
    how many) for a measured share, the organization's own 2/1/0 for a judgement, none for a
    computed figure (read only). A note and the evidence for every item; the file field only for
    those who may add the organization's documents."""

    numerator = forms.IntegerField(label=_("How many"), min_value=0, max_value=10**9)
    denominator = forms.IntegerField(label=_("Out of how many"), min_value=1, max_value=10**9)
    self_score = forms.ChoiceField(
        label=_("Your own score for this item"), choices=score_choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the assessor"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    keep = forms.MultipleChoiceField(
        label=_("Evidence already given (untick to remove)"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    evidence_title = forms.CharField(
        label=_("What the new evidence is"), required=False, max_length=TITLE_MAX,
        help_text=_("For example: the signed declaration of intent"),
    )  # fmt: skip
    evidence_file = forms.FileField(
        label=_("Upload a file (PDF or photo)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    evidence_url = forms.URLField(
        label=_("Or give a link to it"), required=False, max_length=URL_MAX, assume_scheme="https",
        help_text=_("An address that starts with https://"),
    )  # fmt: skip

    def __init__(
        self, *args: Any, item: Any, evidence: list[dict[str, str]], can_upload: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        if item.rule != ScoringRule.THRESHOLD:
            del self.fields["numerator"], self.fields["denominator"]
        if item.rule != ScoringRule.JUDGEMENT:
            del self.fields["self_score"]
        if not can_upload:
            del self.fields["evidence_file"]
        self.evidence = evidence
        if evidence:
            keep = self.fields["keep"]
            assert isinstance(keep, forms.MultipleChoiceField)
            keep.choices = [(str(n), e.get("title", "")) for n, e in enumerate(evidence)]
            if not self.is_bound:
                self.initial["keep"] = [str(n) for n in range(len(evidence))]
        else:
            del self.fields["keep"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if numerator is not None and denominator is not None and numerator > denominator:
            self.add_error("numerator", _("“How many” cannot be more than “out of how many”."))
        upload, url = data.get("evidence_file"), data.get("evidence_url")
        if upload and url:
            self.add_error("evidence_url", _("Upload a file or give a link, not both."))
        if (upload or url) and not (data.get("evidence_title") or "").strip():
            self.add_error("evidence_title", _("Say what the new evidence is."))
        if (data.get("evidence_title") or "").strip() and not (upload or url):
            message = _("Upload a file or give a link for the new evidence.")
            self.add_error("evidence_file" if "evidence_file" in self.fields else "evidence_url", message)
        return data

    def kept_evidence(self) -> list[dict[str, str]]:
        kept = {int(n) for n in self.cleaned_data.get("keep", [])} if "keep" in self.fields else set()
        return [entry for n, entry in enumerate(self.evidence) if n in kept]


class ScoreForm(Form):
    """The assessor's 2/1/0 and a comment for every item (fields by the item's place in the
    list: item codes hold dots), and a conclusion."""

    comment = forms.CharField(
        label=_("Your conclusion for the organization"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = codes
        for n, code in enumerate(codes):
            self.fields[f"score_{n}"] = forms.ChoiceField(
                label=_("Score for item %(code)s") % {"code": code}, choices=score_choices,
                widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"comment_{n}"] = forms.CharField(
                label=_("Comment on item %(code)s") % {"code": code}, required=False, max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def scores(self) -> dict[str, int]:
        return {code: int(self.cleaned_data[f"score_{n}"]) for n, code in enumerate(self.codes)}

    def comments(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"comment_{n}", "") for n, code in enumerate(self.codes)}

    def fields_of(self, code: str) -> tuple[Any, Any]:
        n = self.codes.index(code)
        return self[f"score_{n}"], self[f"comment_{n}"]


class TemplateUploadForm(Form):
    """A new version of a template, as the JSON document a download gives."""

    file = forms.FileField(
        label=_("Template file (JSON)"),
        help_text=_("A file downloaded from this page, changed and saved again as JSON."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > TEMPLATE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return bytes(upload.read(TEMPLATE_MAX_BYTES + 1))
