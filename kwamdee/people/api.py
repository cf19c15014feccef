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
`POST /auth/signup/resend {"login"}` → 202, the same shape: a new code if one is due.

Joining the community of one's subdistrict is a request its committee decides (people/membership.py):
`GET /auth/me` says where it stands (`membership`), and the committee (the community's admins)
lists and decides the requests under `/communities/{public_id}/membership-requests`."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Router, Schema
from pydantic import Field, StrictStr

from kwamdee.areas.selectors import community_administered_by, community_get
from kwamdee.common.api_errors import errors
from kwamdee.common.client import client_address
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.codes import Destination, code_minutes
from kwamdee.people.contact_confirmation import contact_code_resend, contact_confirm, signup_submit
from kwamdee.people.membership import NOTE_MAX_CHARS, membership_approve, membership_decline
from kwamdee.people.selectors import (
    consent_active,
    consent_history,
    contact_confirmed,
    membership_current,
    membership_requests_waiting,
)
from kwamdee.people.services import (
    api_token_issue,
    api_token_revoke,
    consent_give,
    consent_withdraw,
)

router = Router(tags=["people"])
# Mounted at /communities: a community's committee decides who joins it.
membership_router = Router(tags=["communities"])


class SignupIn(Schema):
    full_name: str
    password: str
    subdistrict_code: str
    consent: bool
    phone: str = ""
    email: str = ""
    national_id: str = ""


class MembershipOut(Schema):
    """A request to join a community and its committee's decision."""

    public_id: UUID
    community: UUID
    community_name: str
    state: str = Field(description="pending, approved or declined")
    requested_at: datetime
    decided_at: datetime | None
    note: str = Field(description="The committee's note to the person (may be empty).")


class MembershipRequestOut(MembershipOut):
    """A request as its community's committee sees it: who asks."""

    person: UUID
    full_name: str


class MembershipDecisionIn(Schema):
    note: StrictStr = Field("", max_length=NOTE_MAX_CHARS, description="Optional note to the person.")


def membership_out(membership: Any, *, with_person: bool = False) -> MembershipOut:
    values: dict[str, Any] = {
        "public_id": membership.public_id, "community": membership.community.public_id,
        "community_name": membership.community.name, "state": membership.state,
        "requested_at": membership.created_at, "decided_at": membership.decided_at,
        "note": membership.note,
    }  # fmt: skip
    if not with_person:
        return MembershipOut(**values)
    person = membership.person
    return MembershipRequestOut(**values, person=person.public_id, full_name=person.full_name)


class PersonOut(Schema):
    public_id: UUID
    full_name: str
    phone: str | None
    email: str | None
    subdistrict_code: str
    community: str | None = Field(None, description="The community the person is a member of (approved).")
    roles: list[str] = []
    contact_confirmed: bool = False  # the code sent at sign-up was entered: deeds can be recorded
    # The person's request to join their subdistrict's community, or their membership of it.
    membership: MembershipOut | None = None


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
        membership=membership_out(current) if (current := membership_current(person)) else None,
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


def _committee_of(request: Any, public_id: UUID) -> Any:
    """403 for a caller who is no community's committee; 404 for a community that is not theirs,
    as for one that does not exist."""
    if not request.auth.has_perm("catalog.adapt_catalog"):
        raise PermissionDenied()
    community = community_get(public_id)
    if community is None or not community_administered_by(request.auth, community):
        raise NotFound()
    return community


@membership_router.get(
    "/{public_id}/membership-requests", response={200: list[MembershipRequestOut], **errors(403, 404)}
)
def membership_requests(request, public_id: UUID):
    """The requests to join the community that wait for its committee, oldest first."""
    community = _committee_of(request, public_id)
    return [
        membership_out(m, with_person=True)
        for m in membership_requests_waiting(request.auth, community=community)
    ]


@membership_router.post(
    "/{public_id}/membership-requests/{membership_id}/approve",
    response={200: MembershipRequestOut, **errors(403, 404, 409)},
)
def membership_request_approve(request, public_id: UUID, membership_id: UUID, payload: MembershipDecisionIn):
    """Approves a request (the community's admins, never for their own request): the person is a
    member from now on. 409 `membership_not_waiting` when it was decided already or the person moved."""
    community = _committee_of(request, public_id)
    membership = membership_approve(
        actor=request.auth, membership_public_id=membership_id, note=payload.note, community=community
    )
    return membership_out(membership, with_person=True)


@membership_router.post(
    "/{public_id}/membership-requests/{membership_id}/decline",
    response={200: MembershipRequestOut, **errors(403, 404, 409)},
)
def membership_request_decline(request, public_id: UUID, membership_id: UUID, payload: MembershipDecisionIn):
    """Declines a request: the person keeps the national catalog, as before."""
    community = _committee_of(request, public_id)
    membership = membership_decline(
        actor=request.auth, membership_public_id=membership_id, note=payload.note, community=community
    )
    return membership_out(membership, with_person=True)
