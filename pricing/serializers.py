"""Output shapes of prices that several API operations answer with (pricing/api.py).

Input serializers stay inside each operation's class; these are only the shared answers.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api import ItemRefSerializer, RegionRefSerializer, money_field


class GuidePriceSerializer(serializers.Serializer):
    """A published guide price: city-wide when ``region`` is null."""

    id = serializers.IntegerField()
    item = ItemRefSerializer(source="product")
    region = RegionRefSerializer(allow_null=True)
    market_price = money_field()
    guide_price = money_field()
    saving = money_field()
    market_source = serializers.CharField()
    market_surveyed_on = serializers.DateField()
    updated_at = serializers.DateTimeField()


class ContractPriceSerializer(serializers.Serializer):
    """A company's contracted price for one item (Oscar's StockRecord) and the guide price that caps it.

    The view passes ``guide_prices`` (product id → guide price) in the context.
    """

    id = serializers.IntegerField()
    item = ItemRefSerializer(source="product")
    price = money_field()
    currency = serializers.CharField(source="price_currency")
    guide_price = serializers.SerializerMethodField(help_text=_("The guide price that caps this price."))
    updated_at = serializers.DateTimeField(source="date_updated")

    @extend_schema_field(money_field(allow_null=True))
    def get_guide_price(self, record):
        guide = self.context.get("guide_prices", {}).get(record.product_id)
        return f"{guide:.2f}" if guide is not None else None


class CompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()


class PriceChangeRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    company = CompanyRefSerializer(source="stockrecord.partner.company")
    item = ItemRefSerializer(source="stockrecord.product")
    current_price = money_field()
    requested_price = money_field()
    reason = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
