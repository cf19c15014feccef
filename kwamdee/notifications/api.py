"""API: the caller's notifications, worded in the request's language, and marking them read."""

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema

from kwamdee.common.api_errors import errors
from kwamdee.notifications.selectors import notifications_of, unread_count
from kwamdee.notifications.services import notification_mark_read, notifications_mark_all_read
from kwamdee.notifications.texts import notification_text

router = Router(tags=["notifications"])
PAGE_SIZE = 50


class NotificationOut(Schema):
    public_id: UUID
    kind: str
    title: str
    body: str
    # The site's page about it (a path), empty when there is none.
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationsOut(Schema):
    unread: int
    notifications: list[NotificationOut]


class MarkedOut(Schema):
    marked: int


def notification_out(row) -> NotificationOut:
    text = notification_text(row.kind, row.params)
    return NotificationOut(
        public_id=row.public_id, kind=row.kind, title=text.title, body=text.body, link=row.link,
        created_at=row.created_at, read_at=row.read_at,
    )  # fmt: skip


@router.get("", response=NotificationsOut)
def mine(request):
    """The caller's newest 50 notifications and how many are unread."""
    rows = notifications_of(person=request.auth)[:PAGE_SIZE]
    return {"unread": unread_count(person=request.auth), "notifications": [notification_out(r) for r in rows]}


@router.post("/read-all", response=MarkedOut)
def read_all(request):
    return {"marked": notifications_mark_all_read(person=request.auth)}


@router.post("/{public_id}/read", response={200: NotificationOut, **errors(404)})
def read(request, public_id: UUID):
    """Marks one of the caller's notifications read; another's answers 404."""
    return notification_out(notification_mark_read(person=request.auth, notification_public_id=public_id))
