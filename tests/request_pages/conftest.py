"""Fixtures for the request pages: English pages (assertions read the English messages), the clock
frozen at 2026-11-23 10:00, the yearly policy, a consultation item the centre answers itself, a linked
unit, and the request fixtures of tests/requests."""
from __future__ import annotations

import pytest
from django.conf import settings
from oscar.core.loading import get_model

from marketplace.models import LinkedUnit, Region, ServiceItemProfile
from tests.requests.conftest import companies, raise_request  # noqa: F401

Product = get_model("catalogue", "Product")


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _frozen_with_policy(frozen_now, policy):
    """Every test runs at 2026-11-23 10:00 with the 2026 policy (deadlines: respond in 30 min)."""
    return frozen_now


@pytest.fixture
def community(city):
    return Region.objects.get(code="350781001001")


@pytest.fixture
def consultation(category):
    """An item the centre answers itself (即办): it waits for an agent instead of going to the matcher."""
    product = Product.objects.create(title="政策咨询", upc="QA-001", product_class=category_product_class(),
                                     structure="standalone")
    product.categories.add(category)
    ServiceItemProfile.objects.create(product=product, unit="visit", served_by="centre")
    return product


def category_product_class():
    ProductClass = get_model("catalogue", "ProductClass")
    product_class, _ = ProductClass.objects.get_or_create(name="上门服务", defaults={"track_stock": False, "requires_shipping": False})
    return product_class


@pytest.fixture
def linked_unit(town):
    return LinkedUnit.objects.create(code="ZY-OFFICE", name="昭阳街道办事处", kind=LinkedUnit.Kind.TOWN_OFFICE, region=town,
                                     duty_contact_name="李值班", duty_contact_phone="0599-6300001")
