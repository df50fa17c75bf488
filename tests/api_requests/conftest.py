"""Fixtures for the request API: the three companies and ``raise_request`` of tests/requests, plus
helpers to call the API as each persona. Time is frozen at 2026-11-23 10:00 in every test here."""
from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from marketplace.models import LinkedUnit
from tests.api import client_for
from tests.requests.conftest import companies, raise_request  # noqa: F401 — shared fixtures

_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _clock(frozen_now):
    return frozen_now


@pytest.fixture
def request_body(item):
    """What the app sends for a cleaning visit near company 1 (about 1 km away)."""

    def make(**overrides) -> dict:
        body = {
            "item": item.pk,
            "description": "厨房和客厅保洁",
            "answers": {},
            "address": "昭阳街道东关社区1号",
            "latitude": "27.331000",
            "longitude": "117.490000",
            "as_soon_as_possible": True,
            "contact_phone": "13900000001",
        }
        body.update(overrides)
        return body

    return make


@pytest.fixture
def create_request(request_body):
    """POST /api/requests/ as ``user`` with an idempotency key (a fresh one unless given)."""

    def post(user, *, key: str | None = "auto", **overrides):
        headers = {}
        if key == "auto":
            key = f"key-{next(_keys)}"
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return client_for(user).post(reverse("api-requests"), request_body(**overrides), format="json", **headers)

    return post


@pytest.fixture
def linked_unit(db):
    return LinkedUnit.objects.create(
        code="ZJJ", name="邵武市住建局", kind=LinkedUnit.Kind.DEPARTMENT, duty_contact_name="李科长", duty_contact_phone="0599-6300000"
    )


def get(user, url_name: str, /, *args, **params):
    return client_for(user).get(reverse(url_name, args=args), params)


def post(user, url_name: str, /, *args, **body):
    return client_for(user).post(reverse(url_name, args=args), body, format="json")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]
