"""factory_boy factories for deeds, recorded through the deeds service (`deed_record`), so that a
test deed is checked against its rule and limits and audited as a real one is. It is pending; a
test verifies it with `deed_verify`. The deed type must exist first (`load_small_catalog`, or
`tests.catalog.factories.DeedTypeFactory`)."""

import factory

from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from tests.factories import days_ago
from tests.people.factories import PersonFactory


class DeedFactory(factory.Factory):
    class Meta:
        model = Deed

    person = factory.SubFactory(PersonFactory)
    deed_type = None  # required: a DeedType
    performed_on = factory.LazyFunction(lambda: days_ago(1))
    description = "ช่วยงานส่วนรวมของหมู่บ้าน"
    quantity = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        person, deed_type = kwargs.pop("person"), kwargs.pop("deed_type")
        return deed_record(actor=person, deed_type_public_id=deed_type.public_id, **kwargs)
