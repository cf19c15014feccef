"""Reads of deeds, and the one rule of who may decide a deed."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.urls import reverse

from kwamdee.areas.selectors import community_ids_administered_by
from kwamdee.catalog.choices import VerifierKind
from kwamdee.catalog.selectors import rules_stamp_of
from kwamdee.common.describe import EntryDescription
from kwamdee.common.errors import NotFound, PermissionDenied, ServiceError
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.errors import (
    AlreadyApproved,
    DeedAlreadyDecided,
    NotAppealable,
    OwnDeed,
    OwnRecording,
    OwnRejection,
    OwnWitnessing,
    PersonUnconfirmed,
)
from kwamdee.deeds.flags import verification_facts
from kwamdee.deeds.models import AssistConsent, Deed, DeedQuestion, DeedReversal, DeedWitness
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.selectors import verification_scope_q
from kwamdee.people.selectors import consent_active, consenting_filter, contact_confirmed

if TYPE_CHECKING:
    from kwamdee.catalog.models import RuleVersion


def _with_relations(qs: QuerySet[Deed]) -> QuerySet[Deed]:
    # `recorded_by`: the helper of an assisted deed, named by the API, the page and "my data".
    return qs.select_related("deed_type", "rule_version", "person", "decided_by", "recorded_by")


def deeds_of_person(*, person: Any) -> QuerySet[Deed]:
    return _with_relations(Deed.objects.filter(person=person))


def deeds_pending_of_person(*, person: Any, limit: int = 20) -> list[Deed]:
    """The person's deeds not decided yet: waiting for witnesses or for a verifier."""
    waiting = [DeedStatus.AWAITING_WITNESSES, DeedStatus.PENDING]
    return list(deeds_of_person(person=person).filter(status__in=waiting)[:limit])


def decidable_by_q(verifier: Any) -> Q | None:
    """The deeds `verifier` may decide, as a filter (None: none at all). The rule, once:

    a deed type verified by the community committee goes to its community's admins; every other
    deed goes to the verifiers of organizations whose area holds it. A committee deed of a person
    in no community falls back to those organizations.

    Kept on the verifier object for the rest of the request, as Django keeps their permissions."""
    if not getattr(verifier, "pk", None) or not verifier.has_perm("deeds.verify_deed"):
        return None
    if not hasattr(verifier, "_decidable_q_cache"):
        verifier._decidable_q_cache = _decidable_q(verifier)
    return verifier._decidable_q_cache  # type: ignore[no-any-return]


def _decidable_q(verifier: Any) -> Q | None:
    committee = Q(deed_type__verifier_kind=VerifierKind.COMMITTEE, community__isnull=False)
    scope = verification_scope_q(verifier)
    allowed = Q(pk__in=[])
    if scope is not None:
        allowed |= scope & ~committee
    communities = community_ids_administered_by(verifier)
    if communities:
        allowed |= committee & Q(community_id__in=communities)
    return allowed if scope is not None or communities else None


def deed_decision_refusal(actor: Any, deed: Deed) -> ServiceError | None:
    """Why `actor` may not decide `deed` now, or None when they may. The view (whether to show
    the buttons), the API and the service (under the deed's lock) all ask this. A deed read
    through `deeds_for_decision` brings the facts with it; any other deed is asked about.
    Asking the person for more information is a decision too: the same rule."""
    refusal = _reach_refusal(actor, deed)
    if refusal is not None:
        return refusal
    if deed.status != DeedStatus.PENDING:
        return DeedAlreadyDecided()
    if not contact_confirmed(deed.person):  # an account nobody proved cannot mint credit
        return PersonUnconfirmed()
    if deed.first_approved_by_id is not None and deed.first_approved_by_id == actor.pk:
        return AlreadyApproved()
    return None


def deed_appeal_decision_refusal(actor: Any, deed: Deed) -> ServiceError | None:
    """Why `actor` may not decide an appeal against the rejection of `deed`, or None when they
    may: whoever may decide the deed (the same reach), except the verifier who rejected it."""
    refusal = _reach_refusal(actor, deed)
    if refusal is not None:
        return refusal
    if deed.status != DeedStatus.REJECTED:
        return NotAppealable()
    if deed.decided_by_id is not None and deed.decided_by_id == actor.pk:
        return OwnRejection()
    if deed.first_approved_by_id is not None and deed.first_approved_by_id == actor.pk:
        return AlreadyApproved()  # a high credit: another verifier must agree
    return None


def _reach_refusal(actor: Any, deed: Deed) -> ServiceError | None:
    if not getattr(actor, "pk", None) or not actor.has_perm("deeds.verify_deed"):
        return PermissionDenied()
    if deed.person_id == actor.pk:
        return OwnDeed()
    scope = decidable_by_q(actor)
    in_scope = getattr(deed, "in_scope", None)
    if in_scope is None:
        in_scope = scope is not None and Deed.objects.filter(scope, pk=deed.pk).exists()
    reachable = scope is not None and bool(in_scope)
    if reachable:
        consenting = getattr(deed, "consenting", None)
        if consenting is None:
            consenting = consent_active(person=deed.person) is not None
        reachable = bool(consenting)
    if not reachable:
        # Outside the actor's reach (another area, a deed for the community's committee, a person
        # who withdrew consent): answered as a deed that does not exist, as reading it is
        # (deed_visible_to), so that acting on an id tells no more than opening it.
        return NotFound()
    if deed.recorded_by_id is not None and deed.recorded_by_id == actor.pk:
        return OwnRecording()
    witnessed = getattr(deed, "actor_witnessed", None)
    if witnessed is None:
        witnessed = DeedWitness.objects.filter(deed_id=deed.pk, witness_id=actor.pk).exists()
    if witnessed:
        return OwnWitnessing()
    return None


def deeds_for_decision(actor: Any, *, crediting: bool = False) -> QuerySet[Deed]:
    """Deeds with what a decision by `actor` needs, in the one query that locks them: their
    type and person, whether they are in `actor`'s scope, whether their person consents, and the
    stamp of their type's rules (the rule cache's key, see catalog.selectors.rule_in_force).
    `crediting`: also what the fairness flags of a verification need about `actor`
    (deeds.flags.verification_facts), so that they read nothing of their own."""
    scope = decidable_by_q(actor)
    deeds = Deed.objects.select_related("deed_type", "person").annotate(
        in_scope=ExpressionWrapper(scope if scope is not None else Q(pk__in=[]), output_field=BooleanField()),
        consenting=consenting_filter(),
        rules_stamp=rules_stamp_of("deed_type"),
        actor_witnessed=_witnessed_by(actor),
    )
    return deeds.annotate(**verification_facts(actor)) if crediting else deeds


def _witnessed_by(actor: Any) -> Exists:
    return Exists(DeedWitness.objects.filter(deed=OuterRef("pk"), witness_id=getattr(actor, "pk", None)))


def deed_decidable_by(actor: Any, deed: Deed) -> bool:
    return deed_decision_refusal(actor, deed) is None


def verification_queue(*, verifier: Any) -> QuerySet[Deed]:
    """Pending deeds the verifier may decide, oldest first: never their own, nor those they
    recorded for someone, witnessed, or approved first (deed_decision_refusal, as a filter), nor
    those of a person who has not proved their phone or e-mail."""
    scope = decidable_by_q(verifier)
    if scope is None:
        return Deed.objects.none()
    return _with_relations(
        Deed.objects.filter(
            scope, consenting_filter(), status=DeedStatus.PENDING, person__contact_confirmed_at__isnull=False
        )
        .exclude(person=verifier)
        .exclude(recorded_by=verifier)
        .exclude(first_approved_by=verifier)
        .exclude(_witnessed_by(verifier))
    ).order_by("created_at", "id")


def deed_appeal_decidable_by(actor: Any, deed: Deed) -> bool:
    return deed_appeal_decision_refusal(actor, deed) is None


def deeds_appeal_decidable_by(actor: Any) -> QuerySet[Deed]:
    """Rejected deeds whose appeal `actor` may decide (the rule of deed_appeal_decision_refusal,
    as a filter): in their reach, of a consenting person, not their own, not rejected by them."""
    scope = decidable_by_q(actor)
    if scope is None:
        return Deed.objects.none()
    return (
        Deed.objects.filter(scope, consenting_filter(), status=DeedStatus.REJECTED)
        .exclude(person=actor)
        .exclude(decided_by=actor)
        .exclude(first_approved_by=actor)
        .exclude(recorded_by=actor)
        .exclude(_witnessed_by(actor))
    )


def deed_questions(deed: Deed) -> list[DeedQuestion]:
    """The questions a verifier asked about `deed`, with the answers, oldest first."""
    return list(DeedQuestion.objects.filter(deed=deed).select_related("asked_by"))


def deed_open_question(deed: Deed) -> DeedQuestion | None:
    """The question that waits for the person's answer, if the deed waits for one."""
    if deed.status != DeedStatus.NEEDS_INFO:
        return None
    return (
        DeedQuestion.objects.filter(deed=deed, answered_at__isnull=True).order_by("-asked_at", "-id").first()
    )


def deed_questions_of_person(*, person: Any) -> QuerySet[DeedQuestion]:
    return DeedQuestion.objects.filter(deed__person=person).select_related("deed").order_by("asked_at", "id")


def deeds_asked_of_person(*, person: Any, limit: int = 20) -> list[Deed]:
    """The person's deeds a verifier asked about and that wait for their answer."""
    return list(deeds_of_person(person=person).filter(status=DeedStatus.NEEDS_INFO)[:limit])


def deed_get(public_id: Any) -> Deed | None:
    try:
        return _with_relations(Deed.objects.filter(public_id=public_id)).first()
    except (ValueError, ValidationError):
        return None


def deeds_by_public_id(public_ids: list[Any]) -> dict[str, Deed]:
    """Many deeds at once, by public id (notifications of a bulk verification: one query)."""
    try:
        deeds = Deed.objects.filter(public_id__in=public_ids).select_related("deed_type", "person")
        return {str(deed.public_id): deed for deed in deeds}
    except (ValueError, ValidationError):
        return {}


def deed_visible_to(*, viewer: Any, deed_public_id: Any) -> Deed | None:
    """A deed its own person may see, or a verifier whose area it is in while its person takes
    part (after a withdrawal of consent, only the person sees their deeds)."""
    deed = deed_get(deed_public_id)
    if deed is None:
        return None
    if deed.person_id == viewer.pk:
        return deed
    if deed.recorded_by_id is not None and deed.recorded_by_id == viewer.pk and _assist_active(deed, viewer):
        return deed  # the helper who recorded it, while the person's consent lasts
    scope = decidable_by_q(viewer)
    if scope is not None and Deed.objects.filter(scope, consenting_filter(), pk=deed.pk).exists():
        return deed
    return None


def _assist_active(deed: Deed, helper: Any) -> bool:
    return AssistConsent.objects.filter(
        person_id=deed.person_id, helper=helper, revoked_at__isnull=True
    ).exists()


def deed_virtue_weights(deed: Deed, rule: "RuleVersion") -> dict[str, Decimal]:
    """The split across virtues under the rule version that prices the deed."""
    if rule.virtue_weights:
        return {code: Decimal(w) for code, w in rule.virtue_weights.items()}
    return {w.virtue.code: w.weight for w in deed.deed_type.virtue_weights.all()}


def deed_entries_describe(source_ids: list[str]) -> dict[str, EntryDescription]:
    """How the passbook shows ledger entries whose source is a deed: its deed type, a link to
    it, and the rule version that priced it (one query for all of them)."""
    deeds = Deed.objects.filter(public_id__in=source_ids).select_related(
        "deed_type", "rule_version__deed_type", "rule_version__community", "reversal"
    )
    return {
        str(d.public_id): EntryDescription(
            title=d.deed_type.name,
            url=reverse("deeds:detail", args=[d.public_id]),
            rule=d.rule_version.label if d.rule_version else "",
            done_on=d.performed_on,
            # An auditor's reversal, in the neutral words the person reads (deeds/reversal.py).
            reversal=d.reversal.words_for_person if d.status == DeedStatus.REVERSED else "",
        )
        for d in deeds
    }


def deed_reversal_of(deed: Deed) -> DeedReversal | None:
    """The auditor's reversal of the deed's credit, when its status says it was reversed."""
    if deed.status != DeedStatus.REVERSED:
        return None
    return DeedReversal.objects.filter(deed=deed).first()


def deed_reversals_of_person(*, person: Any) -> dict[int, DeedReversal]:
    """The reversals of the person's deeds' credit, by deed id (their data: "my data")."""
    return {r.deed_id: r for r in DeedReversal.objects.filter(deed__person=person)}


def deeds_verified_by_organization(organization: Any, *, year: int) -> QuerySet[Deed]:
    """Deeds verified in `year` (by the day of the decision) by the people who are the
    organization's verifiers or admins now: the one rule for "deeds verified by its verifiers",
    on its page, in its report and in its assessment's computed item."""
    verifiers = organization.memberships.filter(
        role__in=[MembershipRole.VERIFIER, MembershipRole.ADMIN]
    ).values("person_id")
    return Deed.objects.filter(status=DeedStatus.VERIFIED, decided_at__year=year, decided_by__in=verifiers)


def deeds_verified_of_attendances(attendances: QuerySet[Any]) -> QuerySet[Deed]:
    """The verified deeds that closing an activity made of `attendances` (a reversed one no longer
    counts)."""
    return Deed.objects.filter(status=DeedStatus.VERIFIED, attendance__in=attendances)


def deeds_verified_done_in(year: int) -> QuerySet[Deed]:
    """Verified deeds done in `year`: for aggregates that narrow them further (an organization's
    linked members)."""
    return Deed.objects.filter(status=DeedStatus.VERIFIED, performed_on__year=year)
