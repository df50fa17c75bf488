"""The mini program's side of the end-to-end tests: a test client that talks to the server exactly as
miniprogram/api/client.js does, and the real parts behind it (SMS outbox, Celery run eagerly so the
matcher runs as in production, WeChat Pay answered at its HTTP boundary by the payments tests' fake).

Time is frozen at 2026-11-23 10:00 UTC (inside the 2026 agreements' term); tests move it on.
"""
from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.miniprogram.test_client_matches_the_api import client_routes
from tests.payments.conftest import wechat, wechat_keys  # noqa: F401  (WeChat Pay's fake, shared)
from tests.requests.conftest import companies  # noqa: F401  (three contracted companies, shared)
from tests.sms.conftest import fresh_rate_limits, sms  # noqa: F401  (SMS outbox, shared)

@pytest.fixture(autouse=True)
def _clock(frozen_now):
    return frozen_now


@pytest.fixture(autouse=True)
def payment_settings(settings):
    settings.PAYMENT_PROVIDERS = ["cash", "wechat", "stripe"]
    settings.PAYMENTS_DEMO_FAKES = False


@pytest.fixture
def celery_eager(django_capture_on_commit_callbacks):
    """Tasks queued on commit run at once, in this process, through Celery (as a worker would run them).
    Use as ``with celery_eager(): ...`` around the call whose commit queues the task."""
    from marketplace.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield lambda: django_capture_on_commit_callbacks(execute=True)
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


class MiniProgram:
    """One phone running the mini program: its own storage of tokens, its own HTTP connection.

    ``call`` mirrors client.js: routes from miniprogram/api/routes.js, ``X-Session-Token`` for allauth's
    endpoints, ``Authorization: Bearer <access token>`` for the REST API, one refresh and retry on a 401.
    Unlike client.js it returns the response whatever its status, so tests can assert refusals.
    """

    routes = {name: (method, path) for name, method, path in client_routes()}

    def __init__(self):
        self.http = Client()
        self.tokens: dict = {}
        self.refreshes = 0

    def _save_tokens(self, meta: dict) -> None:
        for key, name in (("access", "access_token"), ("refresh", "refresh_token"), ("session", "session_token")):
            if meta.get(name):
                self.tokens[key] = meta[name]

    def raw(self, method: str, path: str, body=None, headers: dict | None = None):
        headers = {"content-type": "application/json", **(headers or {})}
        if method == "GET":
            return self.http.get(path, body or {}, headers=headers)
        data = json.dumps(body) if body is not None else ""
        return self.http.generic(method, path, data, content_type="application/json", headers=headers)

    def call(self, name: str, params: dict | None = None, body=None, *, headers: dict | None = None, retried=False):
        method, template = self.routes[name]
        path = template.format(**(params or {}))
        headers = dict(headers or {})
        if template.startswith("/_allauth/"):
            if self.tokens.get("session"):
                headers["X-Session-Token"] = self.tokens["session"]
        elif self.tokens.get("access"):
            headers["Authorization"] = f"Bearer {self.tokens['access']}"
        response = self.raw(method, path, body, headers)
        if response.status_code == 401 and not retried and not template.startswith("/_allauth/") and self.refresh():
            return self.call(name, params, body, headers=headers, retried=True)
        return response

    def refresh(self) -> bool:
        if not self.tokens.get("refresh"):
            return False
        method, path = self.routes["tokenRefresh"]
        response = self.raw(method, path, {"refresh_token": self.tokens["refresh"]})
        if response.status_code != 200:
            return False
        self._save_tokens(response.json()["data"])
        self.refreshes += 1
        return True

    # --- signing in: client.js's requestCode / confirmCode, and sign-up by code ---------------------

    def request_code(self, phone: str):
        self.tokens = {}
        method, path = self.routes["codeRequest"]
        response = self.raw(method, path, {"phone": phone})
        assert response.status_code in (200, 401), response.content
        self._save_tokens(response.json().get("meta", {}))
        return response

    def confirm_code(self, code: str):
        response = self.call("codeConfirm", body={"code": code})
        if response.status_code == 200:
            self._save_tokens(response.json()["meta"])
        return response

    def sign_up(self, phone: str):
        self.tokens = {}
        method, path = self.routes["signUp"]
        response = self.raw(method, path, {"phone": phone})
        self._save_tokens(response.json().get("meta", {}))
        return response

    def verify_phone(self, code: str):
        response = self.call("verifyPhone", body={"code": code})
        if response.status_code == 200:
            self._save_tokens(response.json()["meta"])
        return response

    def sign_in_by_code(self, phone: str, outbox) -> None:
        """What the login page does: ask for a code, type the one that arrived (``outbox``: the sms fixture)."""
        from marketplace.phones import normalise_phone

        self.request_code(phone)
        response = self.confirm_code(outbox.last_code(normalise_phone(phone)))
        assert response.status_code == 200, response.content
        assert self.tokens.get("access") and self.tokens.get("refresh")


@pytest.fixture
def mini_program():
    """Make a phone with the mini program on it: ``mini_program()``."""
    return MiniProgram


def give_phone(user, phone: str):
    """Arrange: a person already on file gets a mobile number (as an administrator would enter it)."""
    from marketplace.phones import normalise_phone

    user.phone = normalise_phone(phone)
    user.save(update_fields=["phone"])
    return user
