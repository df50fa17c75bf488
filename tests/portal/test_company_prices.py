"""A company manages its contracted prices in its portal, within the rules: never above the guide price,
never raised on its own during the term; a raise goes to the centre as a price-change request."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from pricing.models import PriceChangeRequest
from tests.portal.helpers import messages_of, set_price

pytestmark = [pytest.mark.django_db]

StockRecord = get_model("partner", "StockRecord")
PORTAL = reverse("company-portal")


def post_price(client, item, price, reason=""):
    return client.post(
        PORTAL, {"action": "set_price", "price-product": item.pk, "price-price": price, "price-reason": reason}
    )


def post_change_request(client, stockrecord, price, reason="人工成本上涨"):
    return client.post(
        PORTAL,
        {
            "action": "request_change",
            "change-stockrecord": stockrecord.pk,
            "change-requested_price": price,
            "change-reason": reason,
        },
    )


def price_of(company, item):
    return StockRecord.objects.get(partner=company.partner, product=item).price


def test_portal_shows_status_agreement_and_prices_beside_the_guide_price(client, contracted, item, company_user):
    set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)

    response = client.get(PORTAL)

    assert response.status_code == 200
    page = response.content.decode()
    assert contracted.legal_name in page
    assert "contracted" in page and "under inspection" in page and "approved" in page  # status and its history
    assert "2026-01-01" in page and "2026-12-31" in page and "2025-12-20" in page  # the agreement in force
    assert "日常保洁" in page and "¥80.00" in page and "¥85.00" in page
    assert response.context["price_rows"][0]["guide"].guide_price == Decimal("85.00")


def test_company_lowers_its_price(client, contracted, item, company_user):
    set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)

    response = post_price(client, item, "75.50")

    assert response.status_code == 302 and response.url == PORTAL
    assert price_of(contracted, item) == Decimal("75.50")
    page = client.get(PORTAL)
    assert any("¥75.50" in message for message in messages_of(page))


def test_raising_a_price_during_the_term_is_refused_with_the_numbers_and_changes_nothing(
    client, contracted, item, company_user
):
    set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)

    response = post_price(client, item, "84.00")

    assert response.status_code == 200
    errors = response.context["price_form"].errors["price"]
    assert "cannot raise its price during its contract term" in errors[0]
    assert "80.00" in errors[0] and "84.00" in errors[0]
    assert "cannot raise its price" in response.content.decode()
    assert price_of(contracted, item) == Decimal("80.00")


def test_price_above_the_guide_price_is_refused_with_the_numbers(client, contracted, item, company_user):
    client.force_login(company_user)

    response = post_price(client, item, "85.01")

    errors = response.context["price_form"].errors["price"]
    assert "above the guide price" in errors[0] and "85.01" in errors[0] and "85.00" in errors[0]
    assert not StockRecord.objects.filter(partner=contracted.partner).exists()


def test_price_exactly_at_the_guide_price_is_accepted(client, contracted, item, company_user):
    client.force_login(company_user)

    response = post_price(client, item, "85.00")

    assert response.status_code == 302
    assert price_of(contracted, item) == Decimal("85.00")


def test_price_with_three_decimal_places_is_refused_not_rounded(client, contracted, item, company_user):
    set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)

    response = post_price(client, item, "79.999")

    assert "price" in response.context["price_form"].errors
    assert price_of(contracted, item) == Decimal("80.00")


def test_item_without_a_guide_price_cannot_be_priced(client, contract_company, company_user, item):
    company = contract_company(1, user=company_user)  # no guide price published
    client.force_login(company_user)

    response = post_price(client, item, "50.00")

    assert "no published guide price" in response.context["price_form"].errors["product"][0]
    assert not StockRecord.objects.filter(partner=company.partner).exists()


def test_company_files_a_price_change_request_and_sees_it_listed(client, contracted, item, company_user):
    record = set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)

    response = post_change_request(client, record, "84.00")

    assert response.status_code == 302
    change = PriceChangeRequest.objects.get(stockrecord=record)
    assert change.status == PriceChangeRequest.Status.PENDING
    assert (change.current_price, change.requested_price) == (Decimal("80.00"), Decimal("84.00"))
    assert price_of(contracted, item) == Decimal("80.00")  # nothing changes until the centre decides
    page = client.get(PORTAL).content.decode()
    assert "人工成本上涨" in page and "¥84.00" in page and "pending" in page


def test_change_request_above_the_guide_price_is_refused_at_once(client, contracted, item, company_user):
    record = set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)

    response = post_change_request(client, record, "90.00")

    errors = response.context["change_form"].errors["requested_price"]
    assert "90.00" in errors[0] and "85.00" in errors[0]
    assert not PriceChangeRequest.objects.exists()


def test_change_request_without_a_reason_is_refused(client, contracted, item, company_user):
    record = set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)

    response = post_change_request(client, record, "84.00", reason="")

    assert "reason" in response.context["change_form"].errors
    assert not PriceChangeRequest.objects.exists()


def test_second_request_while_one_is_pending_is_refused(client, contracted, item, company_user):
    record = set_price(contracted, item, "80.00", company_user)
    client.force_login(company_user)
    post_change_request(client, record, "84.00")

    response = post_change_request(client, record, "83.00")

    assert "already waiting for a decision" in response.context["change_form"].non_field_errors()[0]
    assert PriceChangeRequest.objects.count() == 1
