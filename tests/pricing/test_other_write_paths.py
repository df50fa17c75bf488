"""The same pricing rules through the admin, Oscar's dashboard, CSV imports and management commands."""
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from pricing.errors import ImportRejected
from pricing.models import GuidePrice
from pricing.services import contract_prices_import_csv, guide_prices_import_csv

StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

HEADER = "item_upc,region_code,market_price,market_source,market_surveyed_on,guide_price\n"


def test_csv_import_with_one_bad_row_imports_nothing_and_names_the_line(item, administrator, policy, city):
    text = HEADER + "HK-001,,100.00,调查,2026-10-01,85.00\nHK-001,350781001,100.00,调查,2026-10-01,85.01\n"
    with pytest.raises(ImportRejected) as refused:
        guide_prices_import_csv(text=text, actor=administrator, reason="导入")
    assert "line 3" in str(refused.value) and "85.01" in str(refused.value)
    assert not GuidePrice.objects.exists()


def test_csv_import_of_good_rows_publishes_them(item, administrator, policy, city):
    text = HEADER + "HK-001,,100.00,调查,2026-10-01,85.00\nHK-001,350781001,90.00,调查,2026-10-01,76.50\n"
    assert guide_prices_import_csv(text=text, actor=administrator, reason="导入") == 2
    assert GuidePrice.objects.count() == 2


def test_contract_price_import_refuses_a_price_above_guide(contract_company, item, guide_price, administrator):
    company = contract_company()
    text = f"partner_code,item_upc,price\n{company.partner.code},HK-001,85.01\n"
    with pytest.raises(ImportRejected):
        contract_prices_import_csv(text=text, actor=administrator, reason="导入")
    assert not StockRecord.objects.exists()


def test_command_refuses_a_guide_price_one_fen_too_high(item, administrator, policy):
    with pytest.raises(CommandError, match="guide_price_above_limit"):
        call_command("set_guide_price", "HK-001", "100.00", "85.01", source="调查", surveyed="2026-10-01",
                     actor=administrator.email, reason="命令")
    call_command("set_guide_price", "HK-001", "100.00", "85.00", source="调查", surveyed="2026-10-01",
                 actor=administrator.email, reason="命令")
    assert GuidePrice.objects.get().guide_price == Decimal("85.00")


def test_command_refuses_an_actor_who_is_not_an_administrator(item, resident, policy):
    with pytest.raises(CommandError, match="not an administrator"):
        call_command("set_guide_price", "HK-001", "100.00", "80.00", source="调查", surveyed="2026-10-01",
                     actor=resident.email, reason="命令")
    assert not GuidePrice.objects.exists()


def test_import_command_applies_all_or_nothing(tmp_path, item, administrator, policy):
    path = tmp_path / "prices.csv"
    path.write_text(HEADER + "HK-001,,100.00,调查,2026-10-01,90.00\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("import_guide_prices", str(path), actor=administrator.email, reason="导入")
    assert not GuidePrice.objects.exists()


def test_admin_form_refuses_a_guide_price_above_the_limit(client, item, administrator, policy):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    data = {"product": item.pk, "region": "", "market_price": "100.00", "market_source": "调查",
            "market_surveyed_on": "2026-10-01", "guide_price": "85.01", "change_reason": "后台"}
    response = client.post("/admin/pricing/guideprice/add/", data)
    assert response.status_code == 200
    assert "85.01" in response.content.decode()
    assert not GuidePrice.objects.exists()
    data["guide_price"] = "85.00"
    response = client.post("/admin/pricing/guideprice/add/", data)
    assert response.status_code == 302
    price = GuidePrice.objects.get()
    assert price.guide_price == Decimal("85.00")
    assert price.history.first().history_change_reason == "后台"


def test_admin_form_refuses_a_contract_price_above_guide(client, contract_company, item, guide_price, administrator):
    company = contract_company()
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    data = {"partner": company.partner.pk, "product": item.pk, "partner_sku": "X-1", "price": "85.01", "change_reason": "后台"}
    response = client.post("/admin/partner/stockrecord/add/", data)
    assert response.status_code == 200 and not StockRecord.objects.exists()
    data["price"] = "85.00"
    assert client.post("/admin/partner/stockrecord/add/", data).status_code == 302
    assert StockRecord.objects.get().price == Decimal("85.00")


def test_oscar_dashboard_stockrecord_form_applies_the_guide_price_rule(contract_company, item, guide_price, administrator):
    from oscar.core.loading import get_class

    StockRecordForm = get_class("dashboard.catalogue.forms", "StockRecordForm")
    company = contract_company()
    record = StockRecord(product=item)
    form = StockRecordForm(item.product_class, administrator, instance=record,
                           data={"partner": company.partner.pk, "partner_sku": "S1", "price_currency": "CNY", "price": "85.01"})
    assert not form.is_valid()
    assert "85.00" in str(form.errors["price"])
    form = StockRecordForm(item.product_class, administrator, instance=StockRecord(product=item),
                           data={"partner": company.partner.pk, "partner_sku": "S1", "price_currency": "CNY", "price": "85.00"})
    assert form.is_valid(), form.errors
