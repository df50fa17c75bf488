"""WeChat Pay JSAPI in the mini program: whose openid the payment is made for.

The mini program cannot know its user's openid (only the server learns it, from WeChat's jscode2session at
sign-in), so it sends none: the server uses the payer's linked ``wechat_miniprogram`` account. A client-sent
openid that differs from the linked one is refused; with neither, a clear 400. WeChat Pay and WeChat's
sign-in API are faked at their HTTP boundary; the linking itself runs through allauth for real in the first
test (tests/wechat/ covers it in depth), later tests arrange it with ``link``.
"""
import datetime

import pytest
import responses
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.utils import timezone

from marketplace.payments.models import Payment
from tests.headless.conftest import app_sign_in  # noqa: F401  (fixture)
from tests.sms.conftest import fresh_rate_limits, sms  # noqa: F401  (fixtures)
from tests.wechat.conftest import FakeWeChat, link, token_login, wechat_configured  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

OPENID = "oMP-resident-0000000000000001"


@pytest.fixture
def wechat_sign_in(wechat, wechat_configured):  # noqa: F811
    """WeChat's sign-in API (jscode2session) faked beside WeChat Pay's: one ``responses`` mock answers both."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        wechat.install(mock)
        yield FakeWeChat(mock)


def start(client, job, **body):
    return client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_jsapi", **body},
                       content_type="application/json")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_mini_program_sends_no_openid_and_the_linked_wechat_account_pays(
    resident, job, wechat, wechat_sign_in, sms, app_sign_in,  # noqa: F811  (fixtures)
):
    # The resident signs in by phone code once and links WeChat (process=connect), as the login page does.
    meta = app_sign_in("+8613900000001")
    wechat_sign_in.miniprogram_person(code="CODE1", openid=OPENID)
    linked = token_login(Client(), code="CODE1", process="connect", session_token=meta["session_token"])
    assert linked.status_code == 200, linked.content
    # Next launch: wx.login's code alone signs in and gives JWT tokens.
    wechat_sign_in.miniprogram_person(code="CODE2", openid=OPENID)
    tokens = token_login(Client(), code="CODE2").json()["meta"]

    response = Client().post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_jsapi"},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")

    assert response.status_code == 201, response.content
    payment = response.json()["payment"]
    order = wechat.orders[payment["reference"]]
    assert (order["trade_type"], order["openid"], order["amount"]) == ("JSAPI", OPENID, 8000)
    params = response.json()["client_params"]
    assert params["package"] == f"prepay_id={order['prepay_id']}" and params["signType"] == "RSA"


def test_the_linked_openid_sent_by_the_client_is_accepted(resident, job, wechat):
    link(resident, provider="wechat_miniprogram", uid=OPENID)

    response = start(signed_in(resident), job, openid=OPENID)

    assert response.status_code == 201, response.content
    assert wechat.orders[response.json()["payment"]["reference"]]["openid"] == OPENID


def test_an_openid_that_is_not_the_linked_one_is_refused_and_nothing_is_made(resident, job, wechat):
    link(resident, provider="wechat_miniprogram", uid=OPENID)

    response = start(signed_in(resident), job, openid="oSomeoneElse000000000000000")

    assert response.status_code == 400
    assert response.json()["code"] == "openid_mismatch"
    assert "not the one linked to your account" in response.json()["detail"]
    assert not Payment.objects.exists() and not wechat.orders


def test_with_no_linked_account_and_no_openid_the_payer_is_told_to_sign_in_with_wechat(resident, job, wechat):
    # A WeChat account linked through the website's QR login has an openid of another app: it cannot pay here.
    link(resident, provider="weixin", uid="oWEB-resident")

    response = start(signed_in(resident), job)

    assert response.status_code == 400
    assert response.json()["code"] == "openid_required"
    assert "sign in to the mini program with WeChat" in response.json()["detail"]
    assert not Payment.objects.exists() and not wechat.orders


def test_someone_elses_linked_account_is_never_used(resident, second_resident, job, wechat):
    link(second_resident, provider="wechat_miniprogram", uid=OPENID)

    response = start(signed_in(resident), job)

    assert response.status_code == 400 and response.json()["code"] == "openid_required"
    assert not Payment.objects.exists() and not wechat.orders


def test_an_outsider_cannot_pay_with_their_linked_account_for_someone_elses_job(second_resident, job, wechat):
    link(second_resident, provider="wechat_miniprogram", uid=OPENID)

    response = start(signed_in(second_resident), job)

    assert response.status_code == 404
    assert not Payment.objects.exists() and not wechat.orders


def test_with_two_linked_mini_program_accounts_the_one_signed_in_last_pays(resident, job, wechat, frozen_now):
    newer = link(resident, provider="wechat_miniprogram", uid=OPENID)  # linked first, used lately
    older = link(resident, provider="wechat_miniprogram", uid="oMP-old-phone-000000000000000")
    # last_login is allauth's auto_now field: set it as two sign-ins a month apart would have.
    SocialAccount.objects.filter(pk=older.pk).update(last_login=timezone.now() - datetime.timedelta(days=30))
    SocialAccount.objects.filter(pk=newer.pk).update(last_login=timezone.now() - datetime.timedelta(minutes=5))

    response = start(signed_in(resident), job)

    assert response.status_code == 201, response.content
    assert wechat.orders[response.json()["payment"]["reference"]]["openid"] == OPENID
