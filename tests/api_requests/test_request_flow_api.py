"""The whole life of a request through the API: the resident raises it, the matcher offers it,
company 1 declines, company 2 accepts and does the job, the resident sees it completed."""
import datetime

import pytest

from marketplace.models import RequestStatus, ServiceRequest
from matching.models import Offer
from matching.services import requests_assign_waiting
from tests.api import staff_of
from tests.api_requests.conftest import get, post, results

pytestmark = [pytest.mark.django_db]


def test_request_runs_from_app_to_completion_with_the_phone_hidden_until_accept(companies, create_request, resident):
    first_staff, second_staff = staff_of(companies[0]), staff_of(companies[1])

    # Given a resident raises a request in the app
    created = create_request(resident)
    assert created.status_code == 201
    request_id = created.json()["id"]

    # When the matcher runs, the nearest company is offered it, with the phone masked
    requests_assign_waiting()
    [offer] = results(get(first_staff, "api-company-offers"))
    assert offer["request"]["id"] == request_id
    assert offer["request"]["contact_phone"] == "139****0001"
    assert "13900000001" not in str(offer)
    assert offer["seconds_left"] == 90
    assert results(get(second_staff, "api-company-offers")) == []

    # Company 1 declines; the request cascades to company 2
    declined = post(first_staff, "api-company-offer-decline", offer["id"], reason="人手不足")
    assert declined.status_code == 200, declined.json()
    assert declined.json()["status"] == "declined"
    assert results(get(first_staff, "api-company-offers")) == []
    requests_assign_waiting()
    [second_offer] = results(get(second_staff, "api-company-offers"))
    assert second_offer["request"]["contact_phone"] == "139****0001"

    # Company 2 accepts and now sees the full phone number; company 1 sees nothing of the job
    accepted = post(second_staff, "api-company-offer-accept", second_offer["id"])
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == RequestStatus.ACCEPTED
    assert accepted.json()["contact_phone"] == "+8613900000001"
    assert accepted.json()["contact_phone_masked"] is False
    assert get(first_staff, "api-company-job", request_id).status_code == 404
    assert results(get(first_staff, "api-company-jobs")) == []
    job = get(second_staff, "api-company-job", request_id).json()
    assert job["contact_phone"] == "+8613900000001"
    assert [row["id"] for row in results(get(second_staff, "api-company-jobs"))] == [request_id]

    # The job runs: set off, arrive, complete
    assert post(second_staff, "api-company-job-set-off", request_id).json()["status"] == RequestStatus.ON_THE_WAY
    assert post(second_staff, "api-company-job-arrive", request_id).json()["status"] == RequestStatus.IN_SERVICE

    # A final price above quantity × the contracted price (2 × ¥80.00) is refused with the numbers
    too_much = post(second_staff, "api-company-job-complete", request_id, final_price="160.01", quantity="2", note="两小时")
    assert too_much.status_code == 400
    refusal = too_much.json()
    assert refusal["code"] == "final_price_above_contract"
    assert "160.01" in refusal["detail"] and "80.00" in refusal["detail"] and "160.00" in refusal["detail"]
    assert refusal["params"]["limit"] == "160.00" and refusal["params"]["contract_price"] == "80.00"
    assert ServiceRequest.objects.get(pk=request_id).status == RequestStatus.IN_SERVICE

    completed = post(second_staff, "api-company-job-complete", request_id, final_price="160.00", quantity="2", note="两小时")
    assert completed.status_code == 200, completed.json()
    assert completed.json()["status"] == RequestStatus.COMPLETED
    assert completed.json()["final_price"] == "160.00"

    # The resident sees it completed, by company 2, with the whole history
    mine = get(resident, "api-request", request_id).json()
    assert mine["status"] == RequestStatus.COMPLETED
    assert mine["company_name"] == companies[1].legal_name
    assert mine["company_average_rating"] is None
    assert mine["final_price"] == "160.00"
    assert [entry["to_status"] for entry in mine["history"]] == [
        "submitted", "matching", "offered", "matching", "offered", "accepted", "on_the_way", "in_service", "completed",
    ]
    assert [row["status"] for row in results(get(resident, "api-requests"))] == [RequestStatus.COMPLETED]


def test_job_moves_out_of_order_are_refused_with_a_code(companies, raise_request):
    staff = staff_of(companies[0])
    request = raise_request()
    requests_assign_waiting()
    post(staff, "api-company-offer-accept", Offer.objects.get(request=request).pk)
    response = post(staff, "api-company-job-arrive", request.pk)
    assert response.status_code == 400
    assert response.json()["code"] == "illegal_transition"
    response = post(staff, "api-company-job-complete", request.pk, final_price="80.00")
    assert response.status_code == 400 and response.json()["code"] == "illegal_transition"
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_complete_with_a_bad_price_answers_400(companies, raise_request):
    staff = staff_of(companies[0])
    request = raise_request()
    requests_assign_waiting()
    post(staff, "api-company-offer-accept", Offer.objects.get(request=request).pk)
    post(staff, "api-company-job-set-off", request.pk)
    post(staff, "api-company-job-arrive", request.pk)
    for price in ("80.001", "eighty", ""):
        response = post(staff, "api-company-job-complete", request.pk, final_price=price)
        assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = post(staff, "api-company-job-complete", request.pk, final_price="80.00", quantity="0")
    assert response.status_code == 400 and response.json()["code"] == "invalid_quantity"
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_SERVICE and request.final_price is None


def test_jobs_list_filters_by_status(companies, raise_request):
    staff = staff_of(companies[0])
    first, second = raise_request(), raise_request(description="第二单")
    requests_assign_waiting()
    for offer in Offer.objects.filter(company=companies[0]):
        post(staff, "api-company-offer-accept", offer.pk)
    mine = {row["id"] for row in results(get(staff, "api-company-jobs"))}
    accepted_here = set(Offer.objects.filter(company=companies[0], status="accepted").values_list("request_id", flat=True))
    assert mine == accepted_here and mine <= {first.pk, second.pk} and mine
    job_id = next(iter(mine))
    post(staff, "api-company-job-set-off", job_id)
    assert [row["id"] for row in results(get(staff, "api-company-jobs", status="on_the_way"))] == [job_id]
    assert get(staff, "api-company-jobs", status="nonsense").status_code == 400


def test_resident_cancels_with_a_reason_and_the_offer_is_withdrawn(companies, create_request, resident):
    request_id = create_request(resident).json()["id"]
    requests_assign_waiting()
    blank = post(resident, "api-request-cancel", request_id, reason=" ")
    assert blank.status_code == 400 and blank.json()["code"] == "reason_required"
    cancelled = post(resident, "api-request-cancel", request_id, reason="不需要了")
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == RequestStatus.CANCELLED
    assert cancelled.json()["history"][-1]["reason"] == "不需要了"
    assert results(get(staff_of(companies[0]), "api-company-offers")) == []
    assert Offer.objects.get(request_id=request_id).status == Offer.Status.WITHDRAWN


def test_a_request_in_service_can_no_longer_be_cancelled(companies, raise_request, resident):
    staff = staff_of(companies[0])
    request = raise_request()
    requests_assign_waiting()
    post(staff, "api-company-offer-accept", Offer.objects.get(request=request).pk)
    post(staff, "api-company-job-set-off", request.pk)
    post(staff, "api-company-job-arrive", request.pk)
    response = post(resident, "api-request-cancel", request.pk, reason="不需要了")
    assert response.status_code == 400 and response.json()["code"] == "illegal_transition"
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_SERVICE


def test_resident_sees_the_request_overdue_once_the_response_deadline_passes(companies, raise_request, resident, frozen_now):
    request = raise_request()
    assert get(resident, "api-request", request.pk).json()["overdue"] is False
    frozen_now.shift(datetime.timedelta(minutes=31))
    body = get(resident, "api-request", request.pk).json()
    assert body["overdue"] is True and body["overdue_kind"] == "response"
