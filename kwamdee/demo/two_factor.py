"""Two-step sign-in in the demo (`make run` has TWO_FACTOR_REQUIRED on): `seed_demo` gives each
demo account whose role needs it an authenticator app with a key made from its sign-in, printed
with the sign-ins and listed in the README, and `manage.py demo_code <sign-in>` prints the code
it shows now. The keys are public, like the demo's passwords; `demo_code` answers only for an
account whose key is one of them, so it can never tell the code of a real account."""

import hashlib
from base64 import b32encode

# The demo accounts whose role needs two-step sign-in: verifier, staff, community admin,
# organization admin, auditor, assessor of moral organizations, admin.
DEMO_TWO_FACTOR_LOGINS = (
    "0810000001",
    "0810000005",
    "0810000006",
    "0810000008",
    "0810000009",
    "0810000011",
    "0810000017",
    "0810000018",
    "admin",
)


def demo_totp_key(login: str) -> str:
    """The demo account's key, base32 (as an authenticator app takes it typed in): 160 bits of a
    hash of its sign-in, the same on every machine and at every run of seed_demo."""
    digest = hashlib.sha256(f"kwamdee-demo-two-step-sign-in:{login}".encode()).digest()
    return b32encode(digest[:20]).decode()


def demo_totp_keys() -> set[str]:
    return {demo_totp_key(login) for login in DEMO_TWO_FACTOR_LOGINS}


def key_for_typing(base32_key: str) -> str:
    return " ".join(base32_key[i : i + 4] for i in range(0, len(base32_key), 4))
