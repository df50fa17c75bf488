"""With no WeChat credentials in the environment there is no WeChat button and the WeChat URLs refuse cleanly."""
import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from tests.wechat.conftest import MP_APP_ID, token_login

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_no_wechat_button(client):
    page = client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/login/").status_code == 200
    assert "WeChat" not in page
    assert "/accounts/weixin/" not in page


@pytest.mark.parametrize("method,path", [
    ("post", "/accounts/weixin/login/"),
    ("get", "/accounts/weixin/login/"),
    ("get", "/accounts/weixin/login/callback/?code=CODE&state=STATE"),
])
def test_the_web_provider_urls_answer_404(client, method, path):
    assert getattr(client, method)(path).status_code == 404


def test_the_mini_program_token_login_is_refused_with_a_clear_json_error(client):
    response = token_login(client, code="CODE", client_id=MP_APP_ID)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_token"
    assert not get_user_model().objects.exists()
    assert not SocialAccount.objects.exists()


def test_the_connections_page_says_nothing_is_set_up(client, resident):
    client.force_login(resident)
    page = client.get("/accounts/3rdparty/").content.decode()
    assert "No third-party sign-in is set up on this site." in page


def test_half_a_pair_of_credentials_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from marketplace import config

    monkeypatch.setenv("WECHAT_WEB_APP_ID", "wx1234567890abcdef")
    monkeypatch.delenv("WECHAT_WEB_APP_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="WECHAT_WEB_APP_SECRET"):
        config.wechat_app("WECHAT_WEB_APP_ID", "WECHAT_WEB_APP_SECRET")
    monkeypatch.setenv("WECHAT_WEB_APP_ID", "not-an-appid")
    monkeypatch.setenv("WECHAT_WEB_APP_SECRET", "secret")
    with pytest.raises(ImproperlyConfigured, match="WECHAT_WEB_APP_ID"):
        config.wechat_app("WECHAT_WEB_APP_ID", "WECHAT_WEB_APP_SECRET")
    monkeypatch.setenv("WECHAT_WEB_APP_ID", "wx1234567890abcdef")
    assert config.wechat_app("WECHAT_WEB_APP_ID", "WECHAT_WEB_APP_SECRET")["client_id"] == "wx1234567890abcdef"


def test_accounts_linked_before_wechat_was_switched_off_are_still_listed_and_can_be_removed(client, resident):
    from tests.wechat.conftest import link

    account = link(resident, uid="oWEB-resident")
    client.force_login(resident)
    assert client.get("/accounts/3rdparty/").status_code == 200
    response = client.post("/accounts/3rdparty/", {"account": account.pk})
    assert response.status_code == 302
    assert not SocialAccount.objects.exists()


def test_the_app_lists_accounts_linked_before_wechat_was_switched_off(client, resident, app_sign_in):
    from tests.wechat.conftest import link

    link(resident, provider="wechat_miniprogram", uid="oMP-resident")
    meta = app_sign_in("+8613900000001")
    response = client.get("/_allauth/app/v1/account/providers", HTTP_X_SESSION_TOKEN=meta["session_token"])
    assert response.status_code == 200
    assert [a["uid"] for a in response.json()["data"]] == ["oMP-resident"]
