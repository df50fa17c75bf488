"""Residents sign in on the web with their phone number and a six-digit code sent by SMS."""
import re

import pytest
import responses

pytestmark = pytest.mark.django_db

REQUEST = "/accounts/login/code/"
CONFIRM = "/accounts/login/code/confirm/"


def test_resident_signs_in_with_the_code_texted_to_their_phone(client, resident, sms):
    response = client.post(REQUEST, {"phone": "+8613900000001"})
    assert response.status_code == 302
    message = sms.outbox[-1]
    assert message["phone"] == "+8613900000001"
    code = message["params"]["code"]
    assert re.fullmatch(r"\d{6}", code)
    assert code in message["text"]
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == resident


def test_a_wrong_code_does_not_sign_in(client, resident, sms):
    client.post(REQUEST, {"phone": "+8613900000001"})
    code = sms.last_code("+8613900000001")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(CONFIRM, {"code": wrong})
    assert response.status_code == 200
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_an_unknown_number_gets_a_text_saying_there_is_no_account(client, db, sms):
    client.post(REQUEST, {"phone": "+8613900000077"})
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert sms.outbox[-1]["phone"] == "+8613900000077"
    assert "code" not in sms.outbox[-1]["params"]


def test_asking_for_codes_too_often_is_refused_by_the_rate_limit(resident, sms):
    from django.test import Client

    # Each request from a fresh browser (a waiting code login would otherwise just be shown again).
    responses_ = [Client().post(REQUEST, {"phone": "+8613900000001"}) for _ in range(4)]
    assert [r.status_code for r in responses_[:3]] == [302, 302, 302]
    assert responses_[3].status_code == 200
    assert "Too many" in str(responses_[3].context["form"].errors)
    assert len(sms.outbox) == 3


@responses.activate
def test_codes_go_through_the_configured_gateway(client, resident, settings):
    settings.SMS_BACKEND = "marketplace.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = "https://sms.example.cn/v1/messages"
    responses.post(settings.SMS_GATEWAY_URL, json={"ok": True})
    client.post(REQUEST, {"phone": "+8613900000001"})
    assert len(responses.calls) == 1
    assert b'"to": "+8613900000001"' in responses.calls[0].request.body


# --- numbers as people type them: 11 digits, with spaces or dashes -------------------------------


@pytest.mark.parametrize("typed", ["13900000001", "139 0000 0001", "139-0000-0001", "+86 139 0000 0001"])
def test_the_code_request_takes_the_number_as_people_type_it(client, resident, sms, typed):
    response = client.post(REQUEST, {"phone": typed})

    assert response.status_code == 302
    assert sms.outbox[-1]["phone"] == "+8613900000001"
    client.post(CONFIRM, {"code": sms.last_code("+8613900000001")})
    assert client.get("/").wsgi_request.user == resident


@pytest.mark.parametrize("typed", ["12345", "1390000000", "+86599612345"])
def test_a_number_that_is_not_a_mobile_gets_a_clear_error_and_no_text(client, resident, sms, typed):
    response = client.post(REQUEST, {"phone": typed})

    assert response.status_code == 200
    assert "11 digits such as 13900000001" in str(response.context["form"].errors)
    assert not sms.outbox


def test_password_sign_in_takes_eleven_digits(client):
    from tests.conftest import make_user

    user = make_user("li@example.com", "resident", phone="+8613911112222", password="Shaowu-110-pw")
    response = client.post("/accounts/login/", {"login": "139 1111 2222", "password": "Shaowu-110-pw"})

    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == user


def test_the_text_to_an_unknown_number_points_to_sign_up_by_code(client, db, sms):
    client.post(REQUEST, {"phone": "13900000077"})

    message = sms.outbox[-1]
    assert message["phone"] == "+8613900000077" and message["template"] == "SMS_UNKNOWN_ACCOUNT"
    assert "Sign up" in message["text"] and "no password needed" in message["text"]


def test_the_code_page_points_to_sign_up(client, db):
    page = client.get(REQUEST).content.decode()
    assert 'href="/accounts/signup/"' in page and "11 digits" in page


def test_signing_in_by_code_verifies_the_number(client, resident, sms):
    assert not resident.phone_verified
    client.post(REQUEST, {"phone": "13900000001"})
    client.post(CONFIRM, {"code": sms.last_code("+8613900000001")})
    resident.refresh_from_db()
    assert resident.phone_verified


def test_password_sign_in_is_not_stopped_for_an_unverified_number(client):
    """Phone verification is asked at sign-up only; existing accounts sign in as before."""
    from tests.conftest import make_user

    make_user("li@example.com", "resident", phone="+8613911112222", password="Shaowu-110-pw")
    response = client.post("/accounts/login/", {"login": "+8613911112222", "password": "Shaowu-110-pw"})
    assert response.status_code == 302 and "/phone/verify/" not in response["Location"]
    assert client.get("/").wsgi_request.user.is_authenticated
