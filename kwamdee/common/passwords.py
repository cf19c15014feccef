"""A password validator of the site's own: the site's name with a few digits or marks around it is
the first thing a stranger tries ("kwamdee1", "ความดี2569"), so it is refused like a common password.
The name inside a longer password of the person's own words is allowed."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SITE_WORDS = ("kwamdee", "ความดี", "khwamdee", "kwamdii")
OWN_LETTERS_NEEDED = 4


class SiteWordsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        rest = password.casefold()
        if not any(word in rest for word in SITE_WORDS):
            return
        for word in SITE_WORDS:
            rest = rest.replace(word, "")
        if sum(1 for c in rest if c.isalpha()) < OWN_LETTERS_NEEDED:
            raise ValidationError(
                _("Do not build the password on the site's name; choose words of your own."),
                code="password_site_words",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot contain the site's name.")
