"""One check for the text people write, wherever it is stored: a deed's description, a verifier's
reason, a person's name, a correction request, a catalog or community name.

Text is refused, never changed: what passes is kept exactly as it was typed (Thai with its vowel
and tone marks, zero-width spaces between Thai words, emoji sequences joined by ZWJ, right-to-left
marks). It is refused when it holds

- a control character (C0, DEL, C1; tab and newline only where the text may hold several lines,
  a Windows line end counting as one), or a line or paragraph separator (U+2028, U+2029) in
  one-line text;
- a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), which makes
  text read differently from what is stored ("Trojan Source");
- nothing that can be seen: only spaces, zero-width and other invisible characters, or marks
  with no letter under them;
- more than MAX_MARKS_IN_A_ROW combining marks stacked on one letter ("Zalgo" text, which draws
  over the lines above and below). Thai needs at most two (a vowel above or below the letter and
  a tone mark, as in กี้ or ปู่); the third leaves room for a slip of the finger (a tone typed
  twice), Vietnamese typed as separate marks and keycap emoji (1️⃣).
- more than `max_chars` characters.

Each problem is a translated sentence; `text_fields_problems` gives them by field, as the services'
`ValidationFailed(fields=…)` takes them, so that a web form shows them on the field and the API
answers 400 with the field's name."""

import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A long description is a few hundred characters; this leaves room and keeps an error page small.
MAX_TEXT_CHARS = 10_000
MAX_MARKS_IN_A_ROW = 3
# C0 controls, DEL and C1 controls; the bidirectional embeddings, overrides and isolates; and in
# one-line text the line and paragraph separators.
_REFUSED_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_REFUSED_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Not seen on their own: spaces, format characters (zero-width space and joiners, word joiner,
# byte-order mark, soft hyphen, direction marks), controls, and marks without a letter.
_UNSEEN_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"}
# Letters and symbols that are drawn as nothing: the Hangul fillers and the blank Braille cell.
_BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
_MARK_CATEGORIES = {"Mn", "Me"}


def _has_something_to_see(value: str) -> bool:
    return any(
        not ch.isspace() and unicodedata.category(ch) not in _UNSEEN_CATEGORIES and ch not in _BLANK_LOOKING
        for ch in value
    )


def _overstacked_at(value: str) -> int | None:
    """Where (1-based) the first letter with too many marks stacked on it has its extra mark.
    Format characters between marks (a zero-width joiner) do not start a new letter."""
    marks = 0
    for index, ch in enumerate(value):
        category = unicodedata.category(ch)
        if category in _MARK_CATEGORIES:
            marks += 1
            if marks > MAX_MARKS_IN_A_ROW:
                return index + 1
        elif category != "Cf":
            marks = 0
    return None


def text_problems(value: str, *, multiline: bool = False, max_chars: int = MAX_TEXT_CHARS) -> list[Any]:
    """What is wrong with `value` (empty when nothing). An empty text has no problem here: whether
    an answer is required is the caller's rule."""
    problems: list[Any] = []
    if len(value) > max_chars:
        problems.append(_("At most %(n)s characters.") % {"n": f"{max_chars:,}"})
    if multiline:
        value = value.replace("\r\n", "\n")
    found = (_REFUSED_MULTILINE if multiline else _REFUSED_ONE_LINE).search(value)
    if found:
        problems.append(
            _("Remove the invisible control character U+%(code)s (character %(at)s).")
            % {"code": f"{ord(found.group()):04X}", "at": found.start() + 1}
        )
    if value and not _has_something_to_see(value):
        problems.append(_("Write it in letters or numbers: this holds only spaces or invisible characters."))
    at = _overstacked_at(value)
    if at is not None:
        problems.append(
            _(
                "Too many marks are stacked on one letter (character %(at)s). "
                "Type each vowel and tone mark once."
            )
            % {"at": at}
        )
    return problems


def text_fields_problems(
    values: Mapping[str, str], *, multiline: Collection[str] = (), max_chars: Mapping[str, int] | None = None
) -> dict[str, list[Any]]:
    """`text_problems` of several fields at once, by field name (only the fields with problems);
    the fields named in `multiline` may hold several lines, `max_chars` gives a field its limit."""
    limits = max_chars or {}
    found: dict[str, list[Any]] = {}
    for name, value in values.items():
        problems = text_problems(
            value or "", multiline=name in multiline, max_chars=limits.get(name, MAX_TEXT_CHARS)
        )
        if problems:
            found[name] = problems
    return found


def validate_plain_text(value: Any) -> None:
    """A Django validator for one-line text fields (forms, models): see `text_problems`."""
    if isinstance(value, str) and (problems := text_problems(value)):
        raise ValidationError([ValidationError(p, code="invalid_text") for p in problems])


def validate_multiline_text(value: Any) -> None:
    """A Django validator for text that may hold several lines (descriptions, reasons)."""
    if isinstance(value, str) and (problems := text_problems(value, multiline=True)):
        raise ValidationError([ValidationError(p, code="invalid_text") for p in problems])
