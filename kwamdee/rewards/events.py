from kwamdee.common.events import EventType


class RewardsEvent(EventType):
    SPONSOR_CREATE = "sponsor:create"
    SPONSOR_MEMBER_ADD = "sponsor:member_add"
    SPONSOR_ORGANIZATION_SET = "sponsor:organization_set"
    SPONSORSHIP_PLEDGE = "sponsorship:pledge"
    SPONSORSHIP_BONUS_PAY = "sponsorship:bonus_pay"
    SPONSORSHIP_FUND = "sponsorship:fund"
    LEVELS_SET = "levels:set"
    PARTNER_REGISTER = "partner:register"
    PARTNER_DECIDE = "partner:decide"
    PARTNER_STAFF_ADD = "partner:staff_add"
    PARTNER_STAFF_REMOVE = "partner:staff_remove"
    PARTNER_TOKEN_ISSUE = "partner:token_issue"
    PARTNER_TOKEN_REVOKE = "partner:token_revoke"
    PRIVILEGE_OFFER = "privilege:offer"
    PRIVILEGE_UPDATE = "privilege:update"
    PRIVILEGE_WITHDRAW = "privilege:withdraw"
    REDEMPTION_HOLD = "redemption:hold"
    REDEMPTION_CONFIRM = "redemption:confirm"
    REDEMPTION_EXPIRE = "redemption:expire"
    REDEMPTION_CANCEL = "redemption:cancel"
