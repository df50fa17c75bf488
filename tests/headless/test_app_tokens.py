"""App clients sign in through allauth's headless API and call the REST API with a JWT bearer token."""
import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_phone_code_gives_tokens_that_the_rest_api_accepts(app_sign_in, resident):
    meta = app_sign_in("+8613900000001")
    assert meta["access_token"] and meta["refresh_token"]
    response = Client().get("/api/requests/", **bearer(meta["access_token"]))
    assert response.status_code == 200


def test_the_refresh_token_gives_a_new_access_token(app_sign_in, resident):
    meta = app_sign_in("+8613900000001")
    response = Client().post("/_allauth/app/v1/tokens/refresh", {"refresh_token": meta["refresh_token"]},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    access = response.json()["data"]["access_token"]
    assert Client().get("/api/requests/", **bearer(access)).status_code == 200


def test_a_forged_token_is_refused(db):
    response = Client().get("/api/requests/", **bearer("eyJhbGciOiJIUzI1NiJ9.e30.forged"))
    assert response.status_code in (401, 403)


def test_signing_out_revokes_the_access_token(app_sign_in, resident, client):
    meta = app_sign_in("+8613900000001")
    client.delete("/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=meta["session_token"])
    response = Client().get("/api/requests/", **bearer(meta["access_token"]))
    assert response.status_code in (401, 403)


def test_staff_without_second_factor_get_no_api_access_by_token(app_sign_in, agent, settings):
    settings.MARKETPLACE_REQUIRE_STAFF_MFA = True
    agent.phone = "+8613900000055"
    agent.save(update_fields=["phone"])
    meta = app_sign_in("+8613900000055")
    response = Client().get("/api/requests/", **bearer(meta["access_token"]))
    assert response.status_code in (401, 403)
    assert "two-factor" in response.json()["detail"]
