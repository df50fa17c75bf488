"""Answering an offer too late: the API says 409 with a code, never 500, and nothing changes."""
import datetime

import pytest

from marketplace.models import RequestStatus, ServiceRequest
from matching.models import Offer
from matching.services import offers_expire_due, requests_assign_waiting
from tests.api import staff_of
from tests.api_requests.conftest import post

pytestmark = [pytest.mark.django_db]


def test_accepting_after_the_offer_window_answers_409_offer_expired(companies, raise_request, frozen_now):
    request = raise_request()
    requests_assign_waiting()
    offer = Offer.objects.get(request=request)
    frozen_now.shift(datetime.timedelta(seconds=91))
    response = post(staff_of(companies[0]), "api-company-offer-accept", offer.pk)
    assert response.status_code == 409
    assert response.json()["code"] == "offer_expired"
    assert response.json()["detail"]
    request.refresh_from_db()
    assert request.status == RequestStatus.OFFERED and request.company is None


def test_accepting_an_offer_the_sweep_expired_answers_409_offer_expired(companies, raise_request, frozen_now):
    request = raise_request()
    requests_assign_waiting()
    offer = Offer.objects.get(request=request)
    frozen_now.shift(datetime.timedelta(seconds=91))
    offers_expire_due()
    requests_assign_waiting()
    post(staff_of(companies[1]), "api-company-offer-accept", Offer.objects.get(request=request, status="pending").pk)
    response = post(staff_of(companies[0]), "api-company-offer-accept", offer.pk)
    assert response.status_code == 409
    assert response.json()["code"] == "offer_expired"
    request.refresh_from_db()
    assert request.company == companies[1]


def test_accepting_an_offer_withdrawn_by_a_cancel_answers_409_offer_taken(companies, create_request, resident):
    request_id = create_request(resident).json()["id"]
    requests_assign_waiting()
    offer = Offer.objects.get(request_id=request_id)
    assert post(resident, "api-request-cancel", request_id, reason="不需要了").status_code == 200
    response = post(staff_of(companies[0]), "api-company-offer-accept", offer.pk)
    assert response.status_code == 409
    assert response.json()["code"] == "offer_taken"
    assert ServiceRequest.objects.get(pk=request_id).status == RequestStatus.CANCELLED


def test_declining_an_answered_offer_answers_409(companies, raise_request):
    staff = staff_of(companies[0])
    request = raise_request()
    requests_assign_waiting()
    offer = Offer.objects.get(request=request)
    assert post(staff, "api-company-offer-accept", offer.pk).status_code == 200
    response = post(staff, "api-company-offer-decline", offer.pk, reason="改主意了")
    assert response.status_code == 409 and response.json()["code"] == "offer_taken"
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_declining_without_a_reason_is_refused(companies, raise_request):
    request = raise_request()
    requests_assign_waiting()
    offer = Offer.objects.get(request=request)
    response = post(staff_of(companies[0]), "api-company-offer-decline", offer.pk, reason="  ")
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING
