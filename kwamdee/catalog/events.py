from kwamdee.common.events import EventType


class CatalogEvent(EventType):
    DEED_TYPE_CREATE = "deed_type:create"
    DEED_TYPE_UPDATE = "deed_type:update"
    CATALOG_IMPORT = "catalog:import"
    CATEGORY_CREATE = "category:create"
    CATEGORY_UPDATE = "category:update"
    COMMUNITY_CATALOG_SWITCH = "community:catalog_switch"
    COMMUNITY_RULE_ADJUST = "community:rule_adjust"
