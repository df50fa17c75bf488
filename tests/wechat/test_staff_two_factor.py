"""Staff who sign in through WeChat meet the same two-factor wall as with a password."""
import pytest

from tests.mfa.conftest import totp_code, with_totp  # noqa: F401  (fixture)
from tests.wechat.conftest import link, signed_in_user, token_login, web_qr_login

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]
LINK = "/accounts/wechat/link/"
CONFIRM = "/accounts/wechat/link/confirm/"


def test_staff_with_an_authenticator_are_asked_for_its_code_after_the_qr_scan(client, agent, wechat, with_totp):  # noqa: F811
    secret = with_totp(agent)
    link(agent, uid="oWEB-agent")
    wechat.web_person(code="CODE1", openid="oWEB-agent")
    response = web_qr_login(client, code="CODE1")
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert not signed_in_user(client).is_authenticated
    assert client.get("/centre/companies/").status_code == 302
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/centre/companies/").status_code == 200


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, agent, wechat):
    link(agent, uid="oWEB-agent")
    wechat.web_person(code="CODE1", openid="oWEB-agent")
    web_qr_login(client, code="CODE1")
    response = client.get("/centre/companies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_linking_by_a_staff_phone_number_still_asks_for_the_second_factor(client, agent, wechat, sms, with_totp):  # noqa: F811
    with_totp(agent)
    agent.phone = "+8613900000055"
    agent.save(update_fields=["phone"])
    wechat.web_person(code="CODE1", openid="oWEB-agent")
    web_qr_login(client, code="CODE1")
    client.post(LINK, {"phone": "13900000055"})
    response = client.post(CONFIRM, {"code": sms.last_code("+8613900000055")})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert not signed_in_user(client).is_authenticated


def test_staff_in_the_mini_program_get_no_tokens_before_the_second_factor(client, agent, wechat, with_totp):  # noqa: F811
    with_totp(agent)
    link(agent, provider="wechat_miniprogram", uid="oMP-agent")
    wechat.miniprogram_person(code="CODE1", openid="oMP-agent")
    response = token_login(client, code="CODE1")
    assert response.status_code == 401
    body = response.json()
    assert {"id": "mfa_authenticate", "is_pending": True} in [
        {k: flow.get(k) for k in ("id", "is_pending")} for flow in body["data"]["flows"]
    ]
    assert "access_token" not in body.get("meta", {})
