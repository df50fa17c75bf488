"""A small catalogue as Open311 sees it: a company item with booking questions of every kind, an
item the centre answers itself, and items that must stay out (not public, no service profile); plus a
partner key issued by the administrator."""
from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from oscar.core.loading import get_model

from marketplace.models import ServiceItemProfile, ServiceRequest
from marketplace.open311.services import open311_client_issue

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
AttributeOption = get_model("catalogue", "AttributeOption")

BASE = "/open311/v2"
JURISDICTION = "shaowu.minsheng110.cn"


@pytest.fixture
def questions(item):
    """Booking questions on the item's product class (上门服务), created in this order."""
    product_class = item.get_product_class()
    floors = AttributeOptionGroup.objects.create(name="地面")
    for option in ("木地板", "瓷砖"):
        AttributeOption.objects.create(group=floors, option=option)
    extras = AttributeOptionGroup.objects.create(name="附加项目")
    for option in ("擦窗", "清洁冰箱"):
        AttributeOption.objects.create(group=extras, option=option)
    make = ProductAttribute.objects.create
    return [
        make(product_class=product_class, name="房屋面积（平方米）", code="area", type="integer", required=True),
        make(product_class=product_class, name="地面类型", code="floor", type="option", option_group=floors),
        make(product_class=product_class, name="附加项目", code="extras", type="multi_option", option_group=extras),
        make(product_class=product_class, name="家中有宠物", code="pets", type="boolean"),
        make(product_class=product_class, name="补充说明", code="notes", type="richtext"),
        make(product_class=product_class, name="门牌号", code="door", type="text"),
        make(product_class=product_class, name="希望上门日期", code="visit_on", type="date"),
    ]


@pytest.fixture
def catalogue(item, questions, category, policy, city):
    """HK-001 (company, with questions), ZX-001 (centre, no questions), and two that must not show."""
    advice = Category.add_root(name="答疑解惑", slug="advice")
    plain, _ = ProductClass.objects.get_or_create(
        name="咨询", defaults={"track_stock": False, "requires_shipping": False}
    )
    consult = Product.objects.create(title="政策咨询", upc="ZX-001", product_class=plain, structure="standalone",
                                     description="<p>政策、办事和便民信息咨询</p>")
    consult.categories.add(advice)
    ServiceItemProfile.objects.create(product=consult, served_by="centre", department="市民生110服务中心")

    hidden = Product.objects.create(title="下架项目", upc="OFF-001", product_class=plain, structure="standalone",
                                    is_public=False)
    ServiceItemProfile.objects.create(product=hidden, served_by="company")
    Product.objects.create(title="无档案项目", upc="NOP-001", product_class=plain, structure="standalone")
    return {"housekeeping": item, "consult": consult}


@pytest.fixture
def partner(administrator):
    """(client, raw key) for a partner system."""
    return open311_client_issue(name="邵武随手拍", issued_by=administrator)


@pytest.fixture
def post_fields():
    def make(**overrides) -> dict:
        fields = {
            "service_code": "HK-001",
            "lat": "27.331000",
            "long": "117.490000",
            "address_string": "昭阳街道东关社区1号",
            "phone": "13900000077",
            "first_name": "阿姨",
            "last_name": "林",
            "email": "lin@example.com",
            "description": "厨房和客厅保洁",
            "attribute[area]": "80",
        }
        fields.update(overrides)
        return {k: v for k, v in fields.items() if v is not None}

    return make


@pytest.fixture
def raise_request(resident, item, questions, town, policy):
    """A request raised on the web by the resident (every channel shows in the public list)."""
    from marketplace.services import request_create

    def make(**overrides) -> ServiceRequest:
        fields = {
            "resident": resident, "created_by": resident, "product": item, "description": "厨房和客厅保洁",
            "address": "昭阳街道东关社区1号", "latitude": Decimal("27.331000"), "longitude": Decimal("117.490000"),
            "contact_phone": "13900000001", "channel": ServiceRequest.Channel.WEB, "answers": {"area": 60},
        }
        fields.update(overrides)
        request, _created = request_create(**fields)
        return request

    return make


def xml_of(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def errors_of(response, format: str) -> list[dict]:
    """The spec's error document as [{code, description}], from either format."""
    if format == "xml":
        root = xml_of(response)
        assert root.tag == "errors"
        return [
            {"code": int(e.findtext("code")), "description": e.findtext("description")} for e in root.findall("error")
        ]
    return json_of(response)
