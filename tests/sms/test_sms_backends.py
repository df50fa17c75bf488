"""The SMS backends: the console one logs, the gateway one speaks the provider's HTTP API."""
import json
import logging

import pytest
import responses

from marketplace.sms import ConsoleSmsBackend, HttpGatewaySmsBackend, SmsError, sms_send

GATEWAY = "https://sms.example.cn/v1/messages"


def test_console_backend_writes_the_message_to_the_log(caplog, settings):
    settings.SMS_BACKEND = "marketplace.sms.ConsoleSmsBackend"
    with caplog.at_level(logging.INFO, logger="marketplace.sms"):
        sms_send(phone="+8613900000001", text="验证码 123456")
    assert "+8613900000001" in caplog.text
    assert "123456" in caplog.text


@responses.activate
def test_gateway_backend_posts_the_number_template_and_code_with_the_api_key(settings):
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_API_KEY = GATEWAY, "key-123"
    responses.post(GATEWAY, json={"ok": True, "id": "m-1"})
    HttpGatewaySmsBackend().send(phone="+8613900000001", text="code 123456", template="SMS_CODE",
                                 params={"code": "123456"})
    call = responses.calls[0]
    assert call.request.headers["Authorization"] == "Bearer key-123"
    body = json.loads(call.request.body)
    assert body == {"to": "+8613900000001", "sign": settings.SMS_SIGN_NAME, "template": "SMS_CODE",
                    "params": {"code": "123456"}, "text": "code 123456"}


@responses.activate
def test_gateway_backend_reports_a_server_error(settings):
    settings.SMS_GATEWAY_URL = GATEWAY
    responses.post(GATEWAY, status=503, body="busy")
    with pytest.raises(SmsError, match="503"):
        HttpGatewaySmsBackend().send(phone="+8613900000001", text="x")


@responses.activate
def test_gateway_backend_reports_a_refused_message(settings):
    settings.SMS_GATEWAY_URL = GATEWAY
    responses.post(GATEWAY, json={"ok": False, "error": "template not approved"})
    with pytest.raises(SmsError, match="template not approved"):
        HttpGatewaySmsBackend().send(phone="+8613900000001", text="x")


@responses.activate
def test_gateway_backend_reports_an_unreachable_gateway(settings):
    settings.SMS_GATEWAY_URL = GATEWAY  # responses refuses any request it was not told about
    with pytest.raises(SmsError, match="unreachable"):
        HttpGatewaySmsBackend().send(phone="+8613900000001", text="x")


def test_console_backend_is_the_development_default(settings):
    from marketplace.sms import sms_backend

    assert isinstance(sms_backend(), ConsoleSmsBackend)
