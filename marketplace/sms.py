"""Text messages (SMS): one small interface, a console backend for development and an HTTP gateway backend.

``settings.SMS_BACKEND`` names the backend class; ``sms_send`` is what the rest of the code calls
(the allauth adapter sends sign-in and verification codes through it).
"""
from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("marketplace.sms")


class SmsError(Exception):
    """The gateway refused or could not be reached; the message was not sent."""


class SmsBackend:
    def send(self, *, phone: str, text: str, template: str = "", params: dict | None = None) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Development: the message goes to the log (the runserver console), never to a phone."""

    def send(self, *, phone: str, text: str, template: str = "", params: dict | None = None) -> None:
        logger.info("SMS to %s: %s", phone, text)


class HttpGatewaySmsBackend(SmsBackend):
    """A generic JSON-over-HTTPS SMS gateway.

    POST ``SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_API_KEY`` and the body
    ``{"to", "sign", "template", "params", "text"}``. Chinese gateways (Aliyun, Tencent Cloud) send only
    pre-approved templates with a signature, so the template id and its parameters travel alongside the
    rendered text. Any 2xx answer whose JSON does not say ``"ok": false`` counts as sent.
    """

    def __init__(self, *, url: str | None = None, api_key: str | None = None, sign: str | None = None,
                 timeout: float | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.api_key = api_key if api_key is not None else settings.SMS_GATEWAY_API_KEY
        self.sign = sign if sign is not None else settings.SMS_SIGN_NAME
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT

    def send(self, *, phone: str, text: str, template: str = "", params: dict | None = None) -> None:
        body = {"to": phone, "sign": self.sign, "template": template, "params": params or {}, "text": text}
        try:
            response = requests.post(
                self.url, json=body, timeout=self.timeout, headers={"Authorization": f"Bearer {self.api_key}"}
            )
        except requests.RequestException as exc:
            raise SmsError(f"SMS gateway unreachable: {exc}") from exc
        if response.status_code // 100 != 2:
            raise SmsError(f"SMS gateway answered {response.status_code}: {response.text[:200]}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("ok") is False:
            raise SmsError(f"SMS gateway refused the message: {answer.get('error', '')}")
        # The number is personal data: log only its last four digits.
        logger.info("SMS sent to ***%s (template %s)", phone[-4:], template or "-")


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_send(*, phone: str, text: str, template: str = "", params: dict | None = None) -> None:
    sms_backend().send(phone=phone, text=text, template=template, params=params)
