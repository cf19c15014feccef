"""factory_boy factories for the catalog, created through the catalog's service
(`deed_type_create`), so that a test deed type has its rule version and audit event as a real
one does. The virtues and the category must exist first (`tests.factories.load_small_catalog`)."""

import factory

from kwamdee.catalog.models import DeedType
from kwamdee.catalog.services import deed_type_create
from kwamdee.common.actors import SystemActor


class DeedTypeFactory(factory.Factory):
    """A national deed type, in the flat text shape of a catalog file's row
    (catalog/validation.py's columns); pass `community=` for a community's own, proposed."""

    class Meta:
        model = DeedType

    code = factory.Sequence(lambda n: f"test-deed-{n}")
    category = "volunteering"
    name_th = factory.Sequence(lambda n: f"ความดีทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test deed {n}")
    pricing = "per_deed"
    credit_per_unit = "10"
    points_per_unit = "10"
    virtues = "volunteerism=1"
    sdgs = "11"

    @classmethod
    def _create(cls, model_class, **kwargs):
        community = kwargs.pop("community", None)
        return deed_type_create(actor=SystemActor("tests"), row=kwargs, community=community)
