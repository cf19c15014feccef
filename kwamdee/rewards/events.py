from kwamdee.common.events import EventType


class RewardsEvent(EventType):
    SPONSOR_CREATE = "sponsor:create"
    SPONSOR_MEMBER_ADD = "sponsor:member_add"
    SPONSORSHIP_PLEDGE = "sponsorship:pledge"
    SPONSORSHIP_BONUS_PAY = "sponsorship:bonus_pay"
    SPONSORSHIP_FUND = "sponsorship:fund"
