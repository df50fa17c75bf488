"""Reads behind the Open311 GeoReport v2 API: the public service list, one service's questions,
service requests by the spec's filters, tokens, and which client an api_key belongs to.

Status mapping (the spec knows only ``open`` and ``closed``; ``closed`` means "it has been resolved"):

- open: submitted, matching, offered, accepted, on the way, in service, escalated, transferred to a
  unit (``marketplace.models.OPEN_REQUEST_STATUSES``: somebody still has to act);
- closed: completed (the work is done, only the call-back remains), closed, cancelled, handled at once.

The detailed status stays visible in ``status_notes``.
"""
from __future__ import annotations

import datetime
import hashlib

from django.db.models import Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from marketplace.models import (
    OPEN_REQUEST_STATUSES,
    Open311Client,
    Region,
    RequestStatusChange,
    ServiceItemProfile,
    ServiceRequest,
)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")

OPEN = "open"
CLOSED = "closed"
# Who may serve an item offered through Open311: all four kinds of server.
OPEN311_SERVED_BY = (
    ServiceItemProfile.ServedBy.COMPANY, ServiceItemProfile.ServedBy.VOLUNTEER,
    ServiceItemProfile.ServedBy.CENTRE, ServiceItemProfile.ServedBy.UNIT,
)
# "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest."
DEFAULT_SPAN = datetime.timedelta(days=90)
MAX_REQUESTS = 1000


def open311_status(status: str) -> str:
    """Our detailed status → the spec's open/closed (see the module docstring)."""
    return OPEN if status in OPEN_REQUEST_STATUSES else CLOSED


# --- clients -----------------------------------------------------------------------------------


def open311_key_hash(raw_key: str) -> str:
    """Keys are stored only as their SHA-256 hex digest."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def open311_client_for_key(*, raw_key: str | None) -> Open311Client | None:
    """The active client holding ``raw_key``, or None (missing, unknown or revoked key)."""
    if not raw_key:
        return None
    return (
        Open311Client.objects.select_related("user")
        .filter(api_key_hash=open311_key_hash(raw_key), active=True)
        .first()
    )


# --- services ----------------------------------------------------------------------------------


def open311_services() -> QuerySet:
    """Public items with a service code (UPC) that a company, volunteer team, the centre or a linked
    unit serves, each with its categories in tree order and its product class's questions."""
    return (
        Product.objects.browsable()
        .filter(service_profile__served_by__in=OPEN311_SERVED_BY, upc__isnull=False)
        .exclude(upc="")
        .select_related("service_profile", "product_class")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.browsable().order_by("path")),
            "product_class__attributes",
        )
        .order_by("upc", "pk")
    )


def open311_service_get(*, service_code: str):
    """The service with this code, or None (unknown, not public or not offered through Open311)."""
    if not service_code:
        return None
    return open311_services().filter(upc=service_code).first()


def open311_category_names() -> dict[str, str]:
    """Every public category's name by its tree path, so keywords can name a category's ancestors
    without one query per item."""
    return dict(Category.objects.browsable().values_list("path", "name"))


def open311_service_keywords(*, product, names_by_path: dict[str, str]) -> list[str]:
    """The item's categories and their ancestors (synonyms of ``group``), then its department."""
    keywords: list[str] = []
    for category in product.categories.all():
        for end in range(Category.steplen, len(category.path) + 1, Category.steplen):
            name = names_by_path.get(category.path[:end])
            if name and name not in keywords:
                keywords.append(name)
    department = product.service_profile.department
    if department and department not in keywords:
        keywords.append(department)
    return keywords


def open311_service_questions(*, product) -> QuerySet:
    """The booking questions (product class attributes) in the order the web form shows them."""
    from marketplace.selectors_catalogue import catalogue_item_questions

    return catalogue_item_questions(product=product)


# --- requests ----------------------------------------------------------------------------------


def _requests_for_api() -> QuerySet:
    return (
        ServiceRequest.objects.select_related(
            "product__service_profile", "company", "linked_unit", "resident", "region__parent__parent"
        )
        .prefetch_related(
            Prefetch("status_changes", queryset=RequestStatusChange.objects.order_by("changed_at", "pk")),
            "photos",
        )
        .order_by("-created_at", "-pk")
    )


def open311_requests(
    *,
    ids: list[int] | None = None,
    service_codes: list[str] | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    statuses: list[str] | None = None,
    limit: int = MAX_REQUESTS,
) -> list[ServiceRequest]:
    """Requests by the spec's filters, newest first. ``ids`` overrides every other filter (as the spec
    says); otherwise ``start``/``end`` bound the time the request was raised (the caller has already
    applied the 90-day default)."""
    requests = _requests_for_api()
    if ids:
        return list(requests.filter(pk__in=ids)[:limit])
    if service_codes:
        requests = requests.filter(product__upc__in=service_codes)
    if start is not None:
        requests = requests.filter(created_at__gte=start)
    if end is not None:
        requests = requests.filter(created_at__lte=end)
    if statuses and set(statuses) != {OPEN, CLOSED}:
        open_q = Q(status__in=OPEN_REQUEST_STATUSES)
        requests = requests.filter(open_q if OPEN in statuses else ~open_q)
    return list(requests[:limit])


def open311_request_get(*, pk: int) -> ServiceRequest | None:
    return _requests_for_api().filter(pk=pk).first()


def open311_requests_for_token(*, token: str) -> list[ServiceRequest]:
    """Requests posted through Open311 under this token. Tokens are per client, so two clients that
    chose the same token both get an answer (the spec's response is a list)."""
    if not token:
        return []
    return list(
        ServiceRequest.objects.filter(
            channel=ServiceRequest.Channel.OPEN311, idempotency_key=token,
            created_by__in=Open311Client.objects.values("user"),
        ).order_by("pk")
    )


# --- places ------------------------------------------------------------------------------------


def open311_region_for_address(*, address: str) -> Region | None:
    """Where an address without coordinates lies, as best the grid can tell: the most specific region
    (community, then town, then city) whose name the address contains; else the city itself.
    None only when no region exists at all. (No geocoder is available; a partner that knows the
    coordinates should send lat/long.)"""
    regions = list(Region.objects.order_by("-level", "code"))
    for region in regions:
        if region.name and region.name in address:
            return region
    cities = [r for r in regions if r.level == Region.Level.CITY]
    return cities[0] if cities else None
