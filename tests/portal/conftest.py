"""Fixtures for the web pages: English pages (so assertions read the English messages), frozen time,
and a contracted company with a published guide price."""
from __future__ import annotations

import pytest
import time_machine
from django.conf import settings

from tests.portal.helpers import NOW


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def frozen_time():
    # The fixtures' agreement runs 2026-01-01..2026-12-31; today is inside it.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def contracted(contract_company, company_user, guide_price):
    """Company 1, contracted (agreement in force), staffed by ``company_user``; item HK-001 guide ¥85.00."""
    return contract_company(1, user=company_user)
