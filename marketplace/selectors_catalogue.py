"""Reads for the public service catalogue: the items residents can book, their booking questions,
guide prices and the contracted companies that offer them. Every function runs a fixed number of
queries, whatever the number of items."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from pricing.models import GuidePrice
from providers.selectors import contracted_companies

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
StockRecord = get_model("partner", "StockRecord")


@dataclass
class CatalogueSection:
    """One category of the listing and its items; ``category`` is None for items in no public category."""

    category: Category | None
    items: list = field(default_factory=list)


# --- filters shared with the guide-price list ------------------------------------------------------


def catalogue_search_q(*, query: str, prefix: str = "") -> Q:
    """Items whose title or description contains ``query``, or that sit in (or below) a category whose
    name contains it. ``prefix`` is the path to the product ("product__" from a GuidePrice).

    Plain ``icontains``: Chinese has no case, so this matches Chinese text on SQLite and PostgreSQL alike.
    """
    match = Q(**{f"{prefix}title__icontains": query}) | Q(**{f"{prefix}description__icontains": query})
    for path in catalogue_categories().filter(name__icontains=query).values_list("path", flat=True):
        match |= Q(**{f"{prefix}categories__path__startswith": path})
    return match


def catalogue_category_q(*, category: Category, prefix: str = "") -> Q:
    """Items in the category or any of its sub-categories (treebeard paths share the parent's prefix)."""
    return Q(**{f"{prefix}categories__path__startswith": category.path})


def catalogue_category_get(*, category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    return catalogue_categories().filter(pk=category_id).first()


# --- the listing -----------------------------------------------------------------------------------


def catalogue_categories() -> QuerySet:
    """Public categories in tree order (parents before their children)."""
    return Category.objects.browsable().order_by("path")


def catalogue_items(*, query: str = "", category: Category | None = None) -> QuerySet:
    """Public items, each with its service profile, categories (tree order) and city-wide guide price
    (``citywide_guide_prices``, a list of zero or one)."""
    items = (
        Product.objects.browsable()
        .select_related("service_profile", "product_class")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("path")),
            Prefetch(
                "guide_prices",
                queryset=GuidePrice.objects.filter(region__isnull=True),
                to_attr="citywide_guide_prices",
            ),
        )
        .order_by("title", "pk")
    )
    if query:
        items = items.filter(catalogue_search_q(query=query))
    if category is not None:
        items = items.filter(catalogue_category_q(category=category))
    return items.distinct()


def catalogue_sections(*, items, categories, within: Category | None = None) -> list[CatalogueSection]:
    """Group items under their categories, in tree order. An item in two categories shows under both;
    with a category filter (``within``) only under the categories inside it."""
    shown = [c for c in categories if within is None or c.path.startswith(within.path)]
    sections = {c.pk: CatalogueSection(category=c) for c in shown}
    others = CatalogueSection(category=None)
    for item in items:
        homes = [sections[c.pk] for c in item.categories.all() if c.pk in sections]
        for section in homes or [others]:
            section.items.append(item)
    result = [s for s in sections.values() if s.items]
    if others.items:
        result.append(others)
    return result


# --- one item --------------------------------------------------------------------------------------


def catalogue_item_get(*, pk: int):
    """A public item, or None (unknown, not public, or a variant of another item)."""
    return (
        Product.objects.browsable()
        .select_related("service_profile", "product_class")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.browsable().order_by("path")))
        .filter(pk=pk)
        .first()
    )


def catalogue_item_questions(*, product) -> QuerySet:
    """The booking questions: the attributes of the item's product class (like an Open311 service
    definition), each option-type question with its options."""
    product_class = product.get_product_class()
    if product_class is None:
        return ProductAttribute.objects.none()
    return (
        ProductAttribute.objects.filter(product_class=product_class)
        .select_related("option_group")
        .prefetch_related("option_group__options")
        .order_by("pk")
    )


def catalogue_item_guide_prices(*, product) -> QuerySet:
    """The item's guide prices, the city-wide one first, then by region."""
    return (
        GuidePrice.objects.filter(product=product)
        .select_related("product__service_profile", "region")
        .prefetch_related("product__categories")
        .order_by(F("region__code").asc(nulls_first=True))
    )


def catalogue_item_offers(*, product) -> QuerySet:
    """Contracted prices of the companies whose contract is in force (status ``contracted``), cheapest
    first. Applicants, suspended and removed companies are not shown to residents."""
    return (
        StockRecord.objects.filter(product=product, partner__company__in=contracted_companies())
        .select_related("partner__company")
        .order_by("price", "partner__company__legal_name")
    )
