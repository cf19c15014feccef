"""The rewards app's part of erasure (common/erasure.py).

- Sponsors: the person no longer acts for any sponsor (a role, not history). Pledges and payments
  belong to the sponsor and stay; a sponsor left with no member needs staff to add one.
- Redemptions: every code still waiting is cancelled through the release a cancel uses
  (redemptions.redemptions_release_for_erasure): the held points go back to the person's
  pseudonymous accounts and the item to the privilege's stock, each as a ledger transaction and a
  `redemption:cancel` event. The rows stay, linked to the tombstone, as the record of points spent
  (the partner's counts, the reports by area and the ledger's source): privilege, partner,
  points, state and dates say nothing about who the person was. No code shows the person's name
  any more (`identity_shared` is cleared on all of them), and the idempotency key the client sent
  is replaced by the redemption's own public id.
- Partners: the person leaves the counter staff of every partner (a role). A partner left with
  no staff serves its counter only through its tokens until someone is added. A partner's
  contact phone or e-mail that is the person's own is cleared (it was theirs, not the
  business's); the partner's name and address stay (the business's). Tokens the person made stay
  (they are the partner's till), naming the tombstone as their maker."""

from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from kwamdee.common.erasure import personal_data_eraser
from kwamdee.rewards.models import Partner, Redemption, Sponsor
from kwamdee.rewards.redemptions import redemptions_release_for_erasure


@personal_data_eraser("sponsors", order=62)
def sponsor_members_erase(person: Any) -> int:
    return Sponsor.members.through.objects.filter(user=person).delete()[0]


@personal_data_eraser("redemptions", order=63)
def redemptions_erase(person: Any) -> int:
    released = redemptions_release_for_erasure(person)
    changed = Redemption.objects.filter(person=person).update(
        identity_shared=False,
        idempotency_key=Cast("public_id", output_field=CharField()),
        updated_at=timezone.now(),
    )
    return released + changed


@personal_data_eraser("partners", order=64)
def partner_staff_erase(person: Any) -> int:
    changed = Partner.staff.through.objects.filter(user=person).delete()[0]
    now = timezone.now()
    registered = Partner.objects.filter(registered_by=person)
    if person.phone:
        changed += registered.filter(contact_phone=person.phone).update(contact_phone="", updated_at=now)
    if person.email:
        changed += registered.filter(contact_email__iexact=person.email).update(
            contact_email="", updated_at=now
        )
    return changed
