"""Reads about companies, for other apps (pricing, matching, the portals)."""
from __future__ import annotations

import datetime

from django.db.models import QuerySet

from providers.models import QUOTA_HOLDING_STATUSES, Agreement, Company, CompanyStatus


# A company in one of these statuses cannot set or change prices.
NO_PRICING_STATUSES = (CompanyStatus.REJECTED, CompanyStatus.REMOVED)


def company_of_partner(*, partner_id: int) -> Company | None:
    return Company.objects.select_related("base_region__parent__parent").filter(partner_id=partner_id).first()


def companies_of_user(*, user) -> QuerySet[Company]:
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(partner__users=user)


def agreement_in_force(*, company: Company, day: datetime.date) -> Agreement | None:
    return company.agreements.filter(term_start__lte=day, term_end__gte=day).order_by("-term_start").first()


def quota_holders_in_category(*, category_id: int, exclude_company_id: int | None = None) -> int:
    qs = Company.objects.filter(categories__id=category_id, status__in=QUOTA_HOLDING_STATUSES)
    if exclude_company_id:
        qs = qs.exclude(pk=exclude_company_id)
    return qs.distinct().count()


def contracted_companies() -> QuerySet[Company]:
    return Company.objects.filter(status=CompanyStatus.CONTRACTED)


def applications_queue() -> QuerySet[Company]:
    return Company.objects.exclude(status=CompanyStatus.CONTRACTED).select_related("base_region").order_by(
        "status", "created_at"
    )
