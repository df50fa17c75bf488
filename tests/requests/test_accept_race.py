"""Many hands on one request at the same moment: exactly one accept wins, the request is never in two
companies' job lists, and the losers get a clear 'taken' answer. Needs PostgreSQL's row locks."""
import pytest

from marketplace.errors import NotYours
from marketplace.models import RequestStatus as R
from marketplace.models import ServiceRequest
from matching.errors import DispatchInvalid, OfferTaken
from matching.models import Offer
from matching.services import offer_accept, request_dispatch_by_hand, requests_assign_waiting
from tests.conftest import make_user, requires_postgres, run_at_once

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_now")]


def staff_of(company, count):
    users = []
    for n in range(count):
        user = make_user(f"c{company.pk}-staff{n}@example.com", "company_staff")
        company.partner.users.add(user)
        users.append(user)
    return users


def test_five_staff_accepting_at_once_exactly_one_wins(companies, raise_request):
    request = raise_request()
    requests_assign_waiting()
    offer = Offer.objects.get(request=request, status=Offer.Status.PENDING)
    hands = staff_of(companies[0], 5)

    results = run_at_once(*[
        (lambda user=user: offer_accept(offer_id=offer.pk, company=companies[0], actor=user)) for user in hands
    ])

    winners = [r for r in results if isinstance(r, ServiceRequest)]
    assert len(winners) == 1, results
    assert all(isinstance(r, OfferTaken) for r in results if r not in winners), results
    request.refresh_from_db()
    assert request.status == R.ACCEPTED and request.company == companies[0]
    assert request.status_changes.filter(to_status=R.ACCEPTED).count() == 1


def test_companies_and_an_agent_racing_for_one_request_leave_it_in_one_job_list(companies, raise_request, agent):
    request = raise_request()
    requests_assign_waiting()
    offer = Offer.objects.get(request=request, status=Offer.Status.PENDING)
    calls = [(lambda u=u: offer_accept(offer_id=offer.pk, company=companies[0], actor=u)) for u in staff_of(companies[0], 3)]
    calls += [(lambda u=u: offer_accept(offer_id=offer.pk, company=companies[1], actor=u)) for u in staff_of(companies[1], 2)]
    calls += [lambda: request_dispatch_by_hand(request=request, agent=agent, company=companies[2], reason="抢派")]

    results = run_at_once(*calls)

    assert sum(isinstance(r, ServiceRequest) for r in results) == 1, results
    assert all(isinstance(r, (ServiceRequest, OfferTaken, NotYours, DispatchInvalid)) for r in results), results
    in_job_lists = [c for c in companies if ServiceRequest.objects.filter(company=c, status=R.ACCEPTED).exists()]
    assert in_job_lists == [companies[0]]
    assert Offer.objects.filter(request=request, status=Offer.Status.ACCEPTED).count() == 1
