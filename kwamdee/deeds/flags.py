"""Automatic flags on deeds (issue 10, fairness review): patterns worth an auditor's look.

A flag asks an auditor to look, nothing more: it is never shown to the person as a penalty and it
blocks nothing. Only an auditor's reversal (deeds/reversal.py) lowers credit.

The checks run where deeds are recorded (`flags_check_recorded`, from `deed_record` and an
activity's close) and where they are credited (`flags_check_verified`, from `_deeds_credit`,
which serves single and bulk verification, appeals and activities). Each costs a few queries per
batch, never per deed. Everything here reads, except `flags_raise`, the one write: one INSERT
that leaves a flag already raised for the same deed and kind as it was.

A flag keeps its kind and its facts (counts, thresholds, other deeds' public ids); the words are
made when it is shown (`flag_explain`), in the reader's language."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kwamdee.common.actors import Actor, person_or_none
from kwamdee.deeds.choices import DeedStatus, FlagKind, FlagState
from kwamdee.deeds.limits import limit_windows
from kwamdee.deeds.models import Deed, DeedFlag
from kwamdee.evidence.selectors import evidence_shared_with_other_deeds
from kwamdee.people.selectors import members_since

if TYPE_CHECKING:
    from kwamdee.catalog.models import RuleVersion

# --- thresholds, each with why ---------------------------------------------------------------------

# The review showed a verifier minting credit through six accounts made the same week: three
# brand-new accounts verified by one verifier in one day is already unusual for a village.
NEW_ACCOUNT_DAYS = 7
NEW_ACCOUNTS_BULK_MIN = 3
# A person who nears a limit earns the most a deed type allows; 80% leaves the auditor time to
# look before the limit is reached. Limits below 5 are skipped: with a limit of 1 or 2, 80% is
# reached by using the deed type at all (every blood donation would be flagged).
LIMIT_NEAR_SHARE = 0.8
LIMIT_NEAR_SMALLEST = 5
# Five deeds typed within an hour is more than a person records after a normal day; catching up
# on the past weeks looks the same, which is why it is a flag and not a refusal.
BURST_DEEDS = 5
BURST_WINDOW = timedelta(hours=1)
# Ten deeds of one person by the same verifier in a month: the verifier is that person's only
# check, which is what an auditor should know about.
VERIFIER_OFTEN_DEEDS = 10
VERIFIER_OFTEN_DAYS = 30
# Two people who verify each other's deeds within three months confirm their own credit.
MUTUAL_DAYS = 90
# A new member's first deeds (the review: any account may join a community and record at once).
NEW_MEMBER_DAYS = 30
NEW_MEMBER_FIRST_DEEDS = 3

# The deeds that count as credited, for the checks about verifiers.
CREDITED = (DeedStatus.VERIFIED, DeedStatus.REVERSED)
# The deeds a limit counts (as services._limits_check counts them): all but those that earn nothing.
NOT_COUNTED = (DeedStatus.REJECTED, DeedStatus.REVERSED)

Flag = tuple[int, str, dict[str, Any]]  # (deed id, kind, facts)


# --- the one write ----------------------------------------------------------------------------------


def flags_raise(flags: Iterable[Flag]) -> int:
    """Raises each (deed id, kind, facts), in one INSERT; a flag already raised for the same deed
    and kind stays as it was (one flag per deed and kind). Says how many were asked for.

    No audit event of its own: the flag row is itself the dated record, written inside the
    recording or verification whose audit event it follows; what auditors do with it (dismiss,
    reverse) is audited."""
    unique = {(deed_id, kind): facts for deed_id, kind, facts in flags}
    if not unique:
        return 0
    now = timezone.now()
    DeedFlag.objects.bulk_create(
        [DeedFlag(deed_id=d, kind=k, facts=f, raised_at=now) for (d, k), f in unique.items()],
        ignore_conflicts=True,
    )
    return len(unique)


# --- the checks ---------------------------------------------------------------------------------------


def flags_check_recorded(
    deeds: list[Deed],
    *,
    rules: Mapping[int, "RuleVersion"] | None = None,
    with_evidence: bool = False,
    by_the_person: bool = True,
) -> int:
    """The checks of deeds just recorded: a new member's first deeds, a limit approached (when
    `rules`, {deed id: rule in force}, are given), the same file on another deed (when files came
    with them), a burst of deeds (when the person recorded them, not an organizer)."""
    if not deeds:
        return 0
    found = _new_member(deeds)
    if rules:
        found += _limits_near(deeds, rules)
    if with_evidence:
        found += _same_file(deeds)
    if by_the_person:
        found += _burst(deeds)
    return flags_raise(found)


def flags_check_verified(*, actor: Actor, deeds: list[Deed], rules: Mapping[int, "RuleVersion"]) -> int:
    """The checks of deeds just credited by `actor` (their decision already saved): a limit
    approached, and, when a person verified them, brand-new accounts verified together, one
    verifier verifying one person often, two people verifying each other. Deeds locked with
    `verification_facts` (a verification, single or bulk, or an appeal's overturn) bring what
    the last three need, so nothing more is read unless brand-new accounts may reach the flag."""
    if not deeds:
        return 0
    found = _limits_near(deeds, rules)
    verifier = person_or_none(actor)
    if verifier is not None and getattr(verifier, "pk", None):
        if all(getattr(d, FACTS_OF, None) == verifier.pk for d in deeds):
            found += _by_verifier_in_hand(verifier, deeds) + _mutual_in_hand(deeds)
        else:  # deeds recorded and credited at once (an activity's close): read the facts
            found += _by_verifier(verifier, deeds) + _mutual(verifier, deeds)
    return flags_raise(found)


# --- the verifier's facts, read by the query that locks the deeds -----------------------------------

# The annotations `verification_facts` adds, on each locked deed: whose facts they are (the
# verifier's pk), and, before this decision, the deeds of the deed's person that the verifier
# credited within VERIFIER_OFTEN_DAYS, the deeds of the verifier that the deed's person credited
# within MUTUAL_DAYS, and the brand-new accounts (other than the deed's person) whose deeds the
# verifier credited today.
FACTS_OF = "flag_facts_of"
FACT_VERIFIED_RECENTLY = "flag_verified_recently"
FACT_VERIFIED_BACK = "flag_verified_back"
FACT_NEW_ACCOUNTS_TODAY = "flag_new_accounts_today"


def _count(rows: QuerySet[Deed], field: str = "pk", *, distinct: bool = False) -> Any:
    """A correlated COUNT of `rows` as a scalar subquery (0 for none)."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = rows.order_by().annotate(n=Func(F(field), template=template, output_field=IntegerField()))
    return Subquery(counted.values("n")[:1], output_field=IntegerField())


def verification_facts(actor: Actor) -> dict[str, Any]:
    """What the flags of a verification need about `actor`, as annotations for the query that
    locks the deeds (deeds.selectors.deeds_for_decision with crediting=True): read in the
    statement the verification makes anyway, instead of two of their own. {} for the system."""
    verifier = person_or_none(actor)
    if verifier is None or not getattr(verifier, "pk", None):
        return {}
    now = timezone.now()
    day_start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    credited = Deed.objects.filter(status__in=CREDITED)
    return {
        FACTS_OF: Value(verifier.pk, output_field=IntegerField()),
        FACT_VERIFIED_RECENTLY: _count(
            credited.filter(
                person=OuterRef("person"), decided_by=verifier,
                decided_at__gte=now - timedelta(days=VERIFIER_OFTEN_DAYS),
            )
        ),
        FACT_VERIFIED_BACK: _count(
            credited.filter(
                person=verifier, decided_by=OuterRef("person"),
                decided_at__gte=now - timedelta(days=MUTUAL_DAYS),
            )
        ),
        FACT_NEW_ACCOUNTS_TODAY: _count(
            credited.filter(
                decided_by=verifier, decided_at__gte=day_start,
                person__date_joined__gt=now - timedelta(days=NEW_ACCOUNT_DAYS),
            ).exclude(person=OuterRef("person")),
            "person_id", distinct=True,
        ),
    }  # fmt: skip


def _by_verifier_in_hand(verifier: Any, deeds: list[Deed]) -> list[Flag]:
    """`_by_verifier` from the facts the lock brought (counted before these deeds were credited,
    so each person's deeds in this batch are added). Brand-new accounts verified together are
    counted from them only as an upper bound: when it reaches the threshold the flag may be due,
    and `_by_verifier` reads which of today's deeds to flag (one query, where a flag follows)."""
    new_since = timezone.now() - timedelta(days=NEW_ACCOUNT_DAYS)
    new_people = {d.person_id for d in deeds if d.person.date_joined > new_since}
    if new_people:  # today's others, plus the new people of this batch (some may be among them)
        most = min(getattr(d, FACT_NEW_ACCOUNTS_TODAY) for d in deeds if d.person_id in new_people)
        most += len(new_people)
    else:  # nobody here is new, so nobody here is among today's new accounts
        most = max(getattr(d, FACT_NEW_ACCOUNTS_TODAY) for d in deeds)
    if most >= NEW_ACCOUNTS_BULK_MIN:
        return _by_verifier(verifier, deeds)
    in_batch = Counter(d.person_id for d in deeds)
    found: list[Flag] = []
    for d in deeds:
        count = getattr(d, FACT_VERIFIED_RECENTLY) + in_batch[d.person_id]
        if count >= VERIFIER_OFTEN_DEEDS:
            facts = {"count": count, "days": VERIFIER_OFTEN_DAYS, "threshold": VERIFIER_OFTEN_DEEDS}
            found.append((d.pk, FlagKind.VERIFIER_OFTEN, facts))
    return found


def _mutual_in_hand(deeds: list[Deed]) -> list[Flag]:
    """`_mutual` from the facts the lock brought (the verifier's own deeds are never in a batch
    the verifier decides, so the count is the same after it)."""
    return [
        (d.pk, FlagKind.MUTUAL, {"count": getattr(d, FACT_VERIFIED_BACK), "days": MUTUAL_DAYS})
        for d in deeds
        if getattr(d, FACT_VERIFIED_BACK)
    ]


def _new_member(deeds: list[Deed]) -> list[Flag]:
    since = timezone.now() - timedelta(days=NEW_MEMBER_DAYS)
    # A member since the committee approved them (people.selectors.member_since, for a batch).
    joined = members_since({d.person_id: d.person for d in deeds}.values())
    young = {pid for pid, at in joined.items() if at > since}
    if not young:
        return []
    firsts: dict[int, list[int]] = defaultdict(list)
    for person_id, deed_id in (
        Deed.objects.filter(person_id__in=young).order_by("pk").values_list("person_id", "pk")
    ):
        if len(firsts[person_id]) < NEW_MEMBER_FIRST_DEEDS:
            firsts[person_id].append(deed_id)
    return [
        (d.pk, FlagKind.NEW_MEMBER,
         {"nth": firsts[d.person_id].index(d.pk) + 1, "first": NEW_MEMBER_FIRST_DEEDS,
          "days": NEW_MEMBER_DAYS, "joined": joined[d.person_id].date().isoformat()})
        for d in deeds
        if d.pk in firsts.get(d.person_id, [])
    ]  # fmt: skip


def _windows(rule: "RuleVersion", on: date) -> list[tuple[str, int, date, date]]:
    """The rule's limits as (window, limit, first day, last day), as services._limits_check has them."""
    limits = {"day": rule.per_day, "week": rule.per_week, "month": rule.per_month, "year": rule.per_year}
    found = []
    for name, (start, end) in limit_windows(on).items():
        limit = limits[name]
        if limit and limit >= LIMIT_NEAR_SMALLEST:
            found.append((name, limit, start, end))
    return found


def _limits_near(deeds: list[Deed], rules: Mapping[int, "RuleVersion"]) -> list[Flag]:
    windows = {d.pk: _windows(rules[d.pk], d.performed_on) for d in deeds if d.pk in rules}
    windows = {pk: w for pk, w in windows.items() if w}
    if not windows:
        return []
    chosen = [d for d in deeds if d.pk in windows]
    first = min(start for w in windows.values() for _n, _l, start, _e in w)
    last = max(end for w in windows.values() for _n, _l, _s, end in w)
    counted: dict[tuple[int, int], list[date]] = defaultdict(list)
    rows = (
        Deed.objects.filter(
            person_id__in={d.person_id for d in chosen}, deed_type_id__in={d.deed_type_id for d in chosen},
            performed_on__range=(first, last),
        )
        .exclude(status__in=NOT_COUNTED)
        .values_list("person_id", "deed_type_id", "performed_on")
    )  # fmt: skip
    for person_id, deed_type_id, performed_on in rows:
        counted[(person_id, deed_type_id)].append(performed_on)
    found: list[Flag] = []
    for deed in chosen:
        days = counted[(deed.person_id, deed.deed_type_id)]
        nearest = None
        for name, limit, start, end in windows[deed.pk]:
            count = sum(1 for day in days if start <= day <= end)
            if count >= ceil(limit * LIMIT_NEAR_SHARE) and (nearest is None or count / limit > nearest[0]):
                nearest = (count / limit, {"window": name, "count": count, "limit": limit,
                                           "share": round(LIMIT_NEAR_SHARE * 100)})  # fmt: skip
        if nearest:
            found.append((deed.pk, FlagKind.LIMIT_NEAR, nearest[1]))
    return found


def _same_file(deeds: list[Deed]) -> list[Flag]:
    shared = evidence_shared_with_other_deeds([d.pk for d in deeds])
    found: list[Flag] = []
    for deed in deeds:
        others = shared.get(deed.pk, [])
        if others:
            own = sum(1 for _public_id, person_id in others if person_id == deed.person_id)
            found.append(
                (deed.pk, FlagKind.SAME_FILE, {"deeds": [public_id for public_id, _p in others][:10],
                                                "count": len(others), "own": own})
            )  # fmt: skip
    return found


def _burst(deeds: list[Deed]) -> list[Flag]:
    since = timezone.now() - BURST_WINDOW
    counts = dict(
        Deed.objects.filter(person_id__in={d.person_id for d in deeds}, created_at__gte=since)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    return [
        (d.pk, FlagKind.BURST, {"count": counts[d.person_id], "threshold": BURST_DEEDS, "minutes": 60})
        for d in deeds
        if counts.get(d.person_id, 0) >= BURST_DEEDS
    ]


def _by_verifier(verifier: Any, deeds: list[Deed]) -> list[Flag]:
    """Brand-new accounts verified together, and one person verified often: one read of what
    the verifier credited lately (the deeds just decided are saved already)."""
    now = timezone.now()
    day_start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    new_since = now - timedelta(days=NEW_ACCOUNT_DAYS)
    persons = {d.person_id for d in deeds}
    rows = list(
        Deed.objects.filter(
            decided_by=verifier,
            status__in=CREDITED,
            decided_at__gte=now - timedelta(days=VERIFIER_OFTEN_DAYS),
        )
        .filter(Q(person_id__in=persons) | Q(decided_at__gte=day_start, person__date_joined__gt=new_since))
        .values_list("pk", "person_id", "decided_at", "person__date_joined")
    )
    found: list[Flag] = []
    today_new = [(pk, person_id) for pk, person_id, decided_at, joined in rows
                 if decided_at is not None and decided_at >= day_start and joined > new_since]  # fmt: skip
    accounts = len({person_id for _pk, person_id in today_new})
    if accounts >= NEW_ACCOUNTS_BULK_MIN:
        facts = {"accounts": accounts, "threshold": NEW_ACCOUNTS_BULK_MIN, "days": NEW_ACCOUNT_DAYS,
                 "day": timezone.localdate().isoformat()}  # fmt: skip
        found += [(pk, FlagKind.NEW_ACCOUNTS_BULK, facts) for pk, _person_id in today_new]
    per_person = Counter(person_id for _pk, person_id, _at, _joined in rows if person_id in persons)
    found += [
        (d.pk, FlagKind.VERIFIER_OFTEN,
         {"count": per_person[d.person_id], "days": VERIFIER_OFTEN_DAYS, "threshold": VERIFIER_OFTEN_DEEDS})
        for d in deeds
        if per_person.get(d.person_id, 0) >= VERIFIER_OFTEN_DEEDS
    ]  # fmt: skip
    return found


def _mutual(verifier: Any, deeds: list[Deed]) -> list[Flag]:
    """The people whose deeds `verifier` just credited and who credited a deed of the verifier's
    within MUTUAL_DAYS: a cycle of two."""
    since = timezone.now() - timedelta(days=MUTUAL_DAYS)
    back = dict(
        Deed.objects.filter(
            person=verifier, decided_by_id__in={d.person_id for d in deeds}, status__in=CREDITED,
            decided_at__gte=since,
        )
        .values("decided_by_id")
        .annotate(n=Count("id"))
        .values_list("decided_by_id", "n")
    )  # fmt: skip
    return [
        (d.pk, FlagKind.MUTUAL, {"count": back[d.person_id], "days": MUTUAL_DAYS})
        for d in deeds
        if d.person_id in back
    ]


# --- reads --------------------------------------------------------------------------------------------


def deed_flags_open(deeds: Iterable[Any]) -> dict[int, list[DeedFlag]]:
    """The open flags of each deed ({deed id: [flag, …]}, newest first), in one query: the
    verifier's queue shows them beside each deed. Takes deeds or their ids."""
    ids = [getattr(d, "pk", d) for d in deeds]
    found: dict[int, list[DeedFlag]] = {}
    if not ids:
        return found
    for flag in DeedFlag.objects.filter(deed_id__in=ids, state=FlagState.OPEN):
        found.setdefault(flag.deed_id, []).append(flag)
    return found


def flags_open(*, kind: str = "") -> Any:
    """The auditor's desk: open flags, newest first, with their deed, its type and person."""
    flags = DeedFlag.objects.filter(state=FlagState.OPEN).select_related(
        "deed__deed_type", "deed__person", "deed__decided_by"
    )
    if kind:
        flags = flags.filter(kind=kind)
    return flags.order_by("-raised_at", "-id")


def flag_get(public_id: Any) -> DeedFlag | None:
    try:
        return (
            DeedFlag.objects.select_related(
                "deed__deed_type", "deed__person", "deed__decided_by", "decided_by"
            )
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, TypeError):
        return None


def flags_of_deed(deed: Deed) -> list[DeedFlag]:
    """Every flag of one deed, open or decided, newest first (the flag's page lists the others)."""
    return list(DeedFlag.objects.filter(deed=deed).select_related("decided_by"))


def flags_of_person(*, person: Any) -> Any:
    """The flags on a person's deeds (their data: "my data" lists them)."""
    return DeedFlag.objects.filter(deed__person=person).select_related("deed").order_by("raised_at", "id")


# --- words ----------------------------------------------------------------------------------------------


def _window_words(name: str) -> str:
    return {"day": _("in one day"), "week": _("in one week"), "month": _("in one month"),
            "year": _("in one year")}.get(name, name)  # fmt: skip


def flag_explain(flag: DeedFlag) -> str:
    """The flag in plain words, in the active language, from its kind and facts."""
    f = flag.facts or {}
    kind = flag.kind
    if kind == FlagKind.NEW_ACCOUNTS_BULK:
        return _(
            "On one day the verifier of this deed verified deeds of %(accounts)s accounts made less than "
            "%(days)s days before (a flag is raised from %(threshold)s)."
        ) % {"accounts": f.get("accounts", "?"), "days": f.get("days", NEW_ACCOUNT_DAYS),
             "threshold": f.get("threshold", NEW_ACCOUNTS_BULK_MIN)}  # fmt: skip
    if kind == FlagKind.LIMIT_NEAR:
        return _(
            "This person has %(count)s deeds of this type %(window)s, of a limit of %(limit)s (a flag is "
            "raised from %(share)s%% of a limit)."
        ) % {"count": f.get("count", "?"), "window": _window_words(f.get("window", "")),
             "limit": f.get("limit", "?"),
             "share": f.get("share", round(LIMIT_NEAR_SHARE * 100))}  # fmt: skip
    if kind == FlagKind.SAME_FILE:
        count = int(f.get("count", 1) or 1)
        return ngettext(
            "A file of this deed has exactly the same content as a file of %(count)s other deed "
            "(this person's own: %(own)s).",
            "A file of this deed has exactly the same content as files of %(count)s other deeds "
            "(this person's own: %(own)s).",
            count,
        ) % {"count": count, "own": f.get("own", 0)}
    if kind == FlagKind.BURST:
        return _(
            "This person recorded %(count)s deeds within %(minutes)s minutes (a flag is raised from "
            "%(threshold)s)."
        ) % {"count": f.get("count", "?"), "minutes": f.get("minutes", 60),
             "threshold": f.get("threshold", BURST_DEEDS)}  # fmt: skip
    if kind == FlagKind.VERIFIER_OFTEN:
        return _(
            "The verifier of this deed verified %(count)s deeds of this person in %(days)s days (a flag is "
            "raised from %(threshold)s)."
        ) % {"count": f.get("count", "?"), "days": f.get("days", VERIFIER_OFTEN_DAYS),
             "threshold": f.get("threshold", VERIFIER_OFTEN_DEEDS)}  # fmt: skip
    if kind == FlagKind.MUTUAL:
        count = int(f.get("count", 1) or 1)
        return ngettext(
            "This person and the verifier of this deed verify each other: this person verified %(count)s "
            "deed of the verifier within %(days)s days.",
            "This person and the verifier of this deed verify each other: this person verified %(count)s "
            "deeds of the verifier within %(days)s days.",
            count,
        ) % {"count": count, "days": f.get("days", MUTUAL_DAYS)}
    if kind == FlagKind.NEW_MEMBER:
        return _(
            "Deed %(nth)s of the first %(first)s of a member who joined less than %(days)s days before."
        ) % {"nth": f.get("nth", "?"), "first": f.get("first", NEW_MEMBER_FIRST_DEEDS),
             "days": f.get("days", NEW_MEMBER_DAYS)}  # fmt: skip
    return str(FlagKind(kind).label) if kind in FlagKind.values else kind
