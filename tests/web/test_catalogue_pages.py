"""The public service catalogue: anyone can browse, search and filter the list and read one item's
definition — its booking questions, guide prices and the contracted companies that offer it."""
from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.models import ServiceItemProfile
from pricing.services import contract_price_set, guide_price_set
from providers.models import CompanyStatus
from providers.services import company_transition

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
AttributeOption = get_model("catalogue", "AttributeOption")

NOW = datetime.datetime(2026, 11, 23, 10, 0)


def add_item(category, title, upc, *, description="", unit="visit", served_by="company", department=""):
    product = Product.objects.create(
        title=title, upc=upc, description=description, product_class=category_product_class(), structure="standalone"
    )
    product.categories.add(category)
    ServiceItemProfile.objects.create(product=product, unit=unit, served_by=served_by, department=department)
    return product


def category_product_class():
    product_class, _ = ProductClass.objects.get_or_create(
        name="上门服务", defaults={"track_stock": False, "requires_shipping": False}
    )
    return product_class


def publish(item, administrator, market, guide, region=None):
    with time_machine.travel(NOW, tick=False):
        return guide_price_set(
            product=item, region=region, market_price=market, market_source="2026年市场调查",
            market_surveyed_on=datetime.date(2026, 10, 1), guide_price=guide, actor=administrator, reason="发布",
        )


def set_contract_price(company, item, price, administrator):
    with time_machine.travel(NOW, tick=False):
        return contract_price_set(partner=company.partner, product=item, price=price, actor=administrator, reason="签约价")


@pytest.fixture
def repairs():
    return Category.add_root(name="日常维修", slug="repairs")


@pytest.fixture
def tap(repairs):
    return add_item(repairs, "更换水龙头", "RP-001", description="上门更换厨房、卫生间水龙头", unit="piece")


# --- the list --------------------------------------------------------------------------------------


@pytest.mark.chinese
def test_anonymous_visitor_sees_the_catalogue_in_chinese(client, guide_price, tap):
    response = client.get(reverse("catalogue-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "家政服务" in html and "日常维修" in html
    assert "日常保洁" in html and "更换水龙头" in html
    assert "¥85.00" in html  # the city-wide guide price of 日常保洁
    assert response.context["item_count"] == 2


def test_categories_are_listed_in_tree_order(client, category, item, tap):
    cleaning = category.add_child(name="保洁", slug="cleaning")
    add_item(cleaning, "深度保洁", "HK-002")

    response = client.get(reverse("catalogue-list"))

    assert [s.category.name for s in response.context["sections"]] == ["家政服务", "保洁", "日常维修"]
    html = response.content.decode()
    assert html.index("<h2>家政服务</h2>") < html.index("<h2>保洁</h2>") < html.index("<h2>日常维修</h2>")


def test_search_finds_an_item_by_its_title_and_leaves_out_the_rest(client, item, tap):
    response = client.get(reverse("catalogue-list"), {"q": "保洁"})

    html = response.content.decode()
    assert "日常保洁" in html
    assert "更换水龙头" not in html
    assert response.context["item_count"] == 1


def test_search_matches_the_description(client, item, tap):
    response = client.get(reverse("catalogue-list"), {"q": "卫生间"})

    assert [i.title for s in response.context["sections"] for i in s.items] == ["更换水龙头"]


def test_search_matches_a_category_name_and_its_sub_categories(client, category, item, tap):
    cleaning = category.add_child(name="保洁", slug="cleaning")
    add_item(cleaning, "深度清洗油烟机", "HK-003")

    response = client.get(reverse("catalogue-list"), {"q": "家政"})

    titles = {i.title for s in response.context["sections"] for i in s.items}
    assert titles == {"日常保洁", "深度清洗油烟机"}


def test_category_filter_shows_that_category_and_its_sub_categories_only(client, category, item, tap):
    cleaning = category.add_child(name="保洁", slug="cleaning")
    add_item(cleaning, "深度清洗油烟机", "HK-003")

    response = client.get(reverse("catalogue-list"), {"category": category.pk})

    html = response.content.decode()
    assert "日常保洁" in html and "深度清洗油烟机" in html
    assert "更换水龙头" not in html
    assert response.context["item_count"] == 2
    assert f'<option value="{category.pk}" selected>' in html


def test_search_and_category_filter_combine(client, category, item, tap, repairs):
    response = client.get(reverse("catalogue-list"), {"q": "保洁", "category": repairs.pk})

    assert response.context["item_count"] == 0
    assert 'class="nothing-found"' in response.content.decode()


def test_a_search_that_matches_nothing_says_so(client, item):
    response = client.get(reverse("catalogue-list"), {"q": "不存在的服务"})

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["item_count"] == 0
    assert 'class="nothing-found"' in html
    assert "日常保洁" not in html


def test_an_unknown_or_malformed_category_shows_nothing_rather_than_failing(client, item):
    unknown = client.get(reverse("catalogue-list"), {"category": "999999"})

    assert unknown.status_code == 200 and unknown.context["item_count"] == 0
    for junk in ("abc", "²", "9" * 30, "-1"):
        response = client.get(reverse("catalogue-list"), {"category": junk})
        assert response.status_code == 200 and response.context["item_count"] == 1  # ignored


def test_non_public_items_are_not_listed(client, item, tap):
    tap.is_public = False
    tap.save()

    html = client.get(reverse("catalogue-list")).content.decode()

    assert "日常保洁" in html
    assert "更换水龙头" not in html


def test_the_list_runs_a_bounded_number_of_queries(client, category, repairs, administrator, policy,
                                                   django_assert_max_num_queries):
    for n in range(12):
        item = add_item(category if n % 2 else repairs, f"服务项目{n}", f"SV-{n:03d}")
        publish(item, administrator, "100.00", "85.00")

    with django_assert_max_num_queries(6):
        response = client.get(reverse("catalogue-list"))

    assert response.context["item_count"] == 12


# --- one item --------------------------------------------------------------------------------------


@pytest.mark.chinese
def test_item_page_shows_what_the_item_is_and_who_serves_it(client, category):
    item = add_item(category, "家电清洗", "HK-010", description="空调、洗衣机清洗", unit="piece",
                    served_by="company", department="市商务局")

    response = client.get(reverse("catalogue-item", args=[item.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "家电清洗" in html and "空调、洗衣机清洗" in html
    assert "家政服务" in html
    assert "市商务局" in html
    assert str(ServiceItemProfile.Unit.PIECE.label) in html
    assert str(ServiceItemProfile.ServedBy.COMPANY.label) in html


def test_item_page_lists_the_booking_questions_with_their_options(client, item):
    group = AttributeOptionGroup.objects.create(name="保洁类型")
    AttributeOption.objects.create(group=group, option="日常清扫")
    AttributeOption.objects.create(group=group, option="开荒保洁")
    ProductAttribute.objects.create(product_class=item.product_class, name="房屋面积（平方米）", code="area",
                                    type="float", required=True)
    ProductAttribute.objects.create(product_class=item.product_class, name="保洁类型", code="kind",
                                    type="option", option_group=group, required=False)

    response = client.get(reverse("catalogue-item", args=[item.pk]))

    html = response.content.decode()
    questions = list(response.context["questions"])
    assert [(q.name, q.type, q.required) for q in questions] == [
        ("房屋面积（平方米）", "float", True), ("保洁类型", "option", False),
    ]
    assert "房屋面积（平方米）" in html
    assert "日常清扫" in html and "开荒保洁" in html


def test_item_page_shows_city_wide_and_regional_guide_prices_with_the_saving(client, guide_price, item, town,
                                                                             administrator):
    publish(item, administrator, "100.00", "80.00", region=town)

    response = client.get(reverse("catalogue-item", args=[item.pk]))

    html = response.content.decode()
    rows = response.context["guide_prices"]
    assert [(r.region, r.guide_price, r.saving) for r in rows][1:] == [("昭阳街道", 80, 20)]
    assert "¥100.00" in html and "¥85.00" in html and "¥80.00" in html
    assert "¥15.00" in html and "15.0%" in html and "20.0%" in html
    assert "2026年市场调查" in html and "2026-10-01" in html


def test_item_page_lists_contracted_companies_but_not_applicants_or_suspended_ones(
    client, guide_price, item, contract_company, apply_company, administrator
):
    contracted = contract_company(1)
    suspended = contract_company(2)
    applicant = apply_company(3)
    set_contract_price(contracted, item, "80.00", administrator)
    set_contract_price(suspended, item, "82.00", administrator)
    set_contract_price(applicant, item, "79.00", administrator)
    with time_machine.travel(NOW, tick=False):
        company_transition(company=suspended, to_status=CompanyStatus.SUSPENDED, actor=administrator, reason="整改")

    response = client.get(reverse("catalogue-item", args=[item.pk]))

    html = response.content.decode()
    assert contracted.legal_name in html and "¥80.00" in html
    assert suspended.legal_name not in html and "¥82.00" not in html
    assert applicant.legal_name not in html and "¥79.00" not in html


def test_unknown_item_is_not_found(client, item):
    assert client.get(reverse("catalogue-item", args=[item.pk + 1000])).status_code == 404
    assert client.get(f"/catalogue/{'9' * 30}/").status_code == 404


def test_non_public_item_is_not_found(client, item):
    item.is_public = False
    item.save()

    assert client.get(reverse("catalogue-item", args=[item.pk])).status_code == 404


def test_item_page_runs_a_bounded_number_of_queries(client, guide_price, item, town, contract_company,
                                                    administrator, django_assert_max_num_queries):
    publish(item, administrator, "100.00", "80.00", region=town)
    group = AttributeOptionGroup.objects.create(name="保洁类型")
    for n, option in enumerate(["日常清扫", "开荒保洁", "深度保洁"]):
        AttributeOption.objects.create(group=group, option=option)
        ProductAttribute.objects.create(product_class=item.product_class, name=f"问题{n}", code=f"q{n}",
                                        type="option", option_group=group)
    for n in (1, 2):
        set_contract_price(contract_company(n), item, "80.00", administrator)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("catalogue-item", args=[item.pk]))

    assert len(response.context["offers"]) == 2
