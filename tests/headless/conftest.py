import pytest

from tests.sms.conftest import fresh_rate_limits, sms  # noqa: F401  (shared fixtures)


@pytest.fixture
def app_sign_in(client, sms):  # noqa: F811
    """Sign in as the mini program does: phone → texted code → JWT access and refresh tokens."""

    def sign_in(phone: str) -> dict:
        response = client.post("/_allauth/app/v1/auth/code/request", {"phone": phone}, content_type="application/json")
        assert response.status_code == 401, response.content  # a pending login flow, not signed in yet
        session_token = response.json()["meta"]["session_token"]
        response = client.post(
            "/_allauth/app/v1/auth/code/confirm", {"code": sms.last_code(phone)},
            content_type="application/json", HTTP_X_SESSION_TOKEN=session_token,
        )
        assert response.status_code == 200, response.content
        return response.json()["meta"]

    return sign_in
