"""API: sign up, get a token, who am I."""

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema

from kwamdee.common.client import client_address
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.selectors import consent_active, consent_history
from kwamdee.people.services import (
    api_token_issue,
    api_token_revoke,
    consent_give,
    consent_withdraw,
    person_signup,
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


class TokenIn(Schema):
    login: str
    password: str
    label: str = ""


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
    )


@router.post("/signup", response={201: PersonOut}, auth=None)
def signup(request, payload: SignupIn):
    person = person_signup(
        full_name=payload.full_name, password=payload.password,
        subdistrict_code=payload.subdistrict_code, consent_given=payload.consent,
        phone=payload.phone, email=payload.email, national_id=payload.national_id,
        client=client_address(request),
    )  # fmt: skip
    return 201, person_out(person)


@router.post("/token", response={201: TokenOut}, auth=None)
def token(request, payload: TokenIn):
    raw = api_token_issue(
        login=payload.login, password=payload.password, label=payload.label, request=request
    )
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
