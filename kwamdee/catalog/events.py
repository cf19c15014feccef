from kwamdee.common.events import EventType


class CatalogEvent(EventType):
    DEED_TYPE_CREATE = "deed_type:create"
    DEED_TYPE_UPDATE = "deed_type:update"
    DEED_TYPE_PROPOSE = "deed_type:propose"
    DEED_TYPE_APPROVE = "deed_type:approve"
    CATALOG_IMPORT = "catalog:import"
    CATEGORY_CREATE = "category:create"
    CATEGORY_UPDATE = "category:update"
    COMMUNITY_CATALOG_SWITCH = "community:catalog_switch"
    COMMUNITY_RULE_ADJUST = "community:rule_adjust"
    SEARCH_SYNONYM_CREATE = "search_synonym:create"
    SEARCH_SYNONYM_UPDATE = "search_synonym:update"
    SEARCH_SYNONYM_DELETE = "search_synonym:delete"
    SEARCH_SYNONYMS_IMPORT = "search_synonym:import"
