"""Checks of an uploaded file before anything parses it: its size as sent, and its bytes sniffed
for text. Used by the attendance file (activities/attendance_file.py) and the bank statement of
loan repayments (loans/statement_import.py); each app raises its own error, with its own words."""

from typing import IO

import puremagic

# What a sniffer may say of a text file (a CSV among them); anything else it names is not text.
TEXT_TYPES = frozenset({"", "text/plain", "text/csv"})


def upload_read(file: IO[bytes], limit: int) -> bytes:
    """At most `limit` + 1 bytes of an uploaded file: enough to tell that it is too large
    (`upload_too_large`) without reading the rest of it."""
    return file.read(limit + 1)


def upload_too_large(content: bytes, limit: int) -> bool:
    return len(content) > limit


def looks_like_text(content: bytes) -> bool:
    """False for a spreadsheet, a PDF, a picture or an HTML page (whatever its name), and for
    text with NUL bytes; True for text a CSV reader may read (in any 8-bit encoding)."""
    if b"\x00" in content:
        return False
    try:
        found = str(puremagic.from_string(content, mime=True))
    except (puremagic.PureError, ValueError):
        found = ""
    return found in TEXT_TYPES
