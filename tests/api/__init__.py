"""Tests of the REST API (/api/). Shared helpers live here; fixtures come from tests/conftest.py."""
from __future__ import annotations

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

# Today in every API test: the 2026 policy and the 2026 contract term apply.
NOW = datetime.datetime(2026, 11, 23, 10, 0)


def client_for(user=None) -> APIClient:
    """An API client signed in as ``user`` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


def staff_of(company):
    """The company's first staff user (the one who applied)."""
    return company.partner.users.order_by("pk").first()


# What an anonymous caller may get for a protected endpoint (403 under session authentication).
ANONYMOUS_REFUSED = (401, 403)
