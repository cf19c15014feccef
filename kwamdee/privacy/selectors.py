"""What a person sees on their "my data" page, and the staff's queue of requests."""

from typing import Any

from django.db.models import QuerySet

from kwamdee.common.personal_data import Section, personal_data_collect
from kwamdee.privacy.choices import RequestKind, RequestStatus
from kwamdee.privacy.models import DataSubjectRequest


def my_data(*, person: Any) -> list[Section]:
    return personal_data_collect(person)


def person_is_erased(*, person: Any) -> bool:
    """Whether the person's account was erased (a done erasure request: the one record of it)."""
    return DataSubjectRequest.objects.filter(
        person=person, kind=RequestKind.ERASURE, status=RequestStatus.DONE
    ).exists()


def data_requests_open() -> QuerySet[DataSubjectRequest]:
    """Requests that still need a member of staff, the one due first on top."""
    open_requests = DataSubjectRequest.objects.filter(status=RequestStatus.OPEN)
    return open_requests.select_related("person").order_by("due_at", "id")


def data_requests_recently_done(*, limit: int = 20) -> list[DataSubjectRequest]:
    """The latest requests done or refused, newest first (to see that the queue moves)."""
    finished = DataSubjectRequest.objects.exclude(status=RequestStatus.OPEN)
    return list(finished.order_by("-done_at", "-id")[:limit])
