"""The public catalogue API: anyone may browse categories, items, booking questions and guide prices."""
import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.models import ServiceItemProfile
from tests.api import client_for

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
AttributeOption = get_model("catalogue", "AttributeOption")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def repairs(db):
    """A second root category with a sub-category holding one item."""
    root = Category.add_root(name="日常维修", slug="repairs")
    plumbing = root.add_child(name="水电维修", slug="plumbing")
    product = Product.objects.create(
        title="水管疏通", upc="RP-001", description="厨房、卫生间下水道疏通", product_class_id=None, structure="standalone"
    )
    product.categories.add(plumbing)
    ServiceItemProfile.objects.create(product=product, unit="visit", served_by="company", department="住建局")
    return root, plumbing, product


@pytest.fixture
def booking_questions(item):
    group = AttributeOptionGroup.objects.create(name="房屋类型")
    for option in ("公寓", "别墅"):
        AttributeOption.objects.create(group=group, option=option)
    product_class = item.get_product_class()
    ProductAttribute.objects.create(
        product_class=product_class, name="房屋类型", code="house_type", type="option", option_group=group, required=True
    )
    ProductAttribute.objects.create(product_class=product_class, name="面积", code="area", type="integer", required=False)


def test_anyone_can_list_categories_in_tree_order(category, repairs):
    root, plumbing, _product = repairs
    response = client_for().get(reverse("api-catalogue-categories"))
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()}
    assert rows["housekeeping"]["parent"] is None
    assert rows["plumbing"]["parent"] == root.pk
    assert rows["plumbing"]["depth"] == 2


def test_anyone_can_list_items_with_unit_and_guide_price(guide_price, repairs):
    response = client_for().get(reverse("api-catalogue-items"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rows = {row["upc"]: row for row in body["results"]}
    assert rows["HK-001"]["unit"] == "hour"
    assert rows["HK-001"]["served_by"] == "company"
    assert rows["HK-001"]["guide_price"] == "85.00"
    assert rows["RP-001"]["guide_price"] is None
    assert rows["RP-001"]["department"] == "住建局"


def test_items_can_be_searched_by_words(item, repairs):
    response = client_for().get(reverse("api-catalogue-items"), {"q": "下水道"})
    assert [row["upc"] for row in response.json()["results"]] == ["RP-001"]


def test_category_filter_includes_sub_categories(item, repairs):
    root, _plumbing, _product = repairs
    response = client_for().get(reverse("api-catalogue-items"), {"category": root.pk})
    assert [row["upc"] for row in response.json()["results"]] == ["RP-001"]


def test_unknown_category_filter_is_a_clear_400(item):
    response = client_for().get(reverse("api-catalogue-items"), {"category": 999999})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "category" in response.json()["detail"]


def test_item_detail_shows_booking_questions_and_city_wide_guide_price(item, guide_price, booking_questions):
    response = client_for().get(reverse("api-catalogue-item", args=[item.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "日常保洁"
    assert body["unit"] == "hour"
    assert body["served_by"] == "company"
    questions = {q["code"]: q for q in body["booking_questions"]}
    assert questions["house_type"] == {
        "code": "house_type", "name": "房屋类型", "type": "option", "required": True, "options": ["公寓", "别墅"],
    }
    assert questions["area"]["required"] is False and questions["area"]["options"] == []
    assert body["guide_price"]["guide_price"] == "85.00"
    assert body["guide_price"]["market_price"] == "100.00"
    assert body["guide_price"]["saving"] == "15.00"


def test_item_without_guide_price_shows_null(item):
    response = client_for().get(reverse("api-catalogue-item", args=[item.pk]))
    assert response.status_code == 200
    assert response.json()["guide_price"] is None


def test_hidden_or_missing_item_is_404(item):
    item.is_public = False
    item.save()
    assert client_for().get(reverse("api-catalogue-item", args=[item.pk])).status_code == 404
    assert client_for().get(reverse("api-catalogue-item", args=[999999])).status_code == 404


def test_item_list_runs_a_fixed_number_of_queries(item, guide_price, repairs, django_assert_max_num_queries):
    for n in range(10):
        extra = Product.objects.create(title=f"保洁套餐{n}", upc=f"HK-1{n:02d}", product_class=item.product_class)
        extra.categories.add(*item.categories.all())
    with django_assert_max_num_queries(6):
        response = client_for().get(reverse("api-catalogue-items"))
    assert response.json()["count"] == 12
