from kwamdee.common.events import EventType


class TimeBankEvent(EventType):
    LIMIT_SET = "timebank:limit_set"
    CATEGORY_LINK = "time_category:link"
    CATEGORIES_LOAD = "time_category:load"
    LISTING_POST = "time_listing:post"
    LISTING_CLOSE = "time_listing:close"
    EXCHANGE_PROPOSE = "time_exchange:propose"
    EXCHANGE_CONFIRM = "time_exchange:confirm"
    EXCHANGE_DECLINE = "time_exchange:decline"
    EXCHANGE_WITHDRAW = "time_exchange:withdraw"
    EXCHANGE_POOL_COVER = "time_exchange:pool_cover"
    POOL_DONATE = "time_pool:donate"
