"""Reads for the matcher: turn database rows into the engine's snapshots, found through the H3 cell
index on companies (never a scan of every company)."""
from __future__ import annotations

import datetime
import math

import h3
from django.db.models import Avg, Count, Q
from django.utils import timezone

from marketplace.models import ACTIVE_JOB_STATUSES, Region, ServiceRequest
from matching import engine
from matching.models import Offer
from providers.models import (
    LOCATION_CELL_RESOLUTION,
    MAX_SERVICE_RADIUS_KM,
    Company,
    CompanyStatus,
)

# k rings of resolution-5 cells that surely cover MAX_SERVICE_RADIUS_KM (edge ≈ 8.5 km, min ≈ 7 km).
_DISK_K = math.ceil(MAX_SERVICE_RADIUS_KM / 7.0) + 1


def request_category_id(request: ServiceRequest) -> int | None:
    return request.product.categories.values_list("pk", flat=True).order_by("pk").first()


def request_minute_of_day(request: ServiceRequest, now: datetime.datetime) -> int:
    when = request.window_start if (not request.as_soon_as_possible and request.window_start) else now
    local = timezone.localtime(when)
    return local.hour * 60 + local.minute


def request_snapshot(request: ServiceRequest, *, now: datetime.datetime) -> engine.RequestSnapshot:
    excluded = frozenset(Offer.objects.filter(request=request).values_list("company_id", flat=True))
    return engine.RequestSnapshot(
        id=request.pk, lat=float(request.latitude), lng=float(request.longitude),
        category_id=request_category_id(request) or 0, minute_of_day=request_minute_of_day(request, now),
        excluded_company_ids=excluded,
    )


def nearby_companies(*, requests: list[ServiceRequest]) -> list[Company]:
    """Contracted companies whose base cell lies within reach of any request, plus those that cover a
    request's region by their service-region list. An indexed lookup, not a scan."""
    cells: set[int] = set()
    region_ids: set[int] = set()
    for request in requests:
        cell = h3.latlng_to_cell(float(request.latitude), float(request.longitude), LOCATION_CELL_RESOLUTION)
        cells.update(h3.str_to_int(c) for c in h3.grid_disk(cell, _DISK_K))
        if request.region_id:
            region_ids.update(r.pk for r in request.region.ancestors_and_self())
    query = Q(base_cell__in=cells, service_radius_km__isnull=False)
    if region_ids:
        query |= Q(service_regions__in=region_ids)
    return list(
        Company.objects.filter(query, status=CompanyStatus.CONTRACTED)
        .prefetch_related("categories", "service_regions")
        .distinct()
    )


def company_snapshots(*, companies: list[Company], requests: list[ServiceRequest], now: datetime.datetime):
    """Engine snapshots. A company covering a request's region by its region list is given a radius that
    reaches that request (the engine itself only knows radii)."""
    ids = [c.pk for c in companies]
    load = dict(
        ServiceRequest.objects.filter(company_id__in=ids, status__in=ACTIVE_JOB_STATUSES)
        .values_list("company_id").annotate(n=Count("pk"))
    )
    pending = dict(
        Offer.objects.filter(company_id__in=ids, status=Offer.Status.PENDING).values_list("company_id").annotate(n=Count("pk"))
    )
    since = now - datetime.timedelta(days=90)
    answered = {
        row["company_id"]: row
        for row in Offer.objects.filter(company_id__in=ids, offered_at__gte=since)
        .exclude(status__in=[Offer.Status.PENDING, Offer.Status.WITHDRAWN])
        .values("company_id")
        .annotate(total=Count("pk"), accepted=Count("pk", filter=Q(status=Offer.Status.ACCEPTED)))
    }
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    jobs_this_year = dict(
        ServiceRequest.objects.filter(company_id__in=ids, accepted_at__gte=year_start)
        .values_list("company_id").annotate(n=Count("pk"))
    )
    category_total = sum(jobs_this_year.values()) or 1
    from ratings.models import Rating

    ratings = {
        row["company_id"]: row["average"]
        for row in Rating.objects.filter(company_id__in=ids).values("company_id").annotate(average=Avg("overall"))
    }
    snapshots = []
    for company in companies:
        radius = float(company.service_radius_km or 0)
        covered = {r.pk for r in company.service_regions.all()}
        for request in requests:
            if request.region_id and covered & {r.pk for r in request.region.ancestors_and_self()}:
                distance = engine.haversine_km(float(company.base_latitude), float(company.base_longitude),
                                               float(request.latitude), float(request.longitude))
                radius = max(radius, min(distance + 0.001, 1999.0))
        stats = answered.get(company.pk)
        snapshots.append(engine.CompanySnapshot(
            id=company.pk, lat=float(company.base_latitude), lng=float(company.base_longitude),
            category_ids=frozenset(c.pk for c in company.categories.all()), radius_km=radius,
            opens_at=company.opens_at.hour * 60 + company.opens_at.minute,
            closes_at=company.closes_at.hour * 60 + company.closes_at.minute,
            capacity=company.capacity, active_jobs=min(load.get(company.pk, 0) + pending.get(company.pk, 0), company.capacity),
            acceptance_rate=(stats["accepted"] / stats["total"]) if stats and stats["total"] else 1.0,
            rating=float(ratings[company.pk]) if ratings.get(company.pk) is not None else engine.DEFAULT_RATING,
            volume_share=jobs_this_year.get(company.pk, 0) / category_total,
        ))
    return snapshots


def waiting_requests() -> list[ServiceRequest]:
    """Requests in 'matching' without an open offer: the batch the assigner works on."""
    from marketplace.models import RequestStatus

    return list(
        ServiceRequest.objects.filter(status=RequestStatus.MATCHING)
        .exclude(offers__status=Offer.Status.PENDING)
        .select_related("region__parent__parent", "product")
        .order_by("created_at", "pk")
    )


def offers_for_company(*, company: Company):
    return Offer.objects.filter(company=company).select_related("request__product", "request__region").order_by("-offered_at")


def region_label(region: Region | None) -> str:
    return " / ".join(r.name for r in reversed(region.ancestors_and_self())) if region else ""
