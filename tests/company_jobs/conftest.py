"""Fixtures for the company portal's offers and jobs pages: three contracted companies near the
resident (from tests/requests), English pages, and a helper that offers a request to company 1."""
from __future__ import annotations

import pytest
from django.conf import settings

from matching.models import Offer
from matching.services import requests_assign_waiting
from tests.requests.conftest import companies, raise_request  # noqa: F401


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff(companies):  # noqa: F811
    """The staff users of companies 1, 2 and 3 (index 0, 1, 2)."""
    return [company.partner.users.first() for company in companies]


@pytest.fixture
def offered(companies, raise_request):  # noqa: F811
    """Raise a request and run the matcher: company 1 (nearest) holds the open offer. Returns the offer."""

    def make(**overrides) -> Offer:
        request = raise_request(**overrides)
        requests_assign_waiting()
        return Offer.objects.get(request=request, status=Offer.Status.PENDING)

    return make
