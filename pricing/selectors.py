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


def published_guide_price_list(*, query: str = "", category_id: int | None = None) -> QuerySet[GuidePrice]:
    """The published list as the public page and its downloads show it: public items only, one row
    per guide price (an item in two categories is not repeated), grouped by the item's first category
    in tree order (annotated ``category_name`` / ``category_path``), then item and region.

    Search and category filter work as in the catalogue: the search also matches category names, and
    a category includes its sub-categories. An unknown category gives an empty list.
    """
    # Local imports: this function was added after the module's header, which other work also edits.
    from django.db.models import OuterRef, Subquery

    from marketplace import (
        selectors_catalogue,  # the catalogue's search and category filters
    )

    ProductCategory = get_model("catalogue", "ProductCategory")
    first_category = ProductCategory.objects.filter(
        product=OuterRef("product_id"), category__is_public=True, category__ancestors_are_public=True
    ).order_by("category__path")
    qs = (
        published_guide_prices()
        .select_related("product__service_profile")
        .filter(product__is_public=True)
        .annotate(
            category_path=Subquery(first_category.values("category__path")[:1]),
            category_name=Subquery(first_category.values("category__name")[:1]),
        )
        # Replaces the base ordering, whose join through the categories repeats multi-category items.
        .order_by(F("category_path").asc(nulls_last=True), "product__title", F("region__code").asc(nulls_first=True))
    )
    if query:
        qs = qs.filter(selectors_catalogue.catalogue_search_q(query=query, prefix="product__"))
    if category_id is not None:
        category = selectors_catalogue.catalogue_category_get(category_id=category_id)
        if category is None:
            return qs.none()
        qs = qs.filter(selectors_catalogue.catalogue_category_q(category=category, prefix="product__"))
    return qs
