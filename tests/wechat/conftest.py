"""WeChat sign-in tests: WeChat's servers are faked at the HTTP boundary with ``responses``.

``wechat`` configures both WeChat apps (as the environment variables would) and fakes
``api.weixin.qq.com``: the web QR login's ``sns/oauth2/access_token`` and ``sns/userinfo``, and the mini
program's ``sns/jscode2session``, each answering what WeChat answers for one person (or an error).
"""
from __future__ import annotations

import copy
import json
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from responses import matchers

from tests.headless.conftest import app_sign_in  # noqa: F401  (shared fixtures)
from tests.sms.conftest import fresh_rate_limits, sms  # noqa: F401

WEB_APP_ID = "wx1234567890abcdef"
WEB_SECRET = "web-secret-0123456789abcdef0123"
MP_APP_ID = "wxfedcba0987654321"
MP_SECRET = "mp-secret-0123456789abcdef01234"

ACCESS_TOKEN_URL = "https://api.weixin.qq.com/sns/oauth2/access_token"
USERINFO_URL = "https://api.weixin.qq.com/sns/userinfo"
JSCODE2SESSION_URL = "https://api.weixin.qq.com/sns/jscode2session"

TOKEN_PATH = "/_allauth/app/v1/auth/provider/token"


class FakeWeChat:
    """What api.weixin.qq.com answers. ``web_person`` / ``miniprogram_person`` say who scans or opens."""

    def __init__(self, mock: responses.RequestsMock):
        self.mock = mock

    def web_person(self, *, code: str, openid: str, unionid: str | None = None, nickname: str = "小李"):
        token = {"access_token": f"ACCESS-{openid}", "expires_in": 7200, "refresh_token": f"REFRESH-{openid}",
                 "openid": openid, "scope": "snsapi_login"}
        userinfo = {"openid": openid, "nickname": nickname, "sex": 1, "province": "Fujian", "city": "Nanping",
                    "country": "CN", "headimgurl": "https://thirdwx.qlogo.cn/mmopen/abc/132", "privilege": []}
        if unionid:
            token["unionid"] = userinfo["unionid"] = unionid
        self.web_token_answer(code=code, answer=token)
        # WeChat sends UTF-8 JSON as "text/plain" with no charset (allauth's weixin views undo requests'
        # Latin-1 guess for the nickname).
        self.mock.get(USERINFO_URL, body=json.dumps(userinfo, ensure_ascii=False).encode(), content_type="text/plain",
                      match=[matchers.query_param_matcher({"access_token": f"ACCESS-{openid}", "openid": openid})])

    def web_token_answer(self, *, code: str, answer: dict):
        # allauth's weixin client posts the form fields below.
        self.mock.post(ACCESS_TOKEN_URL, json=answer, match=[matchers.urlencoded_params_matcher(
            {"appid": WEB_APP_ID, "secret": WEB_SECRET, "code": code, "grant_type": "authorization_code"})])

    def miniprogram_person(self, *, code: str, openid: str, unionid: str | None = None):
        answer = {"openid": openid, "session_key": "tiihtNczf5v6AKRyjwEUhQ=="}
        if unionid:
            answer["unionid"] = unionid
        self.miniprogram_answer(code=code, answer=answer)

    def miniprogram_answer(self, *, code: str, answer: dict | Exception):
        """WeChat's answer to jscode2session (JSON sent as text/plain), or an exception: no answer at all."""
        body = answer if isinstance(answer, Exception) else json.dumps(answer)
        self.mock.get(JSCODE2SESSION_URL, body=body, content_type="text/plain", match=[matchers.query_param_matcher(
            {"appid": MP_APP_ID, "secret": MP_SECRET, "js_code": code, "grant_type": "authorization_code"})])


@pytest.fixture
def wechat_configured(settings):
    """Both WeChat apps configured, as WECHAT_WEB_APP_ID/SECRET and WECHAT_MINIPROGRAM_APP_ID/SECRET do."""
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["weixin"]["APPS"] = [{"client_id": WEB_APP_ID, "secret": WEB_SECRET, "key": "", "settings": {}}]
    providers["wechat_miniprogram"]["APPS"] = [{"client_id": MP_APP_ID, "secret": MP_SECRET, "key": "", "settings": {}}]
    settings.SOCIALACCOUNT_PROVIDERS = providers


@pytest.fixture
def wechat(wechat_configured):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeWeChat(mock)


def start_web_login(client, process: str = "login", next_url: str | None = None) -> str:
    """Press the WeChat button; return the state WeChat's QR page would send back."""
    url = f"/accounts/weixin/login/?process={process}" + (f"&next={next_url}" if next_url else "")
    response = client.post(url)
    assert response.status_code == 302, response.content[:500]
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://open.weixin.qq.com/connect/qrconnect"
    query = parse_qs(location.query)
    assert query["appid"] == [WEB_APP_ID]
    assert query["scope"] == ["snsapi_login"]
    assert query["redirect_uri"] == ["http://testserver/accounts/weixin/login/callback/"]
    return query["state"][0]


def web_qr_login(client, *, code: str, process: str = "login", next_url: str | None = None):
    """The whole QR round trip: button → WeChat's QR page (scanned) → callback with state and code."""
    state = start_web_login(client, process=process, next_url=next_url)
    return client.get("/accounts/weixin/login/callback/", {"code": code, "state": state})


def token_login(client, *, code: str, process: str = "login", session_token: str | None = None,
                client_id: str = MP_APP_ID):
    headers = {"HTTP_X_SESSION_TOKEN": session_token} if session_token else {}
    return client.post(
        TOKEN_PATH,
        {"provider": "wechat_miniprogram", "process": process, "token": {"client_id": client_id, "access_token": code}},
        content_type="application/json", **headers,
    )


def link(user, *, provider: str = "weixin", uid: str = "oWEB-resident", unionid: str | None = None):
    """A person who linked WeChat earlier (the link itself is tested through the real flows)."""
    from allauth.socialaccount.models import SocialAccount

    extra = {"openid": uid, **({"unionid": unionid} if unionid else {})}
    return SocialAccount.objects.create(user=user, provider=provider, uid=uid, extra_data=extra)


def signed_in_user(client):
    return client.get("/").wsgi_request.user
