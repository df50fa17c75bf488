"""Fixtures for the quality loop: three contracted companies near the resident (from tests/requests),
jobs run to completion through the real matcher and job services, an agent on the phone, English pages."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from marketplace.models import RequestStatus as R
from marketplace.models import YearPolicy
from marketplace.services import job_arrive, job_complete, job_set_off
from matching.models import Offer
from matching.services import offer_accept, offer_decline, requests_assign_waiting
from tests.conftest import make_user
from tests.requests.conftest import companies, raise_request  # noqa: F401

# The fixtures' clock: 2026-11-23 10:00 UTC = 18:00 in Asia/Shanghai (the site's time zone).
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def staff_sign_in_without_second_factor(settings):
    """Staff sign in here with force_login; the two-factor rule has its own tests (marketplace/mfa.py)."""
    settings.MARKETPLACE_REQUIRE_STAFF_MFA = False


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff(companies):  # noqa: F811
    """The staff users of companies 1, 2 and 3 (index 0, 1, 2)."""
    return [company.partner.users.first() for company in companies]


@pytest.fixture
def other_resident(db):
    from marketplace.roles import Role

    return make_user("neighbour@example.com", Role.RESIDENT, phone="13900000002")


@pytest.fixture
def policy_2027(db):
    return YearPolicy.objects.create(year=2027, default_category_quota=3)


def offer_to(request, company):
    """Run the matcher until ``company`` holds the open offer on ``request`` (others decline)."""
    for _round in range(5):
        requests_assign_waiting()
        offer = Offer.objects.get(request=request, status=Offer.Status.PENDING)
        if offer.company_id == company.pk:
            return offer
        offer_decline(offer_id=offer.pk, company=offer.company, actor=offer.company.partner.users.first(), reason="人手不足")
    raise AssertionError("the company never got the offer")


@pytest.fixture
def job(companies, raise_request):  # noqa: F811
    """``job(company, until="completed")``: raise a request and run it with ``company`` up to a status
    (offered, accepted, on_the_way, in_service, completed). Returns the request, refreshed."""

    def make(company=None, until: str = R.COMPLETED, final_price: str = "80.00", **overrides):
        company = company or companies[0]
        actor = company.partner.users.first()
        request = raise_request(**overrides)
        offer = offer_to(request, company)
        steps = [R.OFFERED, R.ACCEPTED, R.ON_THE_WAY, R.IN_SERVICE, R.COMPLETED]
        for step in steps[1 : steps.index(until) + 1]:
            if step == R.ACCEPTED:
                offer_accept(offer_id=offer.pk, company=company, actor=actor)
            elif step == R.ON_THE_WAY:
                job_set_off(request=request, company=company, actor=actor)
            elif step == R.IN_SERVICE:
                job_arrive(request=request, company=company, actor=actor)
            elif step == R.COMPLETED:
                job_complete(request=request, company=company, actor=actor, final_price=final_price)
            request.refresh_from_db()
        request.refresh_from_db()
        assert request.status == until
        return request

    return make


def scores(overall: int, **others) -> dict:
    return {"overall": overall, "punctuality": others.get("punctuality", overall),
            "attitude": others.get("attitude", overall), "quality": others.get("quality", overall)}

