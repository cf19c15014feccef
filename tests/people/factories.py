"""factory_boy factories for people. They create through the real service (person_signup), so
that a test person has consent, a role and an audit event, as a real one does. A test person's
phone or e-mail counts as confirmed (`contact_proven`), so that they can record deeds; pass
`contact_proven=False` for one who has yet to enter the code sent at sign-up.

Signing up in a community's subdistrict asks to join it (people/membership.py): a test person's
request is approved by the system, so that they are a member as before; pass
`community_member=False` for one whose request still waits for the committee."""

import factory

from kwamdee.common.actors import SystemActor
from kwamdee.people.choices import MembershipState
from kwamdee.people.membership import membership_approve
from kwamdee.people.models import User
from kwamdee.people.selectors import membership_current
from kwamdee.people.services import person_signup

NONG_SARAI = "710911"
PASSWORD = "good-deeds-2569"


class PersonFactory(factory.Factory):
    class Meta:
        model = User

    full_name = "สมหญิง รักดี"
    phone = factory.Sequence(lambda n: f"08{n + 1:08d}")
    subdistrict_code = NONG_SARAI
    password = PASSWORD
    contact_proven = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        member = kwargs.pop("community_member", True)
        person = person_signup(consent_given=True, **kwargs)
        waiting = membership_current(person)
        if member and waiting is not None and waiting.state == MembershipState.PENDING:
            membership_approve(actor=SystemActor("tests"), membership_public_id=waiting.public_id)
            person.refresh_from_db()
        return person
