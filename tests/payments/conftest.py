"""Completed jobs to pay, and the providers' sides played for real at their boundary:

- Stripe: localstripe (a fake, stateful Stripe server) started once on 127.0.0.1, emptied before each test;
  ``stripe.api_base`` and our settings point at it. Webhooks are signed here with the test signing secret.
- WeChat Pay: its HTTP API answered through the ``responses`` library by a fake that checks our merchant
  signature and signs/encrypts everything with keys made here (merchant key, platform key and certificate,
  APIv3 key), exactly as WeChat Pay v3 does.
"""
from __future__ import annotations

import pytest
import responses
import stripe

from marketplace.payments.fakes import stripe as stripe_fake
from marketplace.payments.fakes.wechat import (
    WECHAT_API,
    FakeWeChatPay,
    make_platform_certificate,
    make_rsa_key,
    private_pem,
)
from marketplace.services import job_arrive, job_complete, job_set_off
from matching.models import Offer
from matching.services import offer_accept, requests_assign_waiting
from tests.conftest import make_user
from tests.requests import conftest as requests_fixtures

APIV3_KEY = "TestApiV3Key0123456789abcdefABCD"  # 32 bytes, as WeChat requires
MCHID, APPID = "1900000109", "wxd678efh567hg6787"
STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET = "sk_test_payments_tests", "whsec_payments_tests"

# The request tests' fixtures: three contracted companies near the resident, and raising a request.
companies = requests_fixtures.companies
raise_request = requests_fixtures.raise_request


@pytest.fixture(autouse=True)
def payment_settings(settings):
    settings.PAYMENT_PROVIDERS = ["cash", "wechat", "stripe"]
    settings.MARKETPLACE_REQUIRE_STAFF_MFA = False  # staff sign in with force_login here (see marketplace/mfa.py)
    settings.PAYMENTS_DEMO_FAKES = False


# --- jobs ---------------------------------------------------------------------------------------


def staff_of(company):
    return company.partner.users.order_by("pk").first()


@pytest.fixture
def complete_job(companies, raise_request):
    """Raise a request, let the nearest company accept it, and complete it at ``final_price``."""

    def make(final_price="80.00", **overrides):
        request = raise_request(**overrides)
        requests_assign_waiting()
        offer = Offer.objects.get(request=request, status=Offer.Status.PENDING)
        company, staff = offer.company, staff_of(offer.company)
        offer_accept(offer_id=offer.pk, company=company, actor=staff)
        request.refresh_from_db()
        job_set_off(request=request, company=company, actor=staff)
        job_arrive(request=request, company=company, actor=staff)
        job_complete(request=request, company=company, actor=staff, final_price=final_price)
        request.refresh_from_db()
        return request

    return make


@pytest.fixture
def job(complete_job):
    return complete_job()


@pytest.fixture
def company_staff(job):
    return staff_of(job.company)


@pytest.fixture
def other_company_staff(companies):
    return staff_of(companies[1])


@pytest.fixture
def second_resident(db):
    from marketplace.roles import Role

    return make_user("second@example.com", Role.RESIDENT, phone="13900000002")


# --- Stripe -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def localstripe_server():
    server = stripe_fake.LocalStripe(host="127.0.0.1", port=0).start()
    yield server
    server.stop()


@pytest.fixture
def stripe_fake_server(localstripe_server, settings):
    localstripe_server.flush()
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_SECRET_KEY = STRIPE_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_payments_tests"
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
    previous = stripe.api_base
    stripe.api_base = localstripe_server.url
    yield localstripe_server
    stripe.api_base = previous


def stripe_pay(server, payment_intent: str, card: str = stripe_fake.GOOD_CARD) -> dict:
    return stripe_fake.pay_with_card(api_base=server.url, secret_key=STRIPE_SECRET_KEY, payment_intent=payment_intent,
                                     card=card)


def stripe_webhook(client, event_type: str, obj: dict, *, secret: str = STRIPE_WEBHOOK_SECRET, event_id=None,
                   tamper=None):
    headers, body = stripe_fake.signed_event(secret=secret, event_type=event_type, obj=obj, event_id=event_id)
    if tamper:
        headers, body = tamper(headers, body)
    return client.post("/payments/notify/stripe/", data=body, content_type="application/json",
                       headers={k: v for k, v in headers.items() if k != "Content-Type"})


# --- WeChat Pay ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def wechat_keys():
    merchant = make_rsa_key()
    platform = make_rsa_key()
    return {"merchant": merchant, "platform": platform, "certificate": make_platform_certificate(platform),
            "impostor": make_rsa_key()}


@pytest.fixture
def wechat(wechat_keys, settings):
    """WeChat Pay's API answered by the fake through `responses`; our settings carry the test keys."""
    settings.WECHATPAY_MCHID, settings.WECHATPAY_APPID, settings.WECHATPAY_APIV3_KEY = MCHID, APPID, APIV3_KEY
    settings.WECHATPAY_CERT_SERIAL_NO = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    settings.WECHATPAY_PRIVATE_KEY = private_pem(wechat_keys["merchant"])
    settings.WECHATPAY_PUBLIC_KEY = settings.WECHATPAY_PUBLIC_KEY_ID = ""
    settings.WECHATPAY_CERT_DIR = ""
    settings.WECHATPAY_API_BASE = WECHAT_API
    settings.WECHATPAY_NOTIFY_URL = "https://minsheng110.example/payments/notify/wechat/"
    fake = FakeWeChatPay(apiv3_key=APIV3_KEY, mchid=MCHID, appid=APPID, platform_key=wechat_keys["platform"],
                         platform_certificate=wechat_keys["certificate"],
                         merchant_public_key=wechat_keys["merchant"].public_key())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        fake.install(mock)
        yield fake


def wechat_notify(client, headers: dict, body: str):
    return client.post("/payments/notify/wechat/", data=body.encode(), content_type="application/json",
                       headers={k: v for k, v in headers.items() if k != "Content-Type"})
