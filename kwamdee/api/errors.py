"""Our own words for the API's input checks.

Ninja validates a request's body, query, path and headers with pydantic, whose messages are
English and written for programmers ("Input should be a finite number"). Each pydantic error
`type` is mapped here, in one place, to a message of ours that says what to do, in the
request's language (kwamdee.common.middleware picks it: the language cookie, else the
`Accept-Language` header, else Thai). A type not named here gets a general message of ours,
never pydantic's English. The Thai for each message is in kwamdee/locale/th.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Context = Mapping[str, Any]


def generic_message() -> str:
    return _("This value is not valid: check it and send it again.")


def _number(ctx: Context, key: str) -> int:
    return int(ctx[key])


def _missing(ctx: Context) -> str:
    return _("This is needed: fill it in and send it again.")


def _string_too_long(ctx: Context) -> str:
    n = _number(ctx, "max_length")
    return ngettext(
        "Use at most %(max)s character: shorten it and send it again.",
        "Use at most %(max)s characters: shorten it and send it again.",
        n,
    ) % {"max": n}


def _string_too_short(ctx: Context) -> str:
    n = _number(ctx, "min_length")
    if n <= 1:
        return _("This cannot be empty: fill it in and send it again.")
    return ngettext(
        "Use at least %(min)s character: add to it and send it again.",
        "Use at least %(min)s characters: add to it and send it again.",
        n,
    ) % {"min": n}


def _too_long(ctx: Context) -> str:
    n = _number(ctx, "max_length")
    return ngettext(
        "Send at most %(max)s item: take some out and send it again.",
        "Send at most %(max)s items: take some out and send it again.",
        n,
    ) % {"max": n}


def _too_short(ctx: Context) -> str:
    n = _number(ctx, "min_length")
    return ngettext(
        "Send at least %(min)s item: add more and send it again.",
        "Send at least %(min)s items: add more and send it again.",
        n,
    ) % {"min": n}


def _whole_number(ctx: Context) -> str:
    return _("Enter a whole number.")


def _number_too_large(ctx: Context) -> str:
    return _("This number is too large: enter a smaller whole number.")


def _a_number(ctx: Context) -> str:
    return _("Enter a number, such as 2 or 1.5.")


def _finite_number(ctx: Context) -> str:
    return _("Enter an ordinary number, such as 2 or 1.5 (not NaN or infinity).")


def _decimal_max_digits(ctx: Context) -> str:
    n = _number(ctx, "max_digits")
    return ngettext(
        "Use at most %(max)s digit in all: enter a shorter number.",
        "Use at most %(max)s digits in all: enter a shorter number.",
        n,
    ) % {"max": n}


def _decimal_max_places(ctx: Context) -> str:
    n = _number(ctx, "decimal_places")
    if n <= 0:
        return _whole_number(ctx)
    return ngettext(
        "Use at most %(max)s digit after the decimal point: round the number and send it again.",
        "Use at most %(max)s digits after the decimal point: round the number and send it again.",
        n,
    ) % {"max": n}


def _decimal_whole_digits(ctx: Context) -> str:
    n = _number(ctx, "whole_digits")
    return ngettext(
        "Use at most %(max)s digit before the decimal point: enter a smaller number.",
        "Use at most %(max)s digits before the decimal point: enter a smaller number.",
        n,
    ) % {"max": n}


def _uuid(ctx: Context) -> str:
    return _(
        "This id is not valid: copy it again exactly as it was given "
        "(it looks like 123e4567-e89b-12d3-a456-426614174000)."
    )


def _date(ctx: Context) -> str:
    return _("Enter a date as YYYY-MM-DD.")


def _datetime(ctx: Context) -> str:
    return _("Enter a date and time as YYYY-MM-DDTHH:MM, such as 2025-01-31T09:30.")


def _boolean(ctx: Context) -> str:
    return _("Answer true or false.")


def _greater_than(ctx: Context) -> str:
    return _("Enter a number greater than %(limit)s.") % {"limit": ctx["gt"]}


def _greater_than_equal(ctx: Context) -> str:
    return _("Enter a number of %(limit)s or more.") % {"limit": ctx["ge"]}


def _less_than(ctx: Context) -> str:
    return _("Enter a number less than %(limit)s.") % {"limit": ctx["lt"]}


def _less_than_equal(ctx: Context) -> str:
    return _("Enter a number of %(limit)s or less.") % {"limit": ctx["le"]}


def _multiple_of(ctx: Context) -> str:
    return _("Enter a number that %(limit)s divides exactly.") % {"limit": ctx["multiple_of"]}


# pydantic writes the allowed values as "'a', 'b' or 'c'": the English "or" goes, the values stay.
_BETWEEN_QUOTED = re.compile(r"(?<=') or (?=')")


def _choice(ctx: Context) -> str:
    choices = _BETWEEN_QUOTED.sub(", ", str(ctx["expected"]))
    return _("Choose one of these: %(choices)s.") % {"choices": choices}


def _json(ctx: Context) -> str:
    return _("This is not valid JSON: check it and send it again.")


def _object(ctx: Context) -> str:
    return _("Send a JSON object, in curly brackets, here.")


def _list(ctx: Context) -> str:
    return _("Send a JSON list, in square brackets, here.")


def _text(ctx: Context) -> str:
    return _("Enter text in quotes here.")


def _extra(ctx: Context) -> str:
    return _("This is not expected here: take it out and send it again.")


def _generic(ctx: Context) -> str:
    return generic_message()


MESSAGES: dict[str, Callable[[Context], str]] = {
    "missing": _missing,
    "missing_argument": _missing,
    "missing_keyword_only_argument": _missing,
    "missing_positional_only_argument": _missing,
    "string_too_long": _string_too_long,
    "string_too_short": _string_too_short,
    "too_long": _too_long,
    "too_short": _too_short,
    "int_parsing": _whole_number,
    "int_type": _whole_number,
    "int_from_float": _whole_number,
    "int_parsing_size": _number_too_large,
    "float_parsing": _a_number,
    "float_type": _a_number,
    "decimal_parsing": _a_number,
    "decimal_type": _a_number,
    "finite_number": _finite_number,
    "decimal_max_digits": _decimal_max_digits,
    "decimal_max_places": _decimal_max_places,
    "decimal_whole_digits": _decimal_whole_digits,
    "uuid_parsing": _uuid,
    "uuid_type": _uuid,
    "uuid_version": _uuid,
    "date_parsing": _date,
    "date_type": _date,
    "date_from_datetime_parsing": _date,
    "date_from_datetime_inexact": _date,
    "datetime_parsing": _datetime,
    "datetime_type": _datetime,
    "datetime_from_date_parsing": _datetime,
    "datetime_object_invalid": _datetime,
    "bool_parsing": _boolean,
    "bool_type": _boolean,
    "greater_than": _greater_than,
    "greater_than_equal": _greater_than_equal,
    "less_than": _less_than,
    "less_than_equal": _less_than_equal,
    "multiple_of": _multiple_of,
    "literal_error": _choice,
    "enum": _choice,
    "json_invalid": _json,
    "json_type": _json,
    "model_attributes_type": _object,
    "model_type": _object,
    "dataclass_type": _object,
    "dict_type": _object,
    "mapping_type": _object,
    "list_type": _list,
    "tuple_type": _list,
    "set_type": _list,
    "frozen_set_type": _list,
    "iterable_type": _list,
    "string_type": _text,
    "string_sub_type": _text,
    "string_unicode": _text,
    "extra_forbidden": _extra,
    "unexpected_keyword_argument": _extra,
    # A validator's own refusal (ValueError, assert) carries a programmer's text: ours instead.
    "value_error": _generic,
    "assertion_error": _generic,
}


def error_message(error: Mapping[str, Any]) -> str:
    """Our message, in the active language, for one pydantic error (a dict of `.errors()`)."""
    build = MESSAGES.get(str(error.get("type", "")))
    if build is None:
        return generic_message()
    try:
        return build(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):  # a context without the number the message needs
        return generic_message()
