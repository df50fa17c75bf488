"""Guide ≤ (1 − min_discount) × market, at the boundary, through the service every write path uses."""
import datetime
from decimal import Decimal

import pytest
import time_machine

from pricing.errors import GuidePriceAboveLimit
from pricing.models import GuidePrice
from pricing.services import guide_price_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]

NOW = datetime.datetime(2026, 11, 23, 10, 0)


def publish(item, administrator, market, guide, region=None):
    return guide_price_set(
        product=item, region=region, market_price=market, market_source="物价局 2026 调查",
        market_surveyed_on=datetime.date(2026, 10, 1), guide_price=guide, actor=administrator, reason="发布",
    )


@time_machine.travel(NOW, tick=False)
def test_guide_price_of_exactly_85_percent_of_market_is_accepted(item, administrator):
    record = publish(item, administrator, "100.00", "85.00")
    assert record.guide_price == Decimal("85.00")
    assert GuidePrice.objects.get(product=item).guide_price == Decimal("85.00")


@time_machine.travel(NOW, tick=False)
def test_guide_price_one_fen_above_85_percent_is_refused_and_changes_nothing(item, administrator):
    with pytest.raises(GuidePriceAboveLimit) as refused:
        publish(item, administrator, "100.00", "85.01")
    message = str(refused.value)
    assert "85.01" in message and "100.00" in message and "85.00" in message and "15%" in message
    assert not GuidePrice.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_limit_is_not_rounded_before_comparison(item, administrator):
    # 85% of ¥99.99 is ¥84.9915: ¥84.99 fits, ¥85.00 does not.
    publish(item, administrator, "99.99", "84.99")
    with pytest.raises(GuidePriceAboveLimit):
        publish(item, administrator, "99.99", "85.00")
    assert GuidePrice.objects.get(product=item).guide_price == Decimal("84.99")


@time_machine.travel(NOW, tick=False)
def test_rule_reads_the_discount_from_the_years_policy(item, administrator, policy):
    policy.min_discount = Decimal("0.2000")
    policy.save()
    with pytest.raises(GuidePriceAboveLimit):
        publish(item, administrator, "100.00", "85.00")
    assert publish(item, administrator, "100.00", "80.00").guide_price == Decimal("80.00")


@time_machine.travel(NOW, tick=False)
def test_amount_with_three_decimals_is_refused_not_rounded(item, administrator):
    from marketplace.money import InvalidAmount

    with pytest.raises(InvalidAmount):
        publish(item, administrator, "100.00", "80.001")
    assert not GuidePrice.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_every_change_keeps_who_when_old_new_and_why(item, administrator):
    publish(item, administrator, "100.00", "85.00")
    guide_price_set(
        product=item, region=None, market_price="120.00", market_source="复查", market_surveyed_on=datetime.date(2026, 11, 1),
        guide_price="90.00", actor=administrator, reason="市场价上涨",
    )
    history = list(GuidePrice.objects.get(product=item).history.order_by("history_date", "history_id"))
    assert [h.guide_price for h in history] == [Decimal("85.00"), Decimal("90.00")]
    assert history[-1].history_user == administrator
    assert history[-1].history_change_reason == "市场价上涨"
