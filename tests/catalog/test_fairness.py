"""The fairness review, catalog side: a community's own deed types stay within national bounds
and take effect only after a second approver (another committee member, or national staff)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kwamdee.catalog.errors import LocalRuleOutOfBounds, ProposalNotApprovable, ProposalWaiting
from kwamdee.catalog.models import DeedType, RuleVersion
from kwamdee.catalog.selectors import deed_types_for_person, rule_proposals_waiting
from kwamdee.catalog.services import (
    community_rule_adjust,
    deed_type_create,
    deed_type_update,
    rule_proposal_approve,
)
from kwamdee.catalog.validation import local_rule_problems
from kwamdee.common.errors import ValidationFailed
from kwamdee.common.models import AuditEvent
from tests.api.test_api import post, token_for
from tests.catalog.test_services import make_community_admin, make_staff, new_row, record, verified
from tests.factories import make_community, make_person, make_verifier

LOCAL = {"code": "village-well-care", "per_day": "1", "per_year": "100", "evidence": "none"}


@pytest.fixture
def community(deed_types):
    return make_community()


@pytest.fixture
def admin(community):
    return make_community_admin(community)


@pytest.fixture
def second_admin(community):
    return make_community_admin(community, name="กรรมการ คนที่สอง")


def test_the_rule_names_every_bound():
    row = {"pricing": "per_hour", "credit_per_unit": 1000, "points_per_unit": 1000, "per_day": None,
           "per_year": 100_000}  # fmt: skip
    assert set(local_rule_problems(row)) == {"credit_per_unit", "points_per_unit", "per_day", "per_year"}
    ok = {"pricing": "per_hour", "credit_per_unit": 10, "points_per_unit": 10, "per_day": 4, "per_year": 200}
    assert local_rule_problems(ok) == {}


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"credit_per_unit": "1000", "points_per_unit": "1000"}, {"credit_per_unit", "points_per_unit"}),
        ({"pricing": "per_deed", "credit_per_unit": "31"}, {"credit_per_unit"}),
        ({"per_day": ""}, {"per_day"}),
        ({"per_year": ""}, {"per_year"}),
        ({"per_day": "50"}, {"per_day"}),
    ],
)
def test_out_of_bounds_or_without_limits_is_refused(community, admin, overrides, fields):
    with pytest.raises(LocalRuleOutOfBounds) as exc:
        deed_type_create(actor=admin, row=new_row(**{**LOCAL, **overrides}), community=community)
    assert set(exc.value.fields) == fields
    assert all(str(m) for ms in exc.value.fields.values() for m in ms)
    assert not DeedType.objects.filter(code="village-well-care").exists()


def test_an_edit_out_of_bounds_is_refused(community, admin, second_admin):
    local = deed_type_create(actor=admin, row=new_row(**LOCAL), community=community)
    rule_proposal_approve(actor=second_admin, proposal=rule_proposals_waiting(community)[0])
    with pytest.raises(LocalRuleOutOfBounds):
        deed_type_update(actor=admin, deed_type=local, row=new_row(**LOCAL, credit_per_unit="500"))
    assert not rule_proposals_waiting(community)


def test_a_quantity_over_the_bound_is_refused(community, admin, second_admin):
    local = deed_type_create(actor=admin, row=new_row(**LOCAL), community=community)  # per_hour: ≤ 8
    rule_proposal_approve(actor=second_admin, proposal=rule_proposals_waiting(community)[0])
    member = make_person(name="สมาชิก ชุมชน")
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        record(member, local, quantity="9")
    # The message names the bound in force for this type, not the national 24 hours.
    assert [str(m) for m in exc.value.fields["quantity"]] == ["Enter the hours, more than 0 and at most 8."]
    assert record(member, local, quantity="8").quantity == 8


def test_proposed_type_is_not_recordable_until_a_second_admin_approves(community, admin, second_admin):
    member = make_person(name="สมาชิก ชุมชน")
    local = deed_type_create(actor=admin, row=new_row(**LOCAL), community=community)
    assert local.proposed and not local.rule_versions.exists()
    assert local not in deed_types_for_person(member)
    with pytest.raises(ValidationFailed):
        record(member, local)
    [proposal] = rule_proposals_waiting(community)

    with pytest.raises(ProposalNotApprovable):  # the proposer cannot approve their own
        rule_proposal_approve(actor=admin, proposal=proposal)
    with pytest.raises(ProposalNotApprovable):  # nor can a member
        rule_proposal_approve(actor=member, proposal=proposal)
    rule = rule_proposal_approve(actor=second_admin, proposal=proposal)

    local.refresh_from_db()
    assert not local.proposed and rule.version == 1 and rule.created_by == admin
    assert local in deed_types_for_person(member)
    verifier = make_verifier(name="ผู้ตรวจ ตำบล")
    assert verified(verifier, record(member, local, quantity="2")).credit_awarded == 12
    events = AuditEvent.objects.filter(event_type__in=["deed_type:propose", "deed_type:approve"])
    assert [(e.event_type, e.actor_id) for e in events.order_by("id")] == [
        ("deed_type:propose", admin.pk), ("deed_type:approve", second_admin.pk)
    ]  # fmt: skip
    with pytest.raises(ValidationFailed):  # approved once
        rule_proposal_approve(actor=second_admin, proposal=proposal)


def test_staff_can_approve_and_a_change_waits_for_approval(community, admin):
    local = deed_type_create(actor=admin, row=new_row(**LOCAL), community=community)
    staff = make_staff()
    rule_proposal_approve(actor=staff, proposal=rule_proposals_waiting(community)[0])
    # a change of points waits; the rule in force stays the approved one
    deed_type_update(actor=admin, deed_type=local, row=new_row(**LOCAL, credit_per_unit="8"))
    assert RuleVersion.objects.filter(deed_type=local).count() == 1
    with pytest.raises(ProposalWaiting):  # a second, different change waits for the first
        deed_type_update(actor=admin, deed_type=local, row=new_row(**LOCAL, credit_per_unit="9"))
    rule = rule_proposal_approve(actor=staff, proposal=rule_proposals_waiting(community)[0])
    assert (rule.version, rule.credit_per_unit, rule.effective_from) == (2, 8, timezone.localdate())


def test_a_community_adjustment_waits_for_approval(community, admin, second_admin, deed_types):
    deed_type = deed_types["returning-lost-property"]
    community_rule_adjust(
        actor=admin, community=community, deed_type=deed_type, effective_from=timezone.localdate(),
        credit_per_unit=30, points_per_unit=10,
    )  # fmt: skip
    assert not deed_type.rule_versions.filter(community=community).exists()
    rule = rule_proposal_approve(actor=second_admin, proposal=rule_proposals_waiting(community)[0])
    assert (rule.community, rule.credit_per_unit) == (community, 30)


def test_web_refuses_out_of_bounds_and_lists_the_proposal(client, community, admin, second_admin):
    from tests.catalog.test_views import FORM

    form = FORM | {"code": "village-well-care", "per_day": "1", "per_year": "100", "credit_per_unit": "5",
                   "points_per_unit": "5"}  # fmt: skip
    client.force_login(admin)
    url = reverse("catalog:community_local_new", args=[community.public_id])
    response = client.post(url, form | {"credit_per_unit": "1000"})
    assert response.status_code == 200 and not DeedType.objects.filter(code="village-well-care").exists()
    assert "ระดับประเทศ" in response.content.decode() or "national bound" in response.content.decode()
    response = client.post(url, form)
    assert response.status_code == 302
    page = client.get(reverse("catalog:community", args=[community.public_id])).content.decode()
    assert 'data-testid="proposals"' in page and "community_proposal_approve" not in page
    assert "/approve/" not in page  # the proposer sees no approve button
    client.force_login(second_admin)
    page = client.get(reverse("catalog:community", args=[community.public_id])).content.decode()
    proposal = rule_proposals_waiting(community)[0]
    approve = reverse("catalog:community_proposal_approve", args=[community.public_id, proposal.public_id])
    assert approve in page
    assert client.post(approve).status_code == 302
    assert not DeedType.objects.get(code="village-well-care").proposed


def test_api_refuses_out_of_bounds(client, community, admin):
    token = token_for(client, admin.phone)
    base = f"/api/v1/catalog/communities/{community.public_id}"
    row = {"code": "api-local", "name_th": "ดูแลบ่อน้ำ", "name_en": "Well care", "pricing": "per_unit",
           "unit_name_th": "ครั้ง", "unit_name_en": "time", "credit_per_unit": 1000,
           "points_per_unit": 1000, "virtues": {"volunteerism": 1}, "sdgs": ["6"]}  # fmt: skip
    refused = post(client, f"{base}/deed-types", row, token)
    assert refused.status_code == 400 and refused.json()["code"] == "local_rule_out_of_bounds"
    assert {"credit_per_unit", "points_per_unit", "per_day", "per_year"} <= set(refused.json()["fields"])
    ok = post(client, f"{base}/deed-types", row | {"credit_per_unit": 5, "points_per_unit": 5,
                                                    "per_day": 1, "per_year": 50}, token)  # fmt: skip
    assert ok.status_code == 201 and ok.json()["rule_in_force"] is None
    [proposal] = client.get(f"{base}/proposals", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    own = post(client, f"{base}/proposals/{proposal['public_id']}/approve", {}, token)
    assert own.status_code == 403 and own.json()["code"] == "proposal_not_approvable"


def test_import_never_writes_a_local_deed_type(deed_types, community, admin):
    """The catalog import writes national deed types only (a local code is refused), so a local
    deed type comes only through deed_type_create, which applies the bounds."""
    from kwamdee.catalog.errors import CatalogImportInvalid
    from kwamdee.catalog.services import catalog_load
    from tests.factories import SYSTEM

    deed_type_create(actor=admin, row=new_row(**LOCAL), community=community)
    item = {**new_row(**LOCAL), "virtues": {"volunteerism": 1}, "sdgs": ["6"], "indicators": []}
    with pytest.raises(CatalogImportInvalid):
        catalog_load(actor=SYSTEM, data={"deed_types": [item]})
