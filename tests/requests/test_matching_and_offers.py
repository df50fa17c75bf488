"""Offers go to one company at a time; declines and timeouts cascade; escalation; candidate rules."""
import datetime

import pytest
from django.utils import timezone

from marketplace.models import CategoryDeadline
from marketplace.models import RequestStatus as R
from matching.errors import OfferExpired, OfferTaken
from matching.models import Match, Offer
from matching.services import (
    offer_accept,
    offer_decline,
    offers_expire_due,
    request_dispatch_by_hand,
    requests_assign_waiting,
)
from providers.models import CompanyStatus
from providers.services import company_transition

pytestmark = [pytest.mark.django_db]


def pending_offer(request):
    return Offer.objects.get(request=request, status=Offer.Status.PENDING)


def test_nearest_suitable_company_gets_the_first_offer_with_the_reasons_kept(companies, raise_request):
    request = raise_request()
    requests_assign_waiting()
    request.refresh_from_db()
    offer = pending_offer(request)
    assert request.status == R.OFFERED and offer.company == companies[0]
    match = Match.objects.get(request=request)
    assert [c["company_id"] for c in match.candidates] == [c.pk for c in companies]
    assert set(match.candidates[0]["parts"]) == {"distance", "rating", "acceptance", "load", "fairness"}
    assert match.candidates[0]["chosen"] is True
    assert offer.expires_at - offer.offered_at == datetime.timedelta(seconds=90)


def test_scheduled_request_offer_stays_open_thirty_minutes(companies, raise_request):
    start = timezone.now() + datetime.timedelta(days=1)
    request = raise_request(as_soon_as_possible=False, window_start=start, window_end=start + datetime.timedelta(hours=2))
    requests_assign_waiting()
    offer = pending_offer(request)
    assert offer.expires_at - offer.offered_at == datetime.timedelta(minutes=30)


def test_decline_cascades_to_the_next_company_and_never_back(companies, raise_request, company_user):
    request = raise_request()
    requests_assign_waiting()
    first = pending_offer(request)
    offer_decline(offer_id=first.pk, company=companies[0], actor=company_user, reason="人手不足")
    request.refresh_from_db()
    assert request.status == R.MATCHING
    requests_assign_waiting()
    second = pending_offer(request)
    assert second.company == companies[1]
    offer_decline(offer_id=second.pk, company=companies[1], actor=company_user, reason="太远")
    requests_assign_waiting()
    assert pending_offer(request).company == companies[2]
    assert Offer.objects.filter(request=request, company=companies[0]).count() == 1


def test_accept_shows_the_company_on_the_request_and_the_job_runs_to_completion(companies, raise_request, company_user, item):
    from marketplace.services import job_arrive, job_complete, job_set_off
    from pricing.errors import FinalPriceAboveContract

    request = raise_request()
    requests_assign_waiting()
    offer_accept(offer_id=pending_offer(request).pk, company=companies[0], actor=company_user)
    request.refresh_from_db()
    assert request.status == R.ACCEPTED and request.company == companies[0]
    job_set_off(request=request, company=companies[0], actor=company_user)
    job_arrive(request=request, company=companies[0], actor=company_user)
    with pytest.raises(FinalPriceAboveContract) as refused:
        job_complete(request=request, company=companies[0], actor=company_user, final_price="160.01", quantity="2")
    assert "160.00" in str(refused.value) and "80.00" in str(refused.value)
    job_complete(request=request, company=companies[0], actor=company_user, final_price="160.00", quantity="2")
    request.refresh_from_db()
    assert request.status == R.COMPLETED and str(request.final_price) == "160.00"


def test_a_company_cannot_accept_an_offer_made_to_another(companies, raise_request, company_user):
    from marketplace.errors import NotYours

    request = raise_request()
    requests_assign_waiting()
    with pytest.raises(NotYours):
        offer_accept(offer_id=pending_offer(request).pk, company=companies[1], actor=company_user)
    request.refresh_from_db()
    assert request.status == R.OFFERED and request.company is None


def test_timeout_cascades_and_an_expired_offer_cannot_be_accepted(companies, raise_request, company_user, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
    request = raise_request()
    requests_assign_waiting()
    first = pending_offer(request)
    time_machine.shift(datetime.timedelta(seconds=91))
    with pytest.raises(OfferExpired):
        offer_accept(offer_id=first.pk, company=companies[0], actor=company_user)
    assert offers_expire_due() == 1
    assert offers_expire_due() == 0  # running the sweep again does nothing new
    first.refresh_from_db()
    assert first.status == Offer.Status.EXPIRED
    requests_assign_waiting()
    assert pending_offer(request).company == companies[1]
    with pytest.raises(OfferExpired):
        offer_accept(offer_id=first.pk, company=companies[0], actor=company_user)
    with pytest.raises(OfferTaken):  # an offer that was never answered and then withdrawn
        Offer.objects.filter(pk=first.pk).update(status=Offer.Status.WITHDRAWN)
        offer_accept(offer_id=first.pk, company=companies[0], actor=company_user)


def test_nobody_accepting_in_time_escalates_to_the_supervise_queue(companies, raise_request, policy, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
    policy.escalate_after_declines = 2
    policy.save()
    request = raise_request()
    for _ in range(2):
        requests_assign_waiting()
        time_machine.shift(datetime.timedelta(seconds=91))
        offers_expire_due()
    request.refresh_from_db()
    assert request.status == R.ESCALATED
    assert not Offer.objects.filter(request=request, status=Offer.Status.PENDING).exists()


def test_waiting_too_long_escalates_even_without_many_declines(companies, raise_request, policy, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
    request = raise_request()
    requests_assign_waiting()
    time_machine.shift(datetime.timedelta(minutes=policy.escalate_after_minutes, seconds=1))
    offers_expire_due()
    request.refresh_from_db()
    assert request.status == R.ESCALATED


@pytest.mark.usefixtures("frozen_now")
def test_candidates_exclude_suspended_far_closed_and_full_companies(companies, raise_request, administrator):
    company_transition(company=companies[0], to_status=CompanyStatus.SUSPENDED, actor=administrator, reason="整改")
    companies[1].opens_at, companies[1].closes_at = datetime.time(8, 0), datetime.time(9, 0)  # closed at 18:00 local
    companies[1].save()
    companies[2].service_radius_km = 2
    companies[2].save()
    request = raise_request()
    requests_assign_waiting()
    request.refresh_from_db()
    assert request.status == R.ESCALATED
    assert not Offer.objects.exists()


@pytest.mark.usefixtures("frozen_now")
def test_company_at_capacity_is_not_offered_more(companies, raise_request, company_user):
    companies[0].capacity = 1
    companies[0].save()
    first = raise_request()
    requests_assign_waiting()
    offer_accept(offer_id=pending_offer(first).pk, company=companies[0], actor=company_user)
    second = raise_request(description="第二单")
    requests_assign_waiting()
    assert pending_offer(second).company == companies[1]


@pytest.mark.usefixtures("frozen_now")
def test_waiting_requests_are_assigned_together_without_double_booking(companies, raise_request):
    for company in companies:
        company.capacity = 1
        company.save()
    requests = [raise_request(description=f"第{i}单") for i in range(4)]
    assignment = requests_assign_waiting()
    offered = [assignment[r.pk] for r in requests if assignment.get(r.pk)]
    assert sorted(offered) == sorted(c.pk for c in companies)  # three companies, one each
    assert Match.objects.filter(batch=True).count() == 3


@pytest.mark.usefixtures("frozen_now")
def test_agent_dispatches_by_hand_with_a_reason_and_becomes_owner(companies, raise_request, agent, policy):
    policy.escalate_after_declines = 1
    policy.save()
    request = raise_request()
    requests_assign_waiting()
    offer_decline(offer_id=pending_offer(request).pk, company=companies[0], actor=agent, reason="忙")
    request.refresh_from_db()
    assert request.status == R.ESCALATED
    offer = request_dispatch_by_hand(request=request, agent=agent, company=companies[2], reason="居民指定")
    request.refresh_from_db()
    assert offer.by_hand and offer.hand_reason == "居民指定"
    assert request.status == R.OFFERED and request.owner == agent


@pytest.mark.usefixtures("frozen_now")
def test_category_deadlines_come_from_the_policy(companies, raise_request, policy, category):
    CategoryDeadline.objects.create(policy=policy, category=category, response_minutes=15, completion_hours=6)
    request = raise_request()
    assert request.response_due_at - request.created_at == datetime.timedelta(minutes=15)
    assert request.completion_due_at - request.created_at == datetime.timedelta(hours=6)
