"""Every endpoint checks who is asking: anonymous callers are refused (401/403), a wrong role gets
403, and someone else's request, offer or job answers 404 — an outsider learns nothing."""
import pytest
from django.urls import reverse

from marketplace.models import RequestStatus, ServiceRequest
from marketplace.roles import Role
from matching.models import Offer
from matching.services import requests_assign_waiting
from tests.api import ANONYMOUS_REFUSED, client_for, staff_of
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db]

RESIDENT_ENDPOINTS = [
    ("get", "api-requests", False),
    ("post", "api-requests", False),
    ("get", "api-request", True),
    ("post", "api-request-cancel", True),
]
COMPANY_ENDPOINTS = [
    ("get", "api-company-offers", False),
    ("post", "api-company-offer-accept", True),
    ("post", "api-company-offer-decline", True),
    ("get", "api-company-jobs", False),
    ("get", "api-company-job", True),
    ("post", "api-company-job-set-off", True),
    ("post", "api-company-job-arrive", True),
    ("post", "api-company-job-complete", True),
]
CENTRE_ENDPOINTS = [
    ("post", "api-centre-hotline", False),
    ("get", "api-centre-supervise", False),
    ("get", "api-centre-request", True),
    ("post", "api-centre-request-handle-at-once", True),
    ("post", "api-centre-request-transfer", True),
    ("post", "api-centre-request-dispatch", True),
    ("post", "api-centre-request-restart-matching", True),
]
ALL_ENDPOINTS = RESIDENT_ENDPOINTS + COMPANY_ENDPOINTS + CENTRE_ENDPOINTS

# A body that would pass validation, so a refusal is the fence's doing, not the input's.
BODIES = {
    "api-request-cancel": {"reason": "不需要了"},
    "api-company-offer-decline": {"reason": "人手不足"},
    "api-company-job-complete": {"final_price": "80.00"},
    "api-centre-request-handle-at-once": {"resolution": "已解答"},
    "api-centre-request-transfer": {"unit_code": "ZJJ", "reason": "转办"},
    "api-centre-request-restart-matching": {"reason": "再试"},
}


def call(user, method, url_name, pk=None, **headers):
    url = reverse(url_name, args=[pk] if pk is not None else [])
    return getattr(client_for(user), method)(url, BODIES.get(url_name, {}), format="json", **headers)


@pytest.mark.parametrize(("method", "url_name", "has_pk"), ALL_ENDPOINTS)
def test_anonymous_callers_are_refused(method, url_name, has_pk, policy):
    response = call(None, method, url_name, 1 if has_pk else None, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code in ANONYMOUS_REFUSED


@pytest.fixture
def personas(db, resident, agent, finance_officer, contract_company):
    company = contract_company(1)
    return {
        "resident": resident,
        "company_staff": staff_of(company),
        "agent": agent,
        "finance_officer": finance_officer,
        "staff_without_company": make_user("lonely@company.example.com", Role.COMPANY_STAFF),
        "no_role": make_user("nobody@example.com"),
    }


WRONG_ROLES = (
    [(endpoint, who) for endpoint in RESIDENT_ENDPOINTS for who in ("company_staff", "agent", "finance_officer", "no_role")]
    + [(endpoint, who) for endpoint in COMPANY_ENDPOINTS for who in ("resident", "agent", "finance_officer", "no_role", "staff_without_company")]
    + [(endpoint, who) for endpoint in CENTRE_ENDPOINTS for who in ("resident", "company_staff", "finance_officer", "no_role")]
)


@pytest.mark.parametrize(("endpoint", "who"), WRONG_ROLES, ids=[f"{e[1]}-{e[0]}-{w}" for e, w in WRONG_ROLES])
def test_a_wrong_role_gets_403_and_nothing_changes(personas, endpoint, who):
    method, url_name, has_pk = endpoint
    response = call(personas[who], method, url_name, 1 if has_pk else None, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.fixture
def someone_elses(companies, raise_request, resident):
    """A job company 1 accepted, and a request with an offer open to one company (``offered_to``)."""
    job = raise_request()
    requests_assign_waiting()
    offer = Offer.objects.get(request=job)
    client_for(staff_of(offer.company)).post(reverse("api-company-offer-accept", args=[offer.pk]))
    offered = raise_request(description="第二单")
    requests_assign_waiting()
    pending = Offer.objects.get(request=offered, status=Offer.Status.PENDING)
    job.refresh_from_db()
    return {"job": job, "job_company": offer.company, "offer": pending, "offered_to": pending.company}


def other_than(companies, company):
    return next(c for c in companies if c != company)


@pytest.mark.parametrize("endpoint", [e for e in RESIDENT_ENDPOINTS if e[2]], ids=lambda e: e[1])
def test_another_residents_request_answers_404(someone_elses, outsider, endpoint):
    method, url_name, _ = endpoint
    request = someone_elses["job"]
    assert call(outsider, method, url_name, request.pk).status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_another_residents_requests_are_not_listed(someone_elses, outsider):
    assert client_for(outsider).get(reverse("api-requests")).json()["results"] == []


@pytest.mark.parametrize("url_name", ["api-company-offer-accept", "api-company-offer-decline"])
def test_an_offer_made_to_another_company_answers_404(someone_elses, companies, url_name):
    offer = someone_elses["offer"]
    stranger = staff_of(other_than(companies, someone_elses["offered_to"]))
    assert call(stranger, "post", url_name, offer.pk).status_code == 404
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING
    offers = client_for(stranger).get(reverse("api-company-offers")).json()["results"]
    assert offer.pk not in [row["id"] for row in offers]


@pytest.mark.parametrize("endpoint", [e for e in COMPANY_ENDPOINTS if "job" in e[1] and e[2]], ids=lambda e: e[1])
def test_another_companys_job_answers_404(someone_elses, companies, endpoint):
    method, url_name, _ = endpoint
    job = someone_elses["job"]
    stranger = staff_of(other_than(companies, someone_elses["job_company"]))
    assert call(stranger, method, url_name, job.pk).status_code == 404
    job.refresh_from_db()
    assert job.status == RequestStatus.ACCEPTED and job.company == someone_elses["job_company"]
    assert job.pk not in [row["id"] for row in client_for(stranger).get(reverse("api-company-jobs")).json()["results"]]


def test_an_offer_not_yet_accepted_is_not_a_job(someone_elses):
    offered = someone_elses["offer"]
    assert call(staff_of(offered.company), "get", "api-company-job", offered.request_id).status_code == 404


@pytest.mark.parametrize("endpoint", [e for e in CENTRE_ENDPOINTS if e[2]], ids=lambda e: e[1])
def test_centre_endpoints_answer_404_for_a_request_that_does_not_exist(personas, endpoint, linked_unit):
    method, url_name, _ = endpoint
    assert call(personas["agent"], method, url_name, 999999).status_code == 404
