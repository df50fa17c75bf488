"""Reads other apps may use: the yearly policy and the region tree."""
from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import PolicyMissing
from marketplace.models import CategoryQuota, Region, YearPolicy


def policy_for_year(*, year: int) -> YearPolicy:
    """The policy record of ``year``. Every rule reads its numbers through here."""
    try:
        return YearPolicy.objects.get(year=year)
    except YearPolicy.DoesNotExist:
        raise PolicyMissing(
            _("No policy has been set for %(year)s; an administrator must create it first.") % {"year": year},
            params={"year": year},
        ) from None


def policy_current(*, today: datetime.date | None = None) -> YearPolicy:
    today = today or timezone.localdate()
    return policy_for_year(year=today.year)


def category_quota(*, policy: YearPolicy, category_id: int) -> int:
    row = CategoryQuota.objects.filter(policy=policy, category_id=category_id).first()
    return row.max_companies if row else policy.default_category_quota


def region_with_ancestors(*, region: Region | None) -> list[Region]:
    return region.ancestors_and_self() if region else []


def regions_by_level(*, level: int):
    return Region.objects.filter(level=level).order_by("code")
