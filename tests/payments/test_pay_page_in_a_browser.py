"""The resident's payment page in Chromium: choose WeChat Pay, see the QR code, pay, see it paid."""
import os

import pytest
from django.test import Client

from marketplace.payments.models import Payment

from .conftest import wechat_notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):  # noqa: F811 — `page` is the fixture
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def test_resident_pays_by_qr_code_in_the_browser(page, live_server, resident, job, wechat):  # noqa: F811
    wechat.pay_page_base = ""  # a weixin:// link, as from the real WeChat
    sign_in(page, live_server, resident)

    page.goto(f"{live_server.url}/payments/request/{job.pk}/")
    page.locator("form:has(input[value=wechat_native]) button").click()

    assert page.locator(".qr svg").is_visible()
    if os.environ.get("PAYMENTS_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["PAYMENTS_SCREENSHOTS"], "pay-qr.png"), full_page=True)
    payment = Payment.objects.get()
    wechat_notify(Client(), *wechat.paid_notification(payment.reference))
    page.reload()
    assert page.locator(".payment-paid").first.is_visible()
    assert not page.locator(".qr svg").count()
