"""Administrators decide price-change requests: approval sets the new price (with the reason in the
price history), rejection keeps the old one; the company sees the decision in its portal."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from pricing.models import PriceChangeRequest
from pricing.services import guide_price_set, price_change_request_file
from tests.portal.helpers import messages_of, set_price

pytestmark = [pytest.mark.django_db]

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
LIST = reverse("centre-price-change-list")


@pytest.fixture
def change(contracted, item, company_user):
    """Company 1 charges ¥80.00 for HK-001 (guide ¥85.00) and asks for ¥84.00."""
    record = set_price(contracted, item, "80.00", company_user)
    return price_change_request_file(stockrecord=record, requested_price="84.00", reason="人工成本上涨", actor=company_user)


def decide(client, change, decision, reason):
    return client.post(reverse("centre-price-change-decide", args=[change.pk]), {"decision": decision, "reason": reason})


def test_administrator_sees_the_request_with_company_item_prices_and_reason(client, change, administrator, contracted):
    client.force_login(administrator)

    response = client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    for shown in (contracted.legal_name, "日常保洁", "¥80.00", "¥84.00", "¥85.00", "人工成本上涨"):
        assert shown in page
    assert reverse("centre-price-change-decide", args=[change.pk]) in page


def test_approval_sets_the_new_price_and_records_the_reason_in_the_price_history(
    client, change, administrator, company_user
):
    client.force_login(administrator)

    response = decide(client, change, "approve", "原材料上涨属实")

    assert response.status_code == 302 and response.url == LIST
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.APPROVED
    assert change.decided_by == administrator and change.decision_reason == "原材料上涨属实"
    record = StockRecord.objects.get(pk=change.stockrecord_id)
    assert record.price == Decimal("84.00")
    latest = record.history.order_by("-history_date", "-history_id").first()
    assert latest.price == Decimal("84.00") and latest.history_user == administrator
    assert "原材料上涨属实" in latest.history_change_reason
    client.force_login(company_user)
    portal = client.get(reverse("company-portal")).content.decode()
    assert "approved" in portal and "原材料上涨属实" in portal and "¥84.00" in portal


def test_rejection_keeps_the_old_price_and_the_company_sees_why(client, change, administrator, company_user):
    client.force_login(administrator)

    decide(client, change, "reject", "涨幅不合理")

    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.REJECTED and change.decision_reason == "涨幅不合理"
    assert StockRecord.objects.get(pk=change.stockrecord_id).price == Decimal("80.00")
    client.force_login(company_user)
    portal = client.get(reverse("company-portal")).content.decode()
    assert "rejected" in portal and "涨幅不合理" in portal


def test_rejection_without_a_reason_is_refused_and_the_request_stays_pending(client, change, administrator):
    client.force_login(administrator)

    response = decide(client, change, "reject", "  ")

    assert response.status_code == 302
    assert any("Say why the request is rejected" in message for message in messages_of(client.get(LIST)))
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.PENDING


def test_a_decided_request_cannot_be_decided_again(client, change, administrator):
    client.force_login(administrator)
    decide(client, change, "reject", "涨幅不合理")

    decide(client, change, "approve", "改主意了")

    assert any("already rejected" in message for message in messages_of(client.get(LIST)))
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.REJECTED
    assert StockRecord.objects.get(pk=change.stockrecord_id).price == Decimal("80.00")


def test_approval_is_refused_when_the_guide_price_has_since_dropped_below_the_request(
    client, change, administrator, item
):
    guide_price_set(
        product=item, region=None, market_price="100.00", market_source="复查", market_surveyed_on=datetime.date(2026, 11, 1),
        guide_price="82.00", actor=administrator, reason="下调",
    )
    client.force_login(administrator)

    decide(client, change, "approve", "同意")

    messages = messages_of(client.get(LIST))
    assert any("84.00" in message and "82.00" in message for message in messages)
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.PENDING
    assert StockRecord.objects.get(pk=change.stockrecord_id).price == Decimal("80.00")


def test_an_unknown_decision_changes_nothing(client, change, administrator):
    client.force_login(administrator)

    decide(client, change, "maybe", "")

    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.PENDING


def test_pending_requests_come_first(client, change, administrator, contracted, item, company_user):
    second_item = Product.objects.create(title="深度保洁", upc="HK-002", product_class=item.product_class)
    second_item.categories.add(*item.categories.all())
    guide_price_set(
        product=second_item, region=None, market_price="200.00", market_source="2026年市场调查",
        market_surveyed_on=datetime.date(2026, 10, 1), guide_price="170.00", actor=administrator, reason="发布",
    )
    record = set_price(contracted, second_item, "150.00", company_user)
    later = price_change_request_file(stockrecord=record, requested_price="160.00", reason="设备更新", actor=company_user)
    client.force_login(administrator)
    decide(client, later, "reject", "暂不调整")

    rows = client.get(LIST).context["rows"]

    assert [row["change"].pk for row in rows] == [change.pk, later.pk]
    assert rows[1]["guide"].guide_price == Decimal("170.00")


def test_deciding_needs_a_post(client, change, administrator):
    client.force_login(administrator)

    assert client.get(reverse("centre-price-change-decide", args=[change.pk])).status_code == 405


def test_deciding_an_unknown_request_is_not_found(client, administrator, policy):
    client.force_login(administrator)

    assert decide(client, PriceChangeRequest(pk=9999), "approve", "x").status_code == 404
