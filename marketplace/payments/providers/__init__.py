"""Which payment providers are enabled (settings.PAYMENT_PROVIDERS) and the gateway of each.

Gateways are built from settings and kept per process, keyed by their settings so a change (as in tests)
builds a new one. WeChat Pay's client downloads the platform certificates when it is built.
"""
from __future__ import annotations

import threading

from django.conf import settings

from marketplace.payments.models import PROVIDER_OF_METHOD, PaymentMethod, Provider
from marketplace.payments.providers.base import PaymentGateway

_cache: dict[tuple, PaymentGateway] = {}
_lock = threading.Lock()


def enabled_providers() -> list[str]:
    configured = getattr(settings, "PAYMENT_PROVIDERS", ["cash", "wechat", "stripe"])
    return [provider for provider in Provider.values if provider in configured]


def enabled_methods() -> list[str]:
    providers = enabled_providers()
    return [method for method in PaymentMethod.values if PROVIDER_OF_METHOD[method] in providers]


def _wechat_settings() -> tuple:
    return tuple(
        getattr(settings, name, None)
        for name in (
            "WECHATPAY_MCHID", "WECHATPAY_APPID", "WECHATPAY_APIV3_KEY", "WECHATPAY_CERT_SERIAL_NO",
            "WECHATPAY_PRIVATE_KEY", "WECHATPAY_PRIVATE_KEY_PATH", "WECHATPAY_PUBLIC_KEY", "WECHATPAY_PUBLIC_KEY_ID",
            "WECHATPAY_CERT_DIR", "WECHATPAY_NOTIFY_URL", "WECHATPAY_API_BASE",
        )
    )


def _stripe_settings() -> tuple:
    return tuple(
        getattr(settings, name, None)
        for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "STRIPE_JS_URL")
    )


def gateway_for(provider: str) -> PaymentGateway:
    """The gateway of ``provider``. Raises GatewayError if it cannot be built (bad keys, provider down)."""
    if provider == Provider.CASH:
        from marketplace.payments.providers.cash import CashGateway

        return CashGateway()
    if provider == Provider.WECHAT:
        key = ("wechat", *_wechat_settings())
    elif provider == Provider.STRIPE:
        key = ("stripe", *_stripe_settings())
    else:
        raise ValueError(provider)
    with _lock:
        gateway = _cache.get(key)
        if gateway is None:
            if provider == Provider.WECHAT:
                from marketplace.payments.providers.wechat import WeChatGateway

                gateway = WeChatGateway.from_settings()
            else:
                from marketplace.payments.providers.stripe_gateway import StripeGateway

                gateway = StripeGateway.from_settings()
            _cache[key] = gateway
    return gateway
