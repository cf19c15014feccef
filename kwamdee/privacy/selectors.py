"""What a person sees on their "my data" page, and the staff's queue of requests; who may answer
one."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import PermissionDenied, ServiceError
from kwamdee.common.personal_data import Section, personal_data_collect
from kwamdee.privacy.choices import RequestKind, RequestStatus
from kwamdee.privacy.errors import RequestAlreadyAnswered
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


def data_request_get(*, public_id: Any) -> DataSubjectRequest | None:
    return DataSubjectRequest.objects.select_related("person").filter(public_id=public_id).first()


def data_requests_of(*, person: Any) -> QuerySet[DataSubjectRequest]:
    """A person's own requests, oldest first (their "my data" section)."""
    return DataSubjectRequest.objects.filter(person=person).order_by("created_at", "id")


def data_requests_open_count(*, person: Any, kind: str) -> int:
    return DataSubjectRequest.objects.filter(person=person, kind=kind, status=RequestStatus.OPEN).count()


def data_request_answer_refusal(actor: Any, request: DataSubjectRequest) -> ServiceError | None:
    """Why `actor` may not answer `request`, or None: the one rule that the request's page (to show
    the form) and the service (under the request's lock) both ask. Staff with the permission
    answer open requests of other people; their own goes to a colleague."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("privacy.handle_requests"):
        return PermissionDenied()
    if request.person_id == actor.pk:
        return PermissionDenied(_("Another member of staff must answer your own request."))
    if request.status != RequestStatus.OPEN:
        return RequestAlreadyAnswered()
    return None


def data_request_answerable_by(actor: Any, request: DataSubjectRequest) -> bool:
    return data_request_answer_refusal(actor, request) is None
