"""A company's contracted price ≤ guide price, and no raise during the term without approval."""
import datetime
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from pricing.errors import (
    ContractPriceAboveGuide,
    NoGuidePrice,
    PriceChangeNotPending,
    PriceRaiseDuringTerm,
)
from pricing.models import PriceChangeRequest
from pricing.services import (
    contract_price_set,
    price_change_request_approve,
    price_change_request_file,
    price_change_request_reject,
)

StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def company(contract_company):
    return contract_company()


def set_price(company, item, price, actor):
    return contract_price_set(partner=company.partner, product=item, price=price, actor=actor, reason="报价")


def test_contract_price_equal_to_guide_is_accepted(company, item, guide_price, administrator):
    assert set_price(company, item, "85.00", administrator).price == Decimal("85.00")


def test_contract_price_one_fen_above_guide_is_refused_with_the_numbers(company, item, guide_price, administrator):
    with pytest.raises(ContractPriceAboveGuide) as refused:
        set_price(company, item, "85.01", administrator)
    assert "85.01" in str(refused.value) and "85.00" in str(refused.value)
    assert not StockRecord.objects.filter(partner=company.partner).exists()


def test_item_without_guide_price_cannot_be_priced(company, item, administrator):
    with pytest.raises(NoGuidePrice):
        set_price(company, item, "10.00", administrator)


def test_regional_guide_price_applies_to_a_company_based_there(company, item, guide_price, administrator, town):
    from pricing.services import guide_price_set

    guide_price_set(product=item, region=town, market_price="90.00", market_source="乡镇调查",
                    market_surveyed_on=datetime.date(2026, 10, 1), guide_price="76.50", actor=administrator, reason="分区")
    with pytest.raises(ContractPriceAboveGuide):
        set_price(company, item, "80.00", administrator)
    assert set_price(company, item, "76.50", administrator).price == Decimal("76.50")


def test_company_may_lower_but_not_raise_its_price_during_the_term(company, item, guide_price, company_user):
    set_price(company, item, "80.00", company_user)
    assert set_price(company, item, "78.00", company_user).price == Decimal("78.00")
    with pytest.raises(PriceRaiseDuringTerm) as refused:
        set_price(company, item, "79.00", company_user)
    assert "78.00" in str(refused.value) and "79.00" in str(refused.value)
    assert StockRecord.objects.get(partner=company.partner, product=item).price == Decimal("78.00")


def test_approved_change_request_raises_the_price_and_records_why(company, item, guide_price, company_user, administrator):
    record = set_price(company, item, "70.00", company_user)
    change = price_change_request_file(stockrecord=record, requested_price="80.00", reason="人工成本上涨", actor=company_user)
    price_change_request_approve(change_request=change, actor=administrator, reason="成本证明属实")
    record.refresh_from_db()
    change.refresh_from_db()
    assert record.price == Decimal("80.00")
    assert change.status == PriceChangeRequest.Status.APPROVED and change.decided_by == administrator
    latest = record.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == administrator and "成本证明属实" in latest.history_change_reason
    with pytest.raises(PriceChangeNotPending):
        price_change_request_reject(change_request=change, actor=administrator, reason="再议")


def test_change_request_above_guide_is_refused_at_filing(company, item, guide_price, company_user):
    record = set_price(company, item, "70.00", company_user)
    with pytest.raises(ContractPriceAboveGuide):
        price_change_request_file(stockrecord=record, requested_price="85.01", reason="涨价", actor=company_user)
    assert not PriceChangeRequest.objects.exists()


def test_rejected_change_request_leaves_the_price(company, item, guide_price, company_user, administrator):
    record = set_price(company, item, "70.00", company_user)
    change = price_change_request_file(stockrecord=record, requested_price="80.00", reason="涨价", actor=company_user)
    price_change_request_reject(change_request=change, actor=administrator, reason="理由不足")
    record.refresh_from_db()
    assert record.price == Decimal("70.00")
    assert PriceChangeRequest.objects.get().status == PriceChangeRequest.Status.REJECTED
