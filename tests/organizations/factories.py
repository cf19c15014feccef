"""factory_boy factories for organizations, created through the organizations service."""

import factory

from kwamdee.common.actors import SystemActor
from kwamdee.organizations.choices import OrganizationKind
from kwamdee.organizations.models import Organization
from kwamdee.organizations.services import organization_create, organization_types_default_load


class OrganizationFactory(factory.Factory):
    class Meta:
        model = Organization

    name_th = "อบต.ทดสอบ"
    kind = OrganizationKind.LOCAL_GOVERNMENT
    scope_area_code = "710911"

    @classmethod
    def _create(cls, model_class, **kwargs):
        # A transactional test (the browser's) runs on a database flushed after migrating: the
        # default types, migration data, are made again where missing.
        organization_types_default_load(actor=SystemActor("tests"))
        return organization_create(actor=SystemActor("tests"), **kwargs)
