"""The demo (`seed_demo`) loads every feature's data through the services, and again changes
nothing: a newcomer can walk it, and `make run` can run it every time."""

import pytest
from django.core.management import call_command

from kwamdee.appeals.models import Appeal
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed, DeedFlag, DeedQuestion
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.models import User
from kwamdee.rewards.models import SponsorshipPayment


@pytest.mark.django_db
def test_seed_demo_walks_every_role_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (User.objects.count(), Deed.objects.count(), LedgerTransaction.objects.count())

    verifier = User.objects.get(phone="0810000001")
    admin = User.objects.get(phone="0810000006")
    sponsor = User.objects.get(phone="0810000007")
    staff = User.objects.get(phone="0810000005")
    org_admin = User.objects.get(phone="0810000008")
    auditor = User.objects.get(phone="0810000009")
    partner = User.objects.get(phone="0810000010")
    assert verifier.has_perm("deeds.verify_deed")
    assert admin.has_perm("catalog.adapt_catalog") and admin.administered_communities.exists()
    assert sponsor.has_perm("rewards.pledge_sponsorship")
    assert staff.has_perm("catalog.manage_catalog")
    assert org_admin.has_perm("organizations.manage_organization") and org_admin.memberships.filter(
        role="admin"
    )
    assert auditor.has_perm("ledger.audit_ledger") and not auditor.has_perm("deeds.verify_deed")
    # the auditor's desk is not empty: a burst and a cycle among the open flags (deeds/flags.py)
    assert auditor.has_perm("deeds.review_flags") and auditor.has_perm("deeds.reverse_credit")
    assert {"burst", "mutual"} <= set(DeedFlag.objects.filter(state="open").values_list("kind", flat=True))
    flags = DeedFlag.objects.count()
    assert list(partner.groups.values_list("name", flat=True).order_by("name")) == ["citizen", "partner"]
    statuses = set(Deed.objects.values_list("status", flat=True))
    assert statuses == {"pending", "verified", "rejected", "needs_info", "awaiting_witnesses"}
    # a neighbour's deed waits for the citizen role's answer as its witness; an elder's deed was
    # recorded on her behalf by the citizen role (her helper)
    waiting = Deed.objects.get(status="awaiting_witnesses")
    assert list(waiting.witnesses.values_list("witness__phone", flat=True)) == ["0810000002"]
    elder_deed = Deed.objects.get(person__phone="0810000014")
    assert elder_deed.recorded_by.phone == "0810000002" and elder_deed.status == "pending"
    # a deed the verifier asked about, and the appeal of the one they rejected, for another to decide
    assert DeedQuestion.objects.filter(answered_at__isnull=True, asked_by__phone="0810000001").exists()
    assert Appeal.objects.get(status="open").rejected_by.phone == "0810000001"
    assert SponsorshipPayment.objects.exists()  # a demo deed earned the sponsor's bonus
    assert passbook_get(person=User.objects.get(phone="0810000002")).credit_total > 0
    # the system's own work is audited under its name, never as nobody
    assert AuditEvent.objects.filter(system_actor="seed_demo").exists()
    assert not AuditEvent.objects.filter(actor__isnull=True, system_actor="").exists()

    call_command("seed_demo", verbosity=0)
    assert (User.objects.count(), Deed.objects.count(), LedgerTransaction.objects.count()) == counts
    assert Appeal.objects.count() == 1 and DeedQuestion.objects.count() == 1
    assert DeedFlag.objects.count() == flags
    assert ledger_verify().ok


@pytest.mark.django_db
def test_seed_demo_leaves_one_request_to_join_for_the_community_admin():
    # people/membership.py: every demo person is a member; the newcomer's request waits for the
    # community admin, who can approve it, and a second run leaves it as it is
    from kwamdee.people.membership import membership_approve
    from kwamdee.people.models import CommunityMembership, User
    from kwamdee.people.selectors import membership_requests_waiting

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    admin = User.objects.get(phone="0810000006")
    [waiting] = membership_requests_waiting(admin)
    assert waiting.person.phone == "0810000012" and waiting.person.community is None
    demo_people = User.objects.filter(phone__startswith="081").exclude(phone="0810000012")
    assert all(person.community_id == waiting.community_id for person in demo_people)
    assert CommunityMembership.objects.filter(state="pending").count() == 1
    membership_approve(actor=admin, membership_public_id=waiting.public_id)
    assert User.objects.get(phone="0810000012").community_id == waiting.community_id


@pytest.mark.django_db
def test_seed_demo_shows_the_organization_level():
    # kwamdee/demo/organizations_demo.py: an assessed อบต. with figures, a business whose
    # self-assessment waits for the assessor, a school waiting for staff, an invitation waiting.
    from django.utils import timezone

    from kwamdee.assessments.selectors import assessments_to_score
    from kwamdee.impact.selectors import directory_organizations, directory_rows, organization_profile
    from kwamdee.organizations.selectors import invitations_for, registrations_waiting

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    rows = {row.organization.name_th: row for row in directory_rows(directory_organizations())}
    council = rows["องค์การบริหารส่วนตำบลหนองสาหร่าย"]
    assert council.certificate is not None
    profile = organization_profile(council.organization, year=timezone.localdate().year)
    assert profile.activities_run == 1 and profile.participants == 8 and profile.credit_total
    assert not profile.members.hidden and profile.members.people >= 5
    business = rows["บริษัท ใจดีเพื่อชุมชน จำกัด"].organization
    assert organization_profile(business, year=timezone.localdate().year).sponsorships
    assessor = User.objects.get(phone="0810000017")
    assert [a.organization for a in assessments_to_score(assessor)] == [business]
    assert [o.name_th for o in registrations_waiting()] == ["โรงเรียนบ้านหนองสาหร่าย"]
    assert invitations_for(User.objects.get(phone="0810000002")).count() == 1
