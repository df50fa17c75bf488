"""The hotline: an agent enters a call; the phone number finds or makes the resident, and the agent
is shown as the responsible agent (首问负责) to the resident and to the company."""
import pytest

from marketplace.models import RequestStatus, ServiceRequest, User
from marketplace.roles import Role, has_role
from matching.services import requests_assign_waiting
from tests.api import staff_of
from tests.api_requests.conftest import get, post, results

pytestmark = [pytest.mark.django_db]


def call(agent, **overrides):
    body = {
        "phone": "13800009999", "name": "王", "item": None, "description": "老人家里需要打扫",
        "address": "昭阳街道东关社区8号", "latitude": "27.331000", "longitude": "117.490000",
    }
    body.update(overrides)
    return post(agent, "api-centre-hotline", **body)


def test_a_call_from_a_new_number_makes_the_resident_and_the_agent_owns_the_request(companies, agent, item):
    response = call(agent, item=item.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    caller = User.objects.get(phone="+8613800009999")
    assert has_role(caller, Role.RESIDENT)
    assert body["resident"]["id"] == caller.pk and body["resident"]["phone"] == "+8613800009999"
    assert body["channel"] == "hotline" and body["contact_phone"] == "+8613800009999"
    assert body["owner_name"] == str(agent)
    assert body["status"] == RequestStatus.MATCHING

    # The resident sees the agent as owner
    mine = get(caller, "api-request", body["id"]).json()
    assert mine["owner_name"] == str(agent) and mine["channel"] == "hotline"

    # So does the company, in its offers and on the job
    requests_assign_waiting()
    staff = staff_of(companies[0])
    [offer] = results(get(staff, "api-company-offers"))
    assert offer["request"]["owner_name"] == str(agent)
    assert offer["request"]["contact_phone"] == "138****9999"
    job = post(staff, "api-company-offer-accept", offer["id"]).json()
    assert job["owner_name"] == str(agent) and job["contact_phone"] == "+8613800009999"


def test_a_call_from_a_known_number_finds_the_resident(companies, agent, item, resident):
    response = call(agent, item=item.pk, phone="139 0000 0001", contact_phone="13911112222")
    assert response.status_code == 201, response.json()
    assert response.json()["resident"]["id"] == resident.pk
    assert response.json()["contact_phone"] == "+8613911112222"
    assert User.objects.filter(phone="+8613900000001").count() == 1
    assert [row["id"] for row in results(get(resident, "api-requests"))] == [response.json()["id"]]


def test_a_refused_call_leaves_no_new_resident_behind(companies, agent, item):
    users_before = User.objects.count()
    response = call(agent, item=item.pk, description="")
    assert response.status_code == 400 and response.json()["code"] == "description_missing"
    response = call(agent, item=item.pk, phone="110")
    assert response.status_code == 400 and response.json()["code"] == "invalid_phone"
    assert User.objects.count() == users_before
    assert not ServiceRequest.objects.exists()


def test_an_administrator_may_take_calls_too(companies, administrator, item):
    response = call(administrator, item=item.pk)
    assert response.status_code == 201
    assert response.json()["owner_name"] == str(administrator)


def test_a_retried_call_with_the_same_key_creates_nothing_new(companies, agent, item):
    from django.urls import reverse

    from tests.api import client_for

    body = {"phone": "13800009999", "item": item.pk, "description": "打扫", "address": "东关社区8号",
            "latitude": "27.331000", "longitude": "117.490000"}
    client = client_for(agent)
    first = client.post(reverse("api-centre-hotline"), body, format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    again = client.post(reverse("api-centre-hotline"), body, format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert ServiceRequest.objects.count() == 1
