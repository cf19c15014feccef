"""factory_boy factories for people. They create through the real service (person_signup), so
that a test person has consent, a role and an audit event, as a real one does. A test person's
phone or e-mail counts as confirmed (`contact_proven`), so that they can record deeds; pass
`contact_proven=False` for one who has yet to enter the code sent at sign-up."""

import factory

from kwamdee.people.models import User
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
        return person_signup(consent_given=True, **kwargs)
