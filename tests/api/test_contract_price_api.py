"""A company's contracted prices through the API: at most the guide price, no raise during the term,
and only the company's own staff (or an administrator) may set them."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from pricing.services import contract_price_set
from tests.api import ANONYMOUS_REFUSED, client_for, staff_of

StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "guide_price")]


@pytest.fixture
def company(contract_company):
    """Contracted for 2026 (in term today); the item's guide price is ¥85.00 city-wide."""
    return contract_company(1)


def prices_url(company):
    return reverse("api-company-prices", args=[company.pk])


def set_price(user, company, item, price, reason="报价"):
    return client_for(user).post(prices_url(company), {"item": item.pk, "price": price, "reason": reason}, format="json")


def price_of(company, item):
    record = StockRecord.objects.filter(partner=company.partner, product=item).first()
    return record.price if record else None


def test_company_staff_set_a_price_exactly_equal_to_the_guide_price(company, item):
    response = set_price(staff_of(company), company, item, "85.00")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["price"], body["guide_price"], body["currency"]) == ("85.00", "85.00", "CNY")
    assert price_of(company, item) == Decimal("85.00")


def test_price_one_fen_above_the_guide_price_is_refused(company, item):
    response = set_price(staff_of(company), company, item, "85.01")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "contract_price_above_guide"
    assert "85.01" in body["detail"] and "85.00" in body["detail"]
    assert price_of(company, item) is None


def test_raising_the_price_during_the_term_is_refused(company, item):
    staff = staff_of(company)
    assert set_price(staff, company, item, "80.00").status_code == 201
    response = set_price(staff, company, item, "80.01")
    assert response.status_code == 400
    assert response.json()["code"] == "price_raise_during_term"
    assert price_of(company, item) == Decimal("80.00")


def test_lowering_the_price_during_the_term_is_allowed(company, item):
    staff = staff_of(company)
    set_price(staff, company, item, "80.00")
    response = set_price(staff, company, item, "79.50")
    assert response.status_code == 200
    assert price_of(company, item) == Decimal("79.50")


def test_amount_with_three_decimals_is_refused_not_rounded(company, item):
    response = set_price(staff_of(company), company, item, "80.005")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "price" in response.json()["detail"]
    assert price_of(company, item) is None


def test_item_without_guide_price_cannot_be_priced(company, item, guide_price):
    guide_price.delete()
    response = set_price(staff_of(company), company, item, "10.00")
    assert response.status_code == 400
    assert response.json()["code"] == "no_guide_price"


def test_administrator_sets_a_companys_price(company, item, administrator):
    assert set_price(administrator, company, item, "84.00").status_code == 201
    assert price_of(company, item) == Decimal("84.00")


def test_price_list_shows_each_price_beside_its_guide_price(company, item, administrator):
    contract_price_set(partner=company.partner, product=item, price="82.00", actor=administrator, reason="签约")
    for user in (staff_of(company), administrator):
        response = client_for(user).get(prices_url(company))
        assert response.status_code == 200
        [row] = response.json()
        assert row["item"]["upc"] == "HK-001"
        assert (row["price"], row["guide_price"]) == ("82.00", "85.00")


def test_centre_agent_reads_but_cannot_set_prices(company, item, agent):
    assert client_for(agent).get(prices_url(company)).status_code == 200
    assert set_price(agent, company, item, "80.00").status_code == 403
    assert price_of(company, item) is None


def test_staff_of_another_company_get_404(company, contract_company, item):
    other = contract_company(2)
    outsider_staff = staff_of(other)
    assert client_for(outsider_staff).get(prices_url(company)).status_code == 404
    assert set_price(outsider_staff, company, item, "80.00").status_code == 404
    assert price_of(company, item) is None


@pytest.mark.parametrize("persona", ["resident", "finance_officer"])
def test_other_roles_cannot_read_or_set_prices(persona, company, item, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(prices_url(company)).status_code == 403
    assert set_price(user, company, item, "80.00").status_code == 403
    assert price_of(company, item) is None


def test_anonymous_cannot_read_or_set_prices(company, item):
    assert client_for().get(prices_url(company)).status_code in ANONYMOUS_REFUSED
    response = client_for().post(prices_url(company), {"item": item.pk, "price": "80.00"}, format="json")
    assert response.status_code in ANONYMOUS_REFUSED
    assert price_of(company, item) is None
