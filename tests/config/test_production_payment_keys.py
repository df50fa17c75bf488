"""With DJANGO_DEBUG off, the site does not start on the demo payment keys: each enabled provider's
credentials must come from the environment, and the message names the variable."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.config import payment_credentials_check

WECHAT = {
    "WECHATPAY_MCHID": "1900000109", "WECHATPAY_APPID": "wxd678efh567hg6787",
    "WECHATPAY_APIV3_KEY": "0123456789abcdef0123456789abcdef", "WECHATPAY_CERT_SERIAL_NO": "5157F09EFDC096DE",
    "WECHATPAY_PRIVATE_KEY_PATH": "/etc/minsheng110/apiclient_key.pem",
    "WECHATPAY_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----…", "WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_0114232134912410000",
    "WECHATPAY_NOTIFY_URL": "https://ms110.example.cn/payments/notify/wechat/",
}
STRIPE = {"STRIPE_SECRET_KEY": "sk_live_abc", "STRIPE_PUBLISHABLE_KEY": "pk_live_abc", "STRIPE_WEBHOOK_SECRET": "whsec_abc"}


@pytest.fixture
def environment(monkeypatch):
    for name in [*WECHAT, *STRIPE]:
        monkeypatch.delenv(name, raising=False)

    def set_(values: dict):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_


def test_the_demo_may_run_on_the_fakes_keys(environment):
    payment_credentials_check(["cash", "wechat", "stripe"], debug=True)


def test_production_with_every_key_set_starts(environment):
    environment(WECHAT | STRIPE)
    payment_credentials_check(["cash", "wechat", "stripe"], debug=False)


@pytest.mark.parametrize("missing, named", [
    ("WECHATPAY_MCHID", "WECHATPAY_MCHID"),
    ("WECHATPAY_PRIVATE_KEY_PATH", "WECHATPAY_PRIVATE_KEY or WECHATPAY_PRIVATE_KEY_PATH"),
    ("WECHATPAY_NOTIFY_URL", "WECHATPAY_NOTIFY_URL"),
    ("WECHATPAY_PUBLIC_KEY_ID", "WECHATPAY_PUBLIC_KEY_ID"),
    ("STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET"),
])
def test_production_without_a_key_does_not_start_and_names_it(environment, missing, named):
    environment({k: v for k, v in (WECHAT | STRIPE).items() if k != missing})
    with pytest.raises(ImproperlyConfigured, match=named):
        payment_credentials_check(["cash", "wechat", "stripe"], debug=False)


def test_a_provider_that_is_not_enabled_needs_no_keys(environment):
    environment(STRIPE)
    payment_credentials_check(["cash", "stripe"], debug=False)
    payment_credentials_check(["cash"], debug=False)


def test_a_stripe_key_that_is_not_one_is_refused(environment):
    environment(STRIPE | {"STRIPE_SECRET_KEY": "pk_live_wrong_kind"})
    with pytest.raises(ImproperlyConfigured, match="STRIPE_SECRET_KEY"):
        payment_credentials_check(["stripe"], debug=False)
