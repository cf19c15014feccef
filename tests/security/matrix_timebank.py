"""The authorization matrix's rows for the timebank app's pages and API operations (issue 12), and the
objects they name, made on top of seed_demo's data. See test_authorization_matrix.py for what a
row says."""

from tests.security.matrix_rows import SIGNED_IN_OK, Row

WEB: list[Row] = [
    Row("GET", "/timebank/", SIGNED_IN_OK),
]
API: list[Row] = []


def objects() -> dict[str, str]:
    """The {placeholders} of the rows above."""
    return {}
