"""A small town with two contracted companies near each other, a priced item, and a resident."""
import datetime
from decimal import Decimal

import pytest

from marketplace.models import ServiceRequest
from marketplace.services import request_create
from pricing.services import contract_price_set


@pytest.fixture
def companies(contract_company, item, guide_price, administrator, frozen_now):
    """Company 1 is 1 km from the resident, company 2 about 3 km, company 3 about 6 km; all open 24 h."""
    made = []
    for n, (lat, lng) in enumerate([(27.3400, 117.4900), (27.3580, 117.4900), (27.3850, 117.4900)], start=1):
        company = contract_company(n)
        company.base_latitude, company.base_longitude = Decimal(str(lat)), Decimal(str(lng))
        company.opens_at = company.closes_at = datetime.time(0, 0)
        company.save()
        contract_price_set(partner=company.partner, product=item, price="80.00", actor=administrator, reason="报价")
        made.append(company)
    return made


@pytest.fixture
def raise_request(resident, item, town):
    def make(**overrides) -> ServiceRequest:
        fields = dict(
            resident=resident, created_by=resident, product=item, description="厨房和客厅保洁",
            address="昭阳街道东关社区1号", latitude=Decimal("27.331000"), longitude=Decimal("117.490000"),
            contact_phone="13900000001", channel=ServiceRequest.Channel.WEB,
        )
        fields.update(overrides)
        request, _created = request_create(**fields)
        return request

    return make
