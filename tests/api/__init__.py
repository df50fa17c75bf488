"""Tests of the REST API (/api/). Shared helpers live here; fixtures come from tests/conftest.py.
The tests run with time frozen at 2026-11-23 10:00 (``frozen_now``): the 2026 policy and contract term apply."""
from __future__ import annotations

from rest_framework.test import APIClient


def client_for(user=None) -> APIClient:
    """An API client signed in as ``user`` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def staff_of(company):
    """The company's first staff user (the one who applied)."""
    return company.partner.users.order_by("pk").first()


# What an anonymous caller may get for a protected endpoint (403 under session authentication).
ANONYMOUS_REFUSED = (401, 403)
