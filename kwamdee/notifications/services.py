"""Writes of notifications: made from the audit events of decisions (handlers.py), read by the
person, and delivered outside the site by a background task after commit (tasks.py)."""

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.effects import enqueue_after_commit
from kwamdee.common.errors import NotFound
from kwamdee.common.locks import rows_lock
from kwamdee.deeds.selectors import deeds_by_public_id
from kwamdee.notifications.choices import Channel, NotificationKind
from kwamdee.notifications.events import NotificationsEvent
from kwamdee.notifications.models import Notification, NotificationPreference
from kwamdee.notifications.selectors import delivery_channels
from kwamdee.notifications.texts import notification_text
from kwamdee.organizations.selectors import invitation_get, organization_admins, organization_get
from kwamdee.people.messaging import ChannelUnavailable, message_send
from kwamdee.people.selectors import contact_confirmed, membership_get, people_by_pk, person_by_login

if TYPE_CHECKING:
    from kwamdee.common.models import AuditEvent

logger = logging.getLogger(__name__)

# The decisions a person is told of, by audit event type. Strings, so that the events of
# siblings (appeals) are covered without importing them; a type nobody writes yet waits.
KIND_BY_EVENT: dict[str, str] = {
    "deed:verify": NotificationKind.DEED_VERIFIED,
    "deed:reject": NotificationKind.DEED_REJECTED,
    "deed:ask": NotificationKind.DEED_QUESTIONED,
    "appeal:uphold": NotificationKind.APPEAL_UPHELD,
    "appeal:overturn": NotificationKind.APPEAL_OVERTURNED,
    # An auditor reversed a deed's credit (deeds/reversal.py): the person is told, in neutral words.
    "deed:reverse": NotificationKind.DEED_CREDIT_REVERSED,
    # A community committee's decision on a request to join (people/membership.py).
    "community_membership:approve": NotificationKind.MEMBERSHIP_APPROVED,
    "community_membership:decline": NotificationKind.MEMBERSHIP_DECLINED,
    # Rewards (rewards/redemptions.py, rewards/partners.py): a code received at the counter or
    # expired, and a partner's approval (or, by the event's state, its decline).
    "redemption:confirm": NotificationKind.REDEMPTION_CONFIRMED,
    "redemption:expire": NotificationKind.REDEMPTION_EXPIRED,
    "partner:decide": NotificationKind.PARTNER_APPROVED,
    # The goodness bank's steps of a person's loan (loans/services.py), told to its borrower.
    "loan:approve": NotificationKind.LOAN_APPROVED,
    "loan:decline": NotificationKind.LOAN_DECLINED,
    "loan:disburse": NotificationKind.LOAN_DISBURSED,
    "loan:repay": NotificationKind.LOAN_REPAYMENT_RECORDED,
    "loan:close": NotificationKind.LOAN_CLOSED,
    "loan:default": NotificationKind.LOAN_DEFAULTED,
    # A time-bank exchange (timebank/services.py): the other side is asked to confirm; the
    # proposer is told of the answer.
    "time_exchange:propose": NotificationKind.TIME_EXCHANGE_PROPOSED,
    "time_exchange:confirm": NotificationKind.TIME_EXCHANGE_CONFIRMED,
    "time_exchange:decline": NotificationKind.TIME_EXCHANGE_DECLINED,
    # The registry of organizations (organizations/services.py): staff's decision on a
    # registration, told to its admins; an invitation, told to whoever signs in with its address.
    "organization:approve": NotificationKind.ORGANIZATION_APPROVED,
    "organization:decline": NotificationKind.ORGANIZATION_DECLINED,
    "organization:ask": NotificationKind.ORGANIZATION_QUESTIONED,
    "organization_invitation:create": NotificationKind.ORGANIZATION_INVITED,
    # The moral-organization assessment (assessments/services.py, certificates.py): its result,
    # a certificate's renewal reminder and its expiry, told to the organization's admins.
    "assessment:score": NotificationKind.ASSESSMENT_SCORED,
    "certificate:remind": NotificationKind.CERTIFICATE_REMINDER,
    "certificate:expire": NotificationKind.CERTIFICATE_EXPIRED,
}
MEMBERSHIP_KINDS = {NotificationKind.MEMBERSHIP_APPROVED, NotificationKind.MEMBERSHIP_DECLINED}
REDEMPTION_KINDS = {NotificationKind.REDEMPTION_CONFIRMED, NotificationKind.REDEMPTION_EXPIRED}
LOAN_KINDS = {
    NotificationKind.LOAN_APPROVED, NotificationKind.LOAN_DECLINED, NotificationKind.LOAN_DISBURSED,
    NotificationKind.LOAN_REPAYMENT_RECORDED, NotificationKind.LOAN_CLOSED, NotificationKind.LOAN_DEFAULTED,
}  # fmt: skip
TIME_KINDS = {
    NotificationKind.TIME_EXCHANGE_PROPOSED, NotificationKind.TIME_EXCHANGE_CONFIRMED,
    NotificationKind.TIME_EXCHANGE_DECLINED,
}  # fmt: skip
ORGANIZATION_KINDS = {
    NotificationKind.ORGANIZATION_APPROVED, NotificationKind.ORGANIZATION_DECLINED,
    NotificationKind.ORGANIZATION_QUESTIONED, NotificationKind.ORGANIZATION_INVITED,
}  # fmt: skip
ASSESSMENT_KINDS = {
    NotificationKind.ASSESSMENT_SCORED, NotificationKind.CERTIFICATE_REMINDER,
    NotificationKind.CERTIFICATE_EXPIRED,
}  # fmt: skip
# The kinds whose events carry whom to tell (no deed behind them).
NOT_ABOUT_DEEDS = (
    MEMBERSHIP_KINDS | REDEMPTION_KINDS | LOAN_KINDS | TIME_KINDS | ORGANIZATION_KINDS | ASSESSMENT_KINDS
    | {NotificationKind.PARTNER_APPROVED}
)  # fmt: skip


def _deed_id(event: "AuditEvent") -> str:
    """The deed an event is about: its subject, or `data["deed"]` for an event whose subject is
    something else (an appeal)."""
    data = event.data or {}
    return str(data.get("deed") or event.subject_id)


def _deeds_in_hand(events: Sequence["AuditEvent"]) -> dict[str, Any] | None:
    """The deeds the deciding code handed over with its events (`audit_records(subjects=…)`,
    a verification's: the deed it locked, with its type and person), by public id; None when
    any event's deed is not in hand (an appeal's event is about the appeal)."""
    found = {}
    for event in events:
        deed = getattr(event, "subject_in_hand", None)
        if deed is None or str(getattr(deed, "public_id", "")) != _deed_id(event):
            return None
        found[_deed_id(event)] = deed
    return found


def notifications_from_events(events: Sequence["AuditEvent"]) -> list[Notification]:
    """One notification to the deed's person per event (a bulk verification of 3 deeds writes 3
    events and makes 3 notifications, in one INSERT), in the deciding transaction; delivery by
    e-mail or SMS is queued for after commit. An event whose deed is gone is skipped.

    Subscribed without the event hooks' savepoint (handlers.py): when the deeds are in hand (a
    verification's) it reads nothing and its one statement is the INSERT; anything it must read
    first it reads in a savepoint of its own, so a failing read never fails the decision."""
    if not events:
        return []
    kind = KIND_BY_EVENT.get(events[0].event_type)
    if kind is None:
        return []
    about_deeds = kind not in NOT_ABOUT_DEEDS
    deeds = _deeds_in_hand(events) if about_deeds else None
    if deeds is not None:
        return _notifications_create(_deed_notifications(kind, events, deeds))
    with transaction.atomic():
        if kind in MEMBERSHIP_KINDS:
            return _notifications_create(_membership_notifications(kind, events))
        if kind in REDEMPTION_KINDS:
            return _notifications_create(_redemption_notifications(kind, events))
        if kind == NotificationKind.PARTNER_APPROVED:
            return _notifications_create(_partner_notifications(events))
        if kind in LOAN_KINDS:
            return _notifications_create(_loan_notifications(kind, events))
        if kind in TIME_KINDS:
            return _notifications_create(_time_exchange_notifications(kind, events))
        if kind in ASSESSMENT_KINDS:
            return _notifications_create(_assessment_notifications(kind, events))
        if kind in ORGANIZATION_KINDS:
            return _notifications_create(_organization_notifications(kind, events))
        deeds = deeds_by_public_id([_deed_id(e) for e in events])
        return _notifications_create(_deed_notifications(kind, events, deeds))


def _deed_notifications(
    kind: str, events: Sequence["AuditEvent"], deeds: dict[str, Any]
) -> list[Notification]:
    """The deed's person, told of a decision about it (verified, rejected, asked, reversed, an
    appeal's answer)."""
    rows = []
    for event in events:
        deed = deeds.get(_deed_id(event))
        if deed is None or not deed.person.is_active:
            continue
        data = event.data or {}
        params: dict[str, Any] = {
            "deed_type_th": deed.deed_type.name_th,
            "deed_type_en": deed.deed_type.name_en,
        }
        if kind == NotificationKind.DEED_VERIFIED:
            params["credit"] = data.get("credit", deed.credit_awarded)
            params["points"] = data.get("points", deed.points_awarded)
        if kind == NotificationKind.DEED_REJECTED:
            params["reason_code"] = getattr(deed, "rejection_code", "") or ""
            params["reason"] = deed.rejection_reason
        if kind == NotificationKind.DEED_CREDIT_REVERSED:
            params.update({k: data.get(k) for k in ("reason_code", "credit", "points", "points_kept")})
        rows.append(
            Notification(
                person=deed.person, kind=kind, event_type=event.event_type, params=params,
                link=reverse("deeds:detail", kwargs={"public_id": deed.public_id}),
            )
        )  # fmt: skip
    return rows


def _membership_notifications(kind: str, events: Sequence["AuditEvent"]) -> list[Notification]:
    """The committee's answer to a person's request to join its community, with its note. A
    decision the system made (the demo, tests) is no committee's answer: nobody is told."""
    rows = []
    for event in events:
        if event.system_actor:
            continue
        membership = membership_get(event.subject_id)
        if membership is None or not membership.person.is_active:
            continue
        community = membership.community
        rows.append(
            Notification(
                person=membership.person, kind=kind, event_type=event.event_type,
                params={"community_th": community.name_th, "community_en": community.name_en,
                        "note": membership.note},
                link=reverse("people:account") + "#community",
            )
        )  # fmt: skip
    return rows


# Rewards sits beside notifications in the layers, so neither reads the other's rows: its events
# carry what these messages need (the internal ids of whom to tell, the privilege's and the
# partner's names, the points), never a code, a person's name or a note's text.


def _redemption_notifications(kind: str, events: Sequence["AuditEvent"]) -> list[Notification]:
    """The person whose code the counter confirmed (the points are spent), or whose code expired
    (the points are back). A person erased or inactive is told nothing."""
    ids = [int((e.data or {})["person"]) for e in events if (e.data or {}).get("person")]
    people = {p.pk: p for p in people_by_pk(ids)}
    rows = []
    for event in events:
        data = event.data or {}
        person = people.get(int(data.get("person") or 0))
        if person is None:
            continue
        params = {
            key: data.get(key, "") for key in ("privilege_th", "privilege_en", "partner_th", "partner_en")
        }
        params["points"] = data.get("points", 0)
        rows.append(
            Notification(
                person=person, kind=kind, event_type=event.event_type, params=params,
                link=reverse("rewards:redemption", kwargs={"public_id": event.subject_id}),
            )
        )  # fmt: skip
    return rows


def _partner_notifications(events: Sequence["AuditEvent"]) -> list[Notification]:
    """A partner's counter staff, told that national staff or the community's committee approved
    or declined it. The note is read on the partner's pages (the event holds only its length). A
    decision the system made (the demo's seed, tests) is no one's answer: nobody is told."""
    rows = []
    for event in events:
        data = event.data or {}
        kind = {
            "approved": NotificationKind.PARTNER_APPROVED,
            "declined": NotificationKind.PARTNER_DECLINED,
        }.get(data.get("state", ""))
        if event.system_actor or kind is None:
            continue
        link = (
            reverse("rewards:partner", kwargs={"public_id": event.subject_id})
            if kind == NotificationKind.PARTNER_APPROVED
            else reverse("rewards:partners_mine")
        )
        params = {
            "partner_th": data.get("partner_th", ""), "partner_en": data.get("partner_en", ""),
            "note": bool(data.get("note_length")),
        }  # fmt: skip
        for person in people_by_pk(data.get("staff") or []):
            rows.append(
                Notification(person=person, kind=kind, event_type=event.event_type, params=params, link=link)
            )
    return rows


# Loans and the time bank sit above notifications: their events carry whom to tell (internal ids)
# and the amounts; the names are read on their pages.


def _loan_notifications(kind: str, events: Sequence["AuditEvent"]) -> list[Notification]:
    """The borrower, told of each step of their loan: approved (once every approval needed is
    in, not at each approver's), not approved, paid out, a repayment recorded, closed."""
    events = [
        e for e in events
        if kind != NotificationKind.LOAN_APPROVED or (e.data or {}).get("state") == "approved"
    ]  # fmt: skip
    people = {p.pk: p for p in people_by_pk([int((e.data or {}).get("person") or 0) for e in events])}
    rows = []
    for event in events:
        data = event.data or {}
        person = people.get(int(data.get("person") or 0))
        if person is None:
            continue
        loan_id = data.get("loan_id") or event.subject_id  # a repayment's event is about the repayment
        params = {"satang": data.get("satang", 0), "paid": data.get("paid", 0), "rule": data.get("rule", "")}
        rows.append(
            Notification(
                person=person, kind=kind, event_type=event.event_type, params=params,
                link=reverse("loans:loan", kwargs={"public_id": loan_id}),
            )
        )  # fmt: skip
    return rows


def _organization_notifications(kind: str, events: Sequence["AuditEvent"]) -> list[Notification]:
    """Staff's decision on a registration (approved, not approved, a question), told to the
    organization's admins and its registrant; an invitation, told to the person who signs in with
    the invited phone or e-mail once that contact is proven (nobody else learns of it). The note
    and the question are read on the organization's page. A decision of the system (seed_demo,
    tests) is no one's answer: nobody is told."""
    rows = []
    for event in events:
        if event.system_actor and kind != NotificationKind.ORGANIZATION_INVITED:
            continue
        data = event.data or {}
        organization = organization_get(event.subject_id)
        if organization is None:
            continue
        params = {"organization_th": organization.name_th, "organization_en": organization.name_en}
        if kind == NotificationKind.ORGANIZATION_INVITED:
            invitation = invitation_get(data.get("invitation"))
            person = person_by_login(invitation.login) if invitation is not None else None
            people = [person] if person is not None and person.is_active and contact_confirmed(person) else []
            link = reverse("organizations:mine")
        else:
            people = organization_admins(organization)
            link = reverse("organizations:organization", kwargs={"public_id": organization.public_id})
        for person in people:
            rows.append(
                Notification(person=person, kind=kind, event_type=event.event_type, params=params, link=link)
            )
    return rows


def _assessment_notifications(kind: str, events: Sequence["AuditEvent"]) -> list[Notification]:
    """The organization's admins, told that its self-assessment was scored (the result page), that
    its certificate runs out soon, or that it ran out (its assessments' page). The events carry
    the organization's public id; names and levels are read on the pages."""
    rows: list[Notification] = []
    for event in events:
        data = event.data or {}
        organization = organization_get(data.get("organization") or "")
        if organization is None:
            continue
        if kind == NotificationKind.ASSESSMENT_SCORED:
            link = reverse("assessments:assessment", kwargs={"public_id": event.subject_id})
        else:
            link = reverse("assessments:organization", kwargs={"public_id": organization.public_id})
        params = {
            "organization_th": organization.name_th, "organization_en": organization.name_en,
            "valid_until": data.get("valid_until", ""), "days_left": data.get("days_left"),
            "level": data.get("level", ""),
        }  # fmt: skip
        rows.extend(
            Notification(person=admin, kind=kind, event_type=event.event_type, params=params, link=link)
            for admin in organization_admins(organization)
        )
    return rows


def _time_exchange_notifications(kind: str, events: Sequence["AuditEvent"]) -> list[Notification]:
    """An exchange proposed: the side that did not propose it is asked to confirm. Confirmed or
    declined: the side that did not answer (the proposer) is told. The pool's committee acting
    for nobody's side tells no one."""
    rows = []
    for event in events:
        data = event.data or {}
        sides = [data.get("giver"), data.get("receiver")]
        if event.actor_id not in sides:
            continue
        other = next((side for side in sides if side != event.actor_id), None)
        person = next(iter(people_by_pk([int(other)])), None) if other else None
        if person is None:
            continue
        rows.append(
            Notification(
                person=person, kind=kind, event_type=event.event_type,
                params={"minutes": data.get("minutes", 0), "gave": person.pk == data.get("giver")},
                link=reverse("timebank:exchange", kwargs={"public_id": event.subject_id}),
            )
        )  # fmt: skip
    return rows


def notifications_from_recordings(events: Sequence["AuditEvent"]) -> list[Notification]:
    """What a recording tells others than the recorder: each witness named (deed:record,
    deed:witness_add) is asked to answer, and a person whose helper recorded a deed on their
    behalf is told so. Witnesses are not told which phone named them, only whose deed it is."""
    deeds = deeds_by_public_id([str(e.subject_id) for e in events])
    rows = []
    for event in events:
        deed = deeds.get(str(event.subject_id))
        data = event.data or {}
        if deed is None:
            continue
        params: dict[str, Any] = {
            "deed_type_th": deed.deed_type.name_th, "deed_type_en": deed.deed_type.name_en,
            "person": deed.person.full_name,
        }  # fmt: skip
        for witness in people_by_pk(data.get("witnesses") or []):
            rows.append(
                Notification(
                    person=witness, kind=NotificationKind.WITNESS_ASKED, event_type=event.event_type,
                    params=params, link=reverse("deeds:witness_list"),
                )
            )  # fmt: skip
        if data.get("on_behalf_of") and deed.recorded_by_id and deed.person.is_active:
            rows.append(
                Notification(
                    person=deed.person, kind=NotificationKind.DEED_RECORDED_FOR_YOU,
                    event_type=event.event_type,
                    params={**params, "helper": getattr(deed.recorded_by, "full_name", "")},
                    link=reverse("deeds:detail", kwargs={"public_id": deed.public_id}),
                )
            )  # fmt: skip
    return _notifications_create(rows)


def _notifications_create(rows: list[Notification]) -> list[Notification]:
    """Writes the notifications in one INSERT and queues their delivery for after commit."""
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk is not None]
    if ids:
        from kwamdee.notifications.tasks import notifications_deliver_task

        enqueue_after_commit(notifications_deliver_task, ids)
    return created


def notification_mark_read(*, person: Any, notification_public_id: Any) -> Notification:
    """Marks one of the person's notifications read. Another's, or none: 404 `not_found`."""
    try:
        row = Notification.objects.filter(person=person, public_id=notification_public_id).first()
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise NotFound()
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at", "updated_at"])
    return row


def notifications_mark_all_read(*, person: Any) -> int:
    """Marks all of the person's unread notifications read; says how many.

    Reading is not audited (nor is marking read): the audit log is append-only, and a record of
    when a person reads their messages would be personal data kept for no purpose."""
    now = timezone.now()
    return Notification.objects.filter(person=person, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


@transaction.atomic
def notification_preferences_set(*, actor: Actor, email: bool, sms: bool) -> NotificationPreference:
    """The person's own choice of e-mail and SMS (the in-app list is always on)."""
    row, _created = NotificationPreference.objects.update_or_create(
        person=actor, defaults={"email": bool(email), "sms": bool(sms)}
    )
    audit_record(
        actor=actor, event=NotificationsEvent.PREFERENCES, subject_id=getattr(actor, "public_id", ""),
        data={"email": row.email, "sms": row.sms},
    )  # fmt: skip
    return row


def _message(notification: Notification, channel: str) -> tuple[str, str]:
    """Subject and body in the site's language (Thai)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = notification_text(notification.kind, notification.params)
        if channel == Channel.SMS:
            return text.title, text.title
        site = getattr(settings, "KWAMDEE_SITE_URL", "").rstrip("/")
        lines = [text.title, "", text.body] if text.body else [text.title]
        if site and notification.link:
            lines += ["", f"{site}{notification.link}"]
        return text.title, "\n".join(lines)


def notifications_deliver(notification_ids: list[int]) -> dict[str, int]:
    """Sends each notification not yet delivered to the channels its person wants and proved
    (selectors.delivery_channels: nothing for a person who withdrew consent or is erased).
    Each is marked delivered first, under its row lock, so a retried task sends it once."""
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    for pk in notification_ids:
        with transaction.atomic():
            undelivered = Notification.objects.filter(pk=pk, delivered_at__isnull=True)
            locked = rows_lock(undelivered.select_related("person"), of=("self",))
            row = locked[0] if locked else None
            if row is None:
                continue
            channels = delivery_channels(row.person)
            sent = []
            for channel, to in channels.items():
                subject, body = _message(row, channel)
                try:
                    message_send(channel=channel, to=to, subject=subject, body=body)
                    sent.append(channel)
                except ChannelUnavailable:
                    continue
                except Exception:
                    logger.exception("notification %s not sent by %s", row.pk, channel)
                    counts["failed"] += 1
            row.delivered_at = timezone.now()
            row.delivered_by = ",".join(sent)
            row.save(update_fields=["delivered_at", "delivered_by", "updated_at"])
            counts["sent" if sent else "skipped"] += 1
    return counts
