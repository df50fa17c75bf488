"""Payout gateways: WeChat Pay transfers and Stripe Connect transfers (bank transfers go by file)."""
from __future__ import annotations

from subsidies.gateways.base import PayoutGateway


def gateway_for(method: str) -> PayoutGateway:
    """The gateway of a payout method, built from settings (the same keys as marketplace.payments)."""
    if method == "wechat":
        from subsidies.gateways.wechat import WeChatTransferGateway

        return WeChatTransferGateway.from_settings()
    if method == "stripe":
        from subsidies.gateways.stripe_connect import StripeConnectGateway

        return StripeConnectGateway.from_settings()
    raise ValueError(method)
