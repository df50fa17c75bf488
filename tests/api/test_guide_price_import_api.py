"""CSV import of guide prices through the API: every row or none, with each bad row named."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from pricing.models import GuidePrice
from tests.api import ANONYMOUS_REFUSED, client_for

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "policy")]

HEADER = "item_upc,region_code,market_price,market_source,market_surveyed_on,guide_price\n"


@pytest.fixture
def second_item(item):
    return Product.objects.create(title="家电清洗", upc="HK-002", product_class=item.product_class, structure="standalone")


def upload(client, text: str, name="prices.csv"):
    csv_file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("api-guide-prices-import"), {"file": csv_file, "reason": "2026 年度调查"}, format="multipart")


def test_administrator_imports_every_row_of_a_good_file(item, second_item, town, administrator):
    text = (
        HEADER
        + "HK-001,,100.00,物价局,2026-10-01,85.00\n"
        + f"HK-001,{town.code},120.00,物价局,2026-10-01,100.00\n"
        + "HK-002,,200.00,物价局,2026-10-01,150.00\n"
    )
    response = upload(client_for(administrator), text)
    assert response.status_code == 201, response.json()
    assert response.json() == {"imported": 3}
    assert GuidePrice.objects.get(product=item, region=None).guide_price == Decimal("85.00")
    assert GuidePrice.objects.get(product=item, region=town).guide_price == Decimal("100.00")
    assert GuidePrice.objects.get(product=second_item).guide_price == Decimal("150.00")


def test_excel_style_utf8_bom_is_accepted(item, administrator):
    response = upload(client_for(administrator), "\ufeff" + HEADER + "HK-001,,100.00,物价局,2026-10-01,85.00\n")
    assert response.status_code == 201


def test_one_bad_row_rejects_the_whole_file_and_lists_every_error(item, second_item, administrator):
    text = (
        HEADER
        + "HK-001,,100.00,物价局,2026-10-01,85.00\n"  # fine on its own
        + "HK-002,,100.00,物价局,2026-10-01,85.01\n"  # above 85% of market
        + "NOPE-9,,100.00,物价局,2026-10-01,80.00\n"  # no such item
        + "HK-002,,100.00,物价局,2026-10-01,80.001\n"  # three decimals
    )
    response = upload(client_for(administrator), text)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert len(body["errors"]) == 3
    assert body["errors"][0].startswith("line 3") and "85.01" in body["errors"][0]
    assert body["errors"][1].startswith("line 4") and "NOPE-9" in body["errors"][1]
    assert body["errors"][2].startswith("line 5")
    assert not GuidePrice.objects.exists()


def test_file_missing_columns_is_rejected(item, administrator):
    response = upload(client_for(administrator), "item_upc,guide_price\nHK-001,85.00\n")
    assert response.status_code == 400
    assert response.json()["code"] == "import_rejected"
    assert "market_price" in response.json()["detail"]
    assert not GuidePrice.objects.exists()


def test_file_that_is_not_utf8_is_rejected(item, administrator):
    csv_file = SimpleUploadedFile("prices.csv", (HEADER + "HK-001,,100.00,物价局,2026-10-01,85.00\n").encode("gb18030"))
    response = client_for(administrator).post(reverse("api-guide-prices-import"), {"file": csv_file}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "file_not_utf8"
    assert not GuidePrice.objects.exists()


def test_missing_file_is_a_clear_400(administrator):
    response = client_for(administrator).post(reverse("api-guide-prices-import"), {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["detail"]


def test_anonymous_cannot_import(item):
    response = upload(client_for(), HEADER + "HK-001,,100.00,物价局,2026-10-01,85.00\n")
    assert response.status_code in ANONYMOUS_REFUSED
    assert not GuidePrice.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "agent", "finance_officer", "company_user"])
def test_only_administrators_import(persona, item, request):
    response = upload(client_for(request.getfixturevalue(persona)), HEADER + "HK-001,,100.00,物价局,2026-10-01,85.00\n")
    assert response.status_code == 403
    assert not GuidePrice.objects.exists()
