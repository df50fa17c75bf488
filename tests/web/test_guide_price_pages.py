"""The published guide-price list (市场收费指导价): anyone can read it, search and filter it, and
download the same rows as CSV or Excel with the exact amounts."""
from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.web.test_catalogue_pages import add_item, publish

Category = get_model("catalogue", "Category")

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def repairs():
    return Category.add_root(name="日常维修", slug="repairs")


@pytest.fixture
def tap_price(repairs, administrator, policy):
    tap = add_item(repairs, "更换水龙头", "RP-001", description="上门更换厨房、卫生间水龙头", unit="piece")
    return publish(tap, administrator, "60.00", "48.00")


def csv_rows(response):
    assert response.content.startswith(BOM)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_sheet(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook["市场收费指导价"]


# --- the page --------------------------------------------------------------------------------------


@pytest.mark.chinese
def test_anonymous_visitor_sees_the_price_list_in_chinese_with_the_saving(client, guide_price):
    response = client.get(reverse("guide-price-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h2>家政服务</h2>" in html
    assert "日常保洁" in html
    assert "¥100.00" in html and "¥85.00" in html
    assert "¥15.00" in html and "15.0%" in html  # saving = market − guide
    assert "2026年市场调查" in html and "2026-10-01" in html


def test_regional_prices_are_listed_after_the_city_wide_one(client, guide_price, item, town, administrator):
    publish(item, administrator, "100.00", "80.00", region=town)

    rows = client.get(reverse("guide-price-list")).context["rows"]

    assert [(r.region, r.guide_price, r.saving, r.saving_percent) for r in rows][1:] == [
        ("昭阳街道", Decimal("80.00"), Decimal("20.00"), Decimal("20.0")),
    ]
    assert rows[0].guide_price == Decimal("85.00")


def test_search_finds_prices_by_item_and_leaves_out_the_rest(client, guide_price, tap_price):
    response = client.get(reverse("guide-price-list"), {"q": "水龙头"})

    html = response.content.decode()
    assert "更换水龙头" in html and "¥48.00" in html
    assert "日常保洁" not in html


def test_search_matches_the_category_name(client, guide_price, tap_price):
    rows = client.get(reverse("guide-price-list"), {"q": "维修"}).context["rows"]

    assert [r.item for r in rows] == ["更换水龙头"]


def test_category_filter_keeps_only_that_category(client, guide_price, tap_price, category):
    response = client.get(reverse("guide-price-list"), {"category": category.pk})

    assert [r.item for r in response.context["rows"]] == ["日常保洁"]
    assert "更换水龙头" not in response.content.decode()


def test_a_search_that_matches_nothing_says_so(client, guide_price):
    response = client.get(reverse("guide-price-list"), {"q": "不存在的服务"})

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert 'class="nothing-found"' in response.content.decode()


def test_an_item_in_two_categories_is_listed_once(client, guide_price, item, repairs):
    item.categories.add(repairs)

    rows = client.get(reverse("guide-price-list")).context["rows"]

    assert [(r.category, r.item) for r in rows] == [("家政服务", "日常保洁")]


def test_prices_of_non_public_items_are_not_listed(client, guide_price, item, tap_price):
    item.is_public = False
    item.save()

    rows = client.get(reverse("guide-price-list")).context["rows"]

    assert [r.item for r in rows] == ["更换水龙头"]


def test_download_links_carry_the_current_filters(client, guide_price, category):
    html = client.get(reverse("guide-price-list"), {"q": "保洁", "category": category.pk}).content.decode()

    query = f"?q=%E4%BF%9D%E6%B4%81&amp;category={category.pk}"
    assert f'href="{reverse("guide-price-export-csv")}{query}"' in html
    assert f'href="{reverse("guide-price-export-xlsx")}{query}"' in html


def test_the_list_runs_a_bounded_number_of_queries(client, category, repairs, administrator, policy,
                                                   django_assert_max_num_queries):
    for n in range(12):
        item = add_item(category if n % 2 else repairs, f"服务项目{n}", f"SV-{n:03d}")
        publish(item, administrator, "100.00", "85.00")

    with django_assert_max_num_queries(5):
        response = client.get(reverse("guide-price-list"))

    assert len(response.context["rows"]) == 12


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_download_has_a_bom_a_header_and_the_exact_amounts(client, guide_price, tap_price):
    response = client.get(reverse("guide-price-export-csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    header, *rows = csv_rows(response)
    assert len(header) == 11
    assert rows == [
        ["家政服务", "HK-001", "日常保洁", rows[0][3], rows[0][4], "100.00", "85.00", "15.00", "15.0",
         "2026年市场调查", "2026-10-01"],
        ["日常维修", "RP-001", "更换水龙头", rows[1][3], rows[1][4], "60.00", "48.00", "12.00", "20.0",
         "2026年市场调查", "2026-10-01"],
    ]


def test_csv_download_applies_the_same_filters_as_the_page(client, guide_price, tap_price):
    header, *rows = csv_rows(client.get(reverse("guide-price-export-csv"), {"q": "水龙头"}))

    assert [row[2] for row in rows] == ["更换水龙头"]


def test_csv_download_of_an_empty_search_has_only_the_header(client, guide_price):
    assert len(csv_rows(client.get(reverse("guide-price-export-csv"), {"q": "不存在的服务"}))) == 1


# --- Excel -----------------------------------------------------------------------------------------


def test_xlsx_download_opens_with_decimal_equal_amounts(client, guide_price, item, town, administrator):
    publish(item, administrator, "99.99", "84.99", region=town)

    response = client.get(reverse("guide-price-export-xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = xlsx_sheet(response)
    assert sheet.max_row == 3 and sheet.max_column == 11
    city_wide, regional = sheet[2], sheet[3]
    assert [city_wide[0].value, city_wide[1].value, city_wide[2].value] == ["家政服务", "HK-001", "日常保洁"]
    assert [Decimal(str(c.value)) for c in city_wide[5:8]] == [Decimal("100.00"), Decimal("85.00"), Decimal("15.00")]
    assert regional[4].value == "昭阳街道"
    assert [Decimal(str(c.value)) for c in regional[5:8]] == [Decimal("99.99"), Decimal("84.99"), Decimal("15.00")]
    assert all(c.number_format == "0.00" for c in regional[5:8])
    assert regional[10].value == datetime.datetime(2026, 10, 1)
    assert regional[9].value == "2026年市场调查"


def test_xlsx_download_applies_the_same_filters_as_the_page(client, guide_price, tap_price, category):
    sheet = xlsx_sheet(client.get(reverse("guide-price-export-xlsx"), {"category": category.pk}))

    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["日常保洁"]
