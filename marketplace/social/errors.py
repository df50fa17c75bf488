"""Refusals of the WeChat link (each with a stable code, see marketplace.errors.DomainError)."""
from marketplace.errors import DomainError


class WeChatLinkRefused(DomainError):
    code = "wechat_link_refused"


class IdentityAlreadyLinked(WeChatLinkRefused):
    """One WeChat identity belongs to at most one person."""

    code = "wechat_already_linked"


class AccountInactive(WeChatLinkRefused):
    code = "account_inactive"


class CodeNotSent(WeChatLinkRefused):
    code = "code_not_sent"
