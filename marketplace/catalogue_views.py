"""The public service catalogue: the list (search, category filter) and one item's definition.

Public on purpose: residents read what can be booked, at what guide price and from which contracted
companies before they sign in, so these pages check no role.
"""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from marketplace import selectors_catalogue
from pricing.exports import guide_price_rows

MAX_QUERY_LENGTH = 100


def search_filters(request) -> tuple[str, int | None]:
    """The ``?q=`` words and ``?category=<id>`` of a list page; junk is ignored rather than refused."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    raw_category = request.GET.get("category", "").strip()
    # ASCII digits only ("²".isdigit() is true) and short enough to fit the database's integer.
    is_id = raw_category.isascii() and raw_category.isdigit() and len(raw_category) <= 9
    category_id = int(raw_category) if is_id else None
    return query, category_id


def category_choices(categories=None) -> list[tuple[int, str]]:
    """The category filter's options, indented by depth in the tree."""
    categories = selectors_catalogue.catalogue_categories() if categories is None else categories
    return [(c.pk, "\u3000" * (c.depth - 1) + c.name) for c in categories]


def catalogue_list(request):
    query, category_id = search_filters(request)
    category = selectors_catalogue.catalogue_category_get(category_id=category_id)
    if category_id is not None and category is None:
        items = []  # an unknown or hidden category has nothing to show
    else:
        items = list(selectors_catalogue.catalogue_items(query=query, category=category))
    categories = list(selectors_catalogue.catalogue_categories())
    sections = selectors_catalogue.catalogue_sections(items=items, categories=categories, within=category)
    return render(
        request,
        "marketplace/catalogue_list.html",
        {
            "query": query,
            "category_id": category_id,
            "category": category,
            "category_choices": category_choices(categories),
            "sections": sections,
            "item_count": len(items),
            "filtered": bool(query or category_id is not None),
        },
    )


def catalogue_item(request, pk: int):
    item = selectors_catalogue.catalogue_item_get(pk=pk)
    if item is None:
        raise Http404
    return render(
        request,
        "marketplace/catalogue_item.html",
        {
            "item": item,
            "questions": selectors_catalogue.catalogue_item_questions(product=item),
            "guide_prices": guide_price_rows(selectors_catalogue.catalogue_item_guide_prices(product=item)),
            "offers": selectors_catalogue.catalogue_item_offers(product=item),
        },
    )
