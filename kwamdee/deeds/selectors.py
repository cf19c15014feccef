"""Reads of deeds."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.models import Deed
from kwamdee.organizations.selectors import verification_scope_q
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import Consent


def _with_relations(qs: QuerySet[Deed]) -> QuerySet[Deed]:
    return qs.select_related("deed_type", "rule_version", "person", "decided_by")


def deeds_of_person(*, person) -> QuerySet[Deed]:
    return _with_relations(Deed.objects.filter(person=person))


def verification_queue(*, verifier) -> QuerySet[Deed]:
    """Pending deeds in the areas of the verifier's organizations, oldest first, never their own."""
    scope = verification_scope_q(verifier)
    if scope is None or not verifier.has_perm("deeds.verify_deed"):
        return Deed.objects.none()
    consenting = Consent.objects.filter(
        person=OuterRef("person"), purpose=ConsentPurpose.MEMBERSHIP, withdrawn_at__isnull=True
    )
    return _with_relations(
        Deed.objects.filter(scope, Exists(consenting), status=DeedStatus.PENDING).exclude(person=verifier)
    ).order_by("created_at", "id")


def deed_visible_to(*, viewer, deed_public_id: Any) -> Deed | None:
    """A deed its own person may see, or a verifier whose area it is in."""
    deed = _with_relations(Deed.objects.filter(public_id=deed_public_id)).first()
    if deed is None:
        return None
    if deed.person_id == viewer.pk:
        return deed
    scope = verification_scope_q(viewer)
    if scope is not None and viewer.has_perm("deeds.verify_deed"):
        if Deed.objects.filter(scope, pk=deed.pk).exists():
            return deed
    return None
