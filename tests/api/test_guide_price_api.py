"""Guide prices through the API: the public list, and the administrator's writes under the 85% rule."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from pricing.models import GuidePrice
from tests.api import ANONYMOUS_REFUSED, client_for
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "policy")]

URL = "/api/guide-prices/"


def payload(item, market="100.00", guide="85.00", **extra):
    return {
        "item": item.pk,
        "market_price": market,
        "guide_price": guide,
        "market_source": "物价局 2026 调查",
        "market_surveyed_on": "2026-10-01",
        "reason": "年度调整",
        **extra,
    }


def test_url_name_points_at_the_guide_price_list():
    assert reverse("api-guide-prices") == URL


def test_anyone_can_list_guide_prices_with_the_saving(guide_price):
    response = client_for().get(URL)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["item"]["upc"] == "HK-001"
    assert row["region"] is None
    assert (row["market_price"], row["guide_price"], row["saving"]) == ("100.00", "85.00", "15.00")


def test_guide_price_list_filters_by_words_and_category(guide_price, category):
    assert client_for().get(URL, {"q": "保洁"}).json()["count"] == 1
    assert client_for().get(URL, {"q": "疏通"}).json()["count"] == 0
    assert client_for().get(URL, {"category": category.pk}).json()["count"] == 1


def test_administrator_publishes_guide_price_of_exactly_85_percent(item, administrator):
    response = client_for(administrator).post(URL, payload(item, "100.00", "85.00"), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["guide_price"] == "85.00"
    record = GuidePrice.objects.get(product=item, region=None)
    assert record.guide_price == Decimal("85.00")
    assert record.history.first().history_change_reason == "年度调整"


def test_guide_price_one_fen_above_85_percent_is_refused_with_the_numbers(item, administrator):
    response = client_for(administrator).post(URL, payload(item, "100.00", "85.01"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "guide_price_above_limit"
    assert "85.01" in body["detail"] and "100.00" in body["detail"]
    assert body["params"]["guide_price"] == "85.01"
    assert body["params"]["market_price"] == "100.00"
    assert Decimal(body["params"]["limit"]) == Decimal("85.00")
    assert not GuidePrice.objects.exists()


def test_refused_change_keeps_the_published_price(guide_price, item, administrator):
    response = client_for(administrator).post(URL, payload(item, "90.00", "80.00"), format="json")
    assert response.json()["code"] == "guide_price_above_limit"
    guide_price.refresh_from_db()
    assert (guide_price.market_price, guide_price.guide_price) == (Decimal("100.00"), Decimal("85.00"))


def test_amount_with_three_decimals_is_refused_not_rounded(item, administrator):
    response = client_for(administrator).post(URL, payload(item, "100.00", "80.001"), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "guide_price" in response.json()["detail"]
    assert not GuidePrice.objects.exists()


def test_negative_amount_is_refused(item, administrator):
    response = client_for(administrator).post(URL, payload(item, "-100.00", "-90.00"), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_amount"
    assert not GuidePrice.objects.exists()


def test_survey_date_in_the_future_is_refused(item, administrator):
    response = client_for(administrator).post(URL, payload(item, market_surveyed_on="2026-12-01"), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "survey_in_future"


def test_unknown_item_or_region_is_a_clear_400(item, administrator):
    response = client_for(administrator).post(URL, {**payload(item), "item": 999999}, format="json")
    assert response.status_code == 400 and "item" in response.json()["detail"]
    response = client_for(administrator).post(URL, payload(item, region="nowhere"), format="json")
    assert response.status_code == 400 and "region" in response.json()["detail"]
    assert not GuidePrice.objects.exists()


def test_administrator_publishes_a_regional_guide_price_by_region_code(item, town, administrator):
    response = client_for(administrator).post(URL, payload(item, "120.00", "100.00", region=town.code), format="json")
    assert response.status_code == 201
    assert response.json()["region"] == {"code": town.code, "name": town.name}
    assert GuidePrice.objects.get(product=item, region=town).guide_price == Decimal("100.00")


def test_retried_identical_post_is_harmless(item, administrator):
    client = client_for(administrator)
    first = client.post(URL, payload(item), format="json")
    again = client.post(URL, payload(item), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["guide_price"] == first.json()["guide_price"] == "85.00"
    assert GuidePrice.objects.filter(product=item).count() == 1
    record = GuidePrice.objects.get(product=item)
    assert (record.market_price, record.guide_price) == (Decimal("100.00"), Decimal("85.00"))


def test_a_second_post_changes_the_published_price(guide_price, item, administrator):
    response = client_for(administrator).post(URL, payload(item, "100.00", "80.00"), format="json")
    assert response.status_code == 200
    guide_price.refresh_from_db()
    assert guide_price.guide_price == Decimal("80.00")


def test_anonymous_cannot_publish_guide_prices(item):
    response = client_for().post(URL, payload(item), format="json")
    assert response.status_code in ANONYMOUS_REFUSED
    assert not GuidePrice.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "agent", "finance_officer", "company_user"])
def test_only_administrators_publish_guide_prices(persona, item, request):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(URL, payload(item), format="json")
    assert response.status_code == 403
    assert not GuidePrice.objects.exists()


def test_session_post_without_csrf_token_is_refused(item, administrator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = client.post(URL, payload(item), format="json")
    assert response.status_code == 403
    assert not GuidePrice.objects.exists()


def test_superuser_counts_as_administrator(item):
    root = make_user("root@example.com", is_superuser=True, is_staff=True)
    assert client_for(root).post(URL, payload(item), format="json").status_code == 201


def test_guide_price_list_runs_a_fixed_number_of_queries(item, administrator, django_assert_max_num_queries):
    from oscar.core.loading import get_model

    from pricing.services import guide_price_set

    Product = get_model("catalogue", "Product")
    for n in range(10):
        product = Product.objects.create(title=f"保洁套餐{n}", upc=f"HK-1{n:02d}", product_class=item.product_class)
        product.categories.add(*item.categories.all())
        guide_price_set(
            product=product, region=None, market_price="100.00", market_source="物价局",
            market_surveyed_on=datetime.date(2026, 10, 1), guide_price="80.00", actor=administrator, reason="发布",
        )
    with django_assert_max_num_queries(6):
        response = client_for().get(URL)
    assert response.json()["count"] == 10
