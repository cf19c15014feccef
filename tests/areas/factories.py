"""factory_boy factories for communities, created through the areas service."""

import factory

from kwamdee.areas.models import Community
from kwamdee.areas.services import community_create
from kwamdee.common.actors import SystemActor


class CommunityFactory(factory.Factory):
    class Meta:
        model = Community

    name_th = "ธนาคารความดีหนองสาหร่าย"
    name_en = "Nong Sarai Goodness Bank"
    subdistrict_code = "710911"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return community_create(actor=SystemActor("tests"), **kwargs)
