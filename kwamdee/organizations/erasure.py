"""The organizations app's part of erasure (common/erasure.py), one eraser for all of it:

- the person's memberships (roles they held, not history) are removed; what they did in a role
  stays with the deeds they decided;
- their links to organizations are removed (their deeds no longer count in any organization's
  totals; the people app's eraser withdraws their consents anyway);
- invitations sent to their phone or e-mail, or answered by them, are removed (the address is
  theirs; the audit event of each names no address);
- the organizations they registered stay (they are the organizations' own records), naming the
  tombstone; a contact there that is the person's own phone or e-mail is emptied. A registration
  never approved has nobody left to answer for it: the system declines it, and its contacts,
  address, answer and documents are removed (the files once the erasure is committed)."""

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from kwamdee.common.erasure import ERASED_TEXT, personal_data_eraser
from kwamdee.organizations.choices import OrganizationState
from kwamdee.organizations.models import Membership, Organization, OrganizationDocument, OrganizationLink
from kwamdee.organizations.personal_data import invitations_to


@personal_data_eraser("memberships", order=60)
def memberships_erase(person: Any) -> int:
    changed = Membership.objects.filter(person=person).delete()[0]
    changed += OrganizationLink.objects.filter(person=person).delete()[0]
    changed += invitations_to(person).delete()[0]
    return changed + _registrations_erase(person)


def _registrations_erase(person: Any) -> int:
    now = timezone.now()
    changed = 0
    registered = Organization.objects.filter(registered_by=person)
    if person.phone:
        changed += registered.filter(phone=person.phone).update(phone="", updated_at=now)
    if person.email:
        changed += registered.filter(email=person.email).update(email="", updated_at=now)
    unapproved = registered.exclude(state=OrganizationState.APPROVED)
    documents = OrganizationDocument.objects.filter(organization__in=unapproved)
    names = [name for name in documents.values_list("file", flat=True) if name]
    changed += documents.delete()[0]
    unapproved.exclude(answer="").update(answer=ERASED_TEXT)
    changed += unapproved.update(
        state=OrganizationState.DECLINED, phone="", email="", address="", updated_at=now
    )
    if names:
        transaction.on_commit(lambda: _files_delete(names))
    return changed


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
