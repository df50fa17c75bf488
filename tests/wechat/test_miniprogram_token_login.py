"""The mini program signs in with its wx.login code through allauth.headless (provider wechat_miniprogram).

An unknown WeChat identity is answered ``not_linked``; the mini program then signs in by phone code and
links WeChat with ``process=connect``; from then on the wx.login code alone signs the person in."""
import json

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from tests.wechat.conftest import token_login

pytestmark = pytest.mark.django_db
User = get_user_model()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def errors_of(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def test_an_unknown_identity_is_answered_not_linked_and_nothing_is_made(client, wechat):
    wechat.miniprogram_person(code="CODE1", openid="oMP-unknown")
    response = token_login(client, code="CODE1")
    assert response.status_code == 400
    assert errors_of(response) == ["not_linked"]
    assert "Sign in with your phone number" in response.json()["errors"][0]["message"]
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_phone_sign_in_then_connect_then_the_wechat_code_alone_signs_in_and_the_jwt_works(
    client, resident, wechat, app_sign_in
):
    wechat.miniprogram_person(code="CODE1", openid="oMP-resident", unionid="UNION-R")
    assert errors_of(token_login(client, code="CODE1")) == ["not_linked"]

    meta = app_sign_in("+8613900000001")
    wechat.miniprogram_person(code="CODE2", openid="oMP-resident", unionid="UNION-R")
    response = token_login(client, code="CODE2", process="connect", session_token=meta["session_token"])
    assert response.status_code == 200, response.content
    account = SocialAccount.objects.get(provider="wechat_miniprogram", uid="oMP-resident")
    assert account.user == resident
    assert account.extra_data == {"openid": "oMP-resident", "unionid": "UNION-R"}  # no session_key
    assert "session_key" not in json.dumps(list(SocialAccount.objects.values()), default=str)

    app = Client()
    wechat.miniprogram_person(code="CODE3", openid="oMP-resident", unionid="UNION-R")
    response = token_login(app, code="CODE3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["data"]["user"]["id"] == resident.pk
    assert Client().get("/api/requests/", **bearer(body["meta"]["access_token"])).status_code == 200
    assert User.objects.count() == 1


def test_connecting_an_identity_linked_to_someone_else_is_refused(client, resident, outsider, wechat, app_sign_in):
    from tests.wechat.conftest import link

    link(resident, provider="wechat_miniprogram", uid="oMP-resident")
    meta = app_sign_in("+8613900000009")  # the outsider
    wechat.miniprogram_person(code="CODE1", openid="oMP-resident")
    response = token_login(client, code="CODE1", process="connect", session_token=meta["session_token"])
    assert response.status_code == 400
    assert errors_of(response) == ["connected_other"]
    assert response.json()["errors"][0]["message"] == "This WeChat account is already linked to another person."
    assert SocialAccount.objects.get(uid="oMP-resident").user == resident
    assert not SocialAccount.objects.filter(user=outsider).exists()


def test_connecting_without_signing_in_first_is_refused(client, wechat):
    wechat.miniprogram_person(code="CODE1", openid="oMP-x")
    response = token_login(client, code="CODE1", process="connect")
    assert response.status_code == 400
    assert errors_of(response) == ["not_signed_in"]
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize("answer,code,words", [
    ({"errcode": 40029, "errmsg": "invalid code"}, "wechat_invalid_code", "not valid"),
    ({"errcode": 40163, "errmsg": "code been used"}, "wechat_invalid_code", "already been used"),
    ({"errcode": 45011, "errmsg": "api minute-quota reach limit mustslower retry next minute"}, "wechat_rate_limited",
     "wait a minute"),
    ({"errcode": 40226, "errmsg": "invalid user: risky user"}, "wechat_user_blocked", "does not allow"),
    ({"errcode": -1, "errmsg": "system error"}, "wechat_busy", "busy"),
    ({"errcode": 40125, "errmsg": "invalid appsecret"}, "wechat_misconfigured", "not set up correctly"),
    ({"errcode": 99999, "errmsg": "something new"}, "wechat_refused", "error 99999"),
    ({"session_key": "abc"}, "wechat_no_openid", "did not say who"),
])
def test_wechat_refusals_become_clear_errors_and_nothing_is_made(client, resident, wechat, answer, code, words):
    wechat.miniprogram_answer(code="BAD", answer=answer)
    response = token_login(client, code="BAD")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == code
    assert error["param"] == "token"
    assert words in error["message"]
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1


def test_wechat_unreachable_is_a_clear_error(client, wechat):
    import requests

    wechat.miniprogram_answer(code="CODE1", answer=requests.ConnectionError("no route"))
    response = token_login(client, code="CODE1")
    assert response.status_code == 400
    assert errors_of(response) == ["wechat_unreachable"]


@pytest.mark.parametrize("token", [{"client_id": "wx0000000000000000", "access_token": "CODE"},
                                   {"client_id": "wxfedcba0987654321"}, {"client_id": "wxfedcba0987654321", "access_token": 5},
                                   "not-a-dict"])
def test_malformed_or_foreign_tokens_are_refused_without_calling_wechat(client, wechat, token):
    response = client.post("/_allauth/app/v1/auth/provider/token",
                           {"provider": "wechat_miniprogram", "process": "login", "token": token},
                           content_type="application/json")
    assert response.status_code == 400
    assert len(wechat.mock.calls) == 0


def test_the_unionid_recognises_someone_who_linked_wechat_on_the_web(client, resident, wechat):
    from tests.wechat.conftest import link

    link(resident, provider="weixin", uid="oWEB-resident", unionid="UNION-R")
    wechat.miniprogram_person(code="CODE1", openid="oMP-resident", unionid="UNION-R")
    response = token_login(client, code="CODE1")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["id"] == resident.pk
    assert SocialAccount.objects.get(provider="wechat_miniprogram").user == resident
