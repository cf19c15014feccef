"""The authorization matrix's row and its shorthands (test_authorization_matrix.py), shared with
the rows of each app kept in their own module (matrix_loans.py, matrix_timebank.py)."""

from dataclasses import dataclass, field
from typing import Any

A = "/api/v1"
ROLES = {
    # role: (sign-in, password) from seed_demo; everyone signed in is a citizen too
    "anon": None,
    "citizen": ("0810000002", "kwamdee-demo"),
    "verifier": ("0810000001", "kwamdee-verifier"),  # of the อบต. of the demo's subdistrict
    "staff": ("0810000005", "kwamdee-staff"),
    "community_admin": ("0810000006", "kwamdee-community"),
    "sponsor": ("0810000007", "kwamdee-sponsor"),
    "organization_admin": ("0810000008", "kwamdee-organization"),  # the same อบต.'s admin
    "auditor": ("0810000009", "kwamdee-auditor"),
    "partner": ("0810000010", "kwamdee-partner"),  # no permission of its own yet
}
SIGNED_IN = [r for r in ROLES if r != "anon"]


@dataclass
class Row:
    method: str
    path: str  # with {placeholders} filled from the data fixture
    expect: dict[str, Any]  # role -> outcome; "*" for every role not named
    body: Any = None  # dict (JSON for the API, form fields for pages) or a callable(data, role)
    api_template: str = ""  # the OpenAPI path of an API row
    effect: Any = None  # callable(data) -> bool, for "done"/"refused"
    upload: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def outcome(self, role: str) -> Any:
        return self.expect.get(role, self.expect.get("*"))


def only(role_or_roles, ok: Any, *, anon: Any = "login", others: Any = 403) -> dict[str, Any]:
    allowed = [role_or_roles] if isinstance(role_or_roles, str) else list(role_or_roles)
    return {"anon": anon, "*": others, **dict.fromkeys(allowed, ok)}


EVERYONE = {"*": "ok"}
SIGNED_IN_OK = {"anon": "login", "*": "ok"}
API_SIGNED_IN = {"anon": 401, "*": 200}
