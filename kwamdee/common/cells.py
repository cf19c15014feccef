"""Values written into spreadsheets (CSV, XLSX) that people open: a text that starts like a
formula (=, +, -, @, a tab or a carriage return) is made inert with a leading apostrophe, the OWASP
way, so that opening a download never runs =HYPERLINK(...) someone typed. Numbers stay numbers."""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
