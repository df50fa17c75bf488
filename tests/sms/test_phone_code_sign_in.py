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
