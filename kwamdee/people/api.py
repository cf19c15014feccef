"""API: sign up and confirm the phone or e-mail, get a token, who am I.

Signing up is two calls, and the first answers the same whether or not the phone or e-mail has an
account (people/contact_confirmation.py):

1. `POST /auth/signup` → 202 `{"status": "confirmation_sent", "channel", "sent_to", "code_minutes"}`:
   a code went to the phone (SMS) or e-mail, or, for a phone or e-mail already registered,
   nothing was made and its owner was told. No person in the answer, no token.
2. `POST /auth/signup/confirm {"login", "code"}` → 200 `{"status": "confirmed"}`; a wrong,
   expired or never-sent code → 400 `contact_code_invalid`. Then `POST /auth/token` with the
   password, as for any sign-in. (A token can be taken before confirming, too: the person can
   read, and `GET /auth/me` says `contact_confirmed: false`; `POST /deeds` answers 403
   `contact_unconfirmed` until the code is entered.)
`POST /auth/signup/resend {"login"}` → 202, the same shape: a new code if one is due."""

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema
from pydantic import Field, StrictStr

from kwamdee.common.api_errors import errors
from kwamdee.common.client import client_address
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.codes import Destination, code_minutes
from kwamdee.people.contact_confirmation import contact_code_resend, contact_confirm, signup_submit
from kwamdee.people.selectors import consent_active, consent_history, contact_confirmed
from kwamdee.people.services import (
    api_token_issue,
    api_token_revoke,
    consent_give,
    consent_withdraw,
)

router = Router(tags=["people"])


class SignupIn(Schema):
    full_name: str
    password: str
    subdistrict_code: str
    consent: bool
    phone: str = ""
    email: str = ""
    national_id: str = ""


class PersonOut(Schema):
    public_id: UUID
    full_name: str
    phone: str | None
    email: str | None
    subdistrict_code: str
    community: str | None = None
    roles: list[str] = []
    contact_confirmed: bool = False  # the code sent at sign-up was entered: deeds can be recorded


class TokenIn(Schema):
    login: str
    password: str
    label: str = ""
    # Two-step sign-in: the 6 digits the authenticator app shows, or a recovery code.
    code: StrictStr = Field(
        "", max_length=32, description="With two-step sign-in on: the app's 6-digit code or a recovery code."
    )


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"


def person_out(person) -> PersonOut:
    return PersonOut(
        public_id=person.public_id,
        full_name=person.full_name,
        phone=person.phone,
        email=person.email,
        subdistrict_code=person.subdistrict_code,
        community=person.community.name if person.community else None,
        roles=sorted(person.groups.values_list("name", flat=True)),
        contact_confirmed=contact_confirmed(person),
    )


class CodeSentOut(Schema):
    """The same for a new phone or e-mail and for one that already has an account."""

    status: str = "confirmation_sent"
    channel: str  # "sms" or "email"
    sent_to: str  # the phone or e-mail, partly hidden: 08x-xxx-1234
    code_minutes: int  # how long the code works


def code_sent_out(destination: Destination) -> CodeSentOut:
    return CodeSentOut(channel=destination.channel, sent_to=destination.masked, code_minutes=code_minutes())


class SignupConfirmIn(Schema):
    login: str  # the phone number or e-mail address the code was sent to
    code: str


class SignupResendIn(Schema):
    login: str


class ConfirmedOut(Schema):
    status: str = "confirmed"


@router.post("/signup", response={202: CodeSentOut, **errors(409, 429)}, auth=None)
def signup(request, payload: SignupIn):
    """Joins, and sends a code to the phone or e-mail (module docstring). The answer never says
    whether the phone or e-mail was already registered."""
    answer = signup_submit(
        full_name=payload.full_name, password=payload.password,
        subdistrict_code=payload.subdistrict_code, consent_given=payload.consent,
        phone=payload.phone, email=payload.email, national_id=payload.national_id,
        client=client_address(request),
    )  # fmt: skip
    return 202, code_sent_out(answer.sent)


@router.post("/signup/confirm", response={200: ConfirmedOut, **errors(429)}, auth=None)
def signup_confirm(request, payload: SignupConfirmIn):
    """The code sent at sign-up (or after a new phone or e-mail): the person can record deeds."""
    contact_confirm(login=payload.login, code=payload.code, client=client_address(request))
    return 200, ConfirmedOut()


@router.post("/signup/resend", response={202: CodeSentOut, **errors(429)}, auth=None)
def signup_resend(request, payload: SignupResendIn):
    """A new code, if the phone or e-mail waits for one; the same answer if not."""
    return 202, code_sent_out(contact_code_resend(login=payload.login, client=client_address(request)))


@router.post("/token", response={201: TokenOut, **errors(401, 403, 429)}, auth=None)
def token(request, payload: TokenIn):
    raw = api_token_issue(
        login=payload.login, password=payload.password, label=payload.label, request=request,
        code=payload.code,
    )  # fmt: skip
    return 201, TokenOut(token=raw)


@router.post("/token/revoke", response={204: None})
def token_revoke(request):
    """Revokes the bearer token of this request."""
    api_token_revoke(raw=request.headers.get("Authorization", "")[7:].strip(), actor=request.auth)
    return 204, None


@router.get("/me", response=PersonOut)
def me(request):
    return person_out(request.auth)


class ConsentOut(Schema):
    purpose: str
    notice_version: str
    given_at: datetime
    withdrawn_at: datetime | None


@router.get("/consent", response=list[ConsentOut])
def consents(request):
    """Every consent the caller gave, newest first, with when it was withdrawn."""
    return consent_history(person=request.auth)


@router.post("/consent/withdraw", response=list[ConsentOut])
def consent_withdraw_api(request):
    """Withdraws the caller's consent to take part: nothing new is recorded or verified."""
    consent_withdraw(person=request.auth, purpose=ConsentPurpose.MEMBERSHIP, actor=request.auth)
    return consent_history(person=request.auth)


@router.post("/consent/give", response=list[ConsentOut])
def consent_give_api(request):
    """Gives consent to take part again, under the notice version in force now."""
    if consent_active(person=request.auth) is None:
        consent_give(person=request.auth, purpose=ConsentPurpose.MEMBERSHIP, actor=request.auth)
    return consent_history(person=request.auth)
