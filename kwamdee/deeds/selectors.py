"""Reads of deeds."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kwamdee.catalog.choices import VerifierKind
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.models import Deed
from kwamdee.organizations.selectors import verification_scope_q
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import Consent


def _with_relations(qs: QuerySet[Deed]) -> QuerySet[Deed]:
    return qs.select_related("deed_type", "rule_version", "person", "decided_by")


def deeds_of_person(*, person) -> QuerySet[Deed]:
    return _with_relations(Deed.objects.filter(person=person))


def decidable_by_q(verifier) -> Q | None:
    """The deeds `verifier` may decide, as a filter (None: none at all).

    A deed type verified by the community committee goes to its community's admins; every other
    deed goes to the verifiers of organizations whose area holds it. A committee deed of a person
    in no community falls back to those organizations."""
    if not verifier.has_perm("deeds.verify_deed"):
        return None
    committee = Q(deed_type__verifier_kind=VerifierKind.COMMITTEE, community__isnull=False)
    scope = verification_scope_q(verifier)
    allowed = Q(pk__in=[])
    if scope is not None:
        allowed |= scope & ~committee
    communities = list(verifier.administered_communities.values_list("pk", flat=True))
    if communities:
        allowed |= committee & Q(community_id__in=communities)
    return allowed if scope is not None or communities else None


def verification_queue(*, verifier) -> QuerySet[Deed]:
    """Pending deeds the verifier may decide, oldest first, never their own."""
    scope = decidable_by_q(verifier)
    if scope is None:
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
    scope = decidable_by_q(viewer)
    if scope is not None and Deed.objects.filter(scope, pk=deed.pk).exists():
        return deed
    return None
