from kwamdee.common.events import EventType


class AreasEvent(EventType):
    COMMUNITY_CREATE = "community:create"
    COMMUNITY_ADMIN_GRANT = "community:admin_grant"
    COMMUNITY_CATALOG_ADOPT = "community:catalog_adopt"
