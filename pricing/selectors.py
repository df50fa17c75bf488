"""Reads about prices: the guide price that applies to an item (and region), the published list,
and a company's contracted price."""
from __future__ import annotations

from django.db.models import F, Q, QuerySet
from oscar.core.loading import get_model

from marketplace.models import Region
from pricing.models import GuidePrice

StockRecord = get_model("partner", "StockRecord")


def guide_price_for(*, product_id: int, region: Region | None = None) -> GuidePrice | None:
    """The most specific guide price for an item: the region's own, else its nearest ancestor's,
    else the city-wide one. ``None`` when the item has no guide price at all."""
    chain = region.ancestors_and_self() if region else []
    prices = {gp.region_id: gp for gp in GuidePrice.objects.filter(product_id=product_id)}
    for node in chain:
        if node.pk in prices:
            return prices[node.pk]
    return prices.get(None)


def published_guide_prices(*, query: str = "", category_id: int | None = None) -> QuerySet[GuidePrice]:
    qs = (
        GuidePrice.objects.select_related("product", "region")
        .prefetch_related("product__categories")
        .annotate(saving_amount=F("market_price") - F("guide_price"))
        .order_by("product__categories__path", "product__title", "region__code")
    )
    if query:
        qs = qs.filter(Q(product__title__icontains=query) | Q(product__description__icontains=query))
    if category_id:
        qs = qs.filter(product__categories__id=category_id)
    return qs.distinct()


def contract_price_for(*, partner_id: int, product_id: int):
    return StockRecord.objects.filter(partner_id=partner_id, product_id=product_id).first()


def contract_prices_of(*, partner_id: int) -> QuerySet:
    return StockRecord.objects.filter(partner_id=partner_id).select_related("product").order_by("product__title")
