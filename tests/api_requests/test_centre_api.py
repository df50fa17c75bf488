"""The centre's verbs through the API: the supervise queue (督办), a request's matcher reasoning,
handle at once (即办), transfer to a unit (转办), dispatch by hand and restarting the matcher."""
import datetime
from decimal import Decimal

import pytest

from marketplace.models import RequestStatus
from matching.models import Offer
from matching.services import requests_assign_waiting
from tests.api import staff_of
from tests.api_requests.conftest import get, post, results

pytestmark = [pytest.mark.django_db]

FAR_AWAY = {"latitude": Decimal("27.900000"), "longitude": Decimal("117.490000")}  # ~60 km: no company reaches it


@pytest.fixture
def escalated(companies, raise_request, agent):
    """A hotline request (owned by the agent) that no company can reach: the matcher escalates it."""
    request = raise_request(owner=agent, created_by=agent, channel="hotline", description="山里老人家水管坏了", **FAR_AWAY)
    requests_assign_waiting()
    request.refresh_from_db()
    assert request.status == RequestStatus.ESCALATED
    return request


def test_supervise_queue_shows_escalated_and_overdue_requests_oldest_first(escalated, raise_request, agent, frozen_now):
    waiting = raise_request(description="等待接单")
    requests_assign_waiting()  # offered to company 1, nobody answers
    assert [row["id"] for row in results(get(agent, "api-centre-supervise"))] == [escalated.pk]

    frozen_now.shift(datetime.timedelta(minutes=31))  # past the 30-minute response deadline
    fresh = raise_request(description="刚刚提交")
    rows = results(get(agent, "api-centre-supervise"))
    assert [row["id"] for row in rows] == [escalated.pk, waiting.pk]
    assert fresh.pk not in [row["id"] for row in rows]
    first, second = rows
    assert first["status"] == RequestStatus.ESCALATED and first["owner_name"] == str(agent)
    assert second["status"] == RequestStatus.OFFERED and second["overdue"] is True
    assert second["overdue_kind"] == "response" and second["owner_name"] is None
    assert second["resident"]["phone"] == "+8613900000001"


def test_agent_sees_the_matchers_candidates_and_the_parts_of_their_scores(companies, raise_request, agent):
    request = raise_request()
    requests_assign_waiting()
    response = get(agent, "api-centre-request", request.pk)
    assert response.status_code == 200
    body = response.json()
    [match] = body["matches"]
    assert [c["company_id"] for c in match["candidates"]] == [c.pk for c in companies]
    assert match["candidates"][0]["chosen"] is True
    assert set(match["candidates"][0]["parts"]) == {"distance", "rating", "acceptance", "load", "fairness"}
    assert [(o["company_id"], o["status"]) for o in body["offers"]] == [(companies[0].pk, "pending")]
    assert body["history"][0]["actor"] == "resident@example.com"


def test_handle_at_once_answers_and_closes_the_request(escalated, agent):
    blank = post(agent, "api-centre-request-handle-at-once", escalated.pk, resolution=" ")
    assert blank.status_code == 400 and blank.json()["code"] == "resolution_missing"
    response = post(agent, "api-centre-request-handle-at-once", escalated.pk, resolution="已电话指导关闭总阀")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == RequestStatus.CLOSED and body["resolution"] == "已电话指导关闭总阀"
    assert [h["to_status"] for h in body["history"]][-2:] == ["handled_at_once", "closed"]
    assert results(get(agent, "api-centre-supervise")) == []


def test_transfer_sends_the_request_to_a_linked_unit_with_its_duty_contact(escalated, agent, linked_unit):
    unknown = post(agent, "api-centre-request-transfer", escalated.pk, unit_code="NOPE", reason="供水问题")
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid"
    blank = post(agent, "api-centre-request-transfer", escalated.pk, unit_code="ZJJ", reason="")
    assert blank.status_code == 400 and blank.json()["code"] == "reason_required"
    response = post(agent, "api-centre-request-transfer", escalated.pk, unit_code="ZJJ", reason="供水管网问题")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == RequestStatus.TRANSFERRED
    assert body["linked_unit"]["name"] == "邵武市住建局" and body["linked_unit"]["duty_contact_name"] == "李科长"
    assert "李科长" in body["history"][-1]["reason"]


def test_agent_dispatches_by_hand_and_the_company_sees_the_offer(escalated, companies, agent, raise_request):
    no_reason = post(agent, "api-centre-request-dispatch", escalated.pk, company_id=companies[2].pk, reason="")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    response = post(agent, "api-centre-request-dispatch", escalated.pk, company_id=companies[2].pk, reason="居民指定")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == RequestStatus.OFFERED
    [offer] = response.json()["offers"]
    assert offer["by_hand"] is True and offer["hand_reason"] == "居民指定"
    [seen] = results(get(staff_of(companies[2]), "api-company-offers"))
    assert seen["request"]["id"] == escalated.pk and seen["by_hand"] is True
    assert seen["request"]["owner_name"] == str(agent)


def test_dispatch_to_a_company_already_offered_it_is_refused(escalated, companies, agent):
    post(agent, "api-centre-request-dispatch", escalated.pk, company_id=companies[2].pk, reason="居民指定")
    offer = Offer.objects.get(request=escalated)
    post(staff_of(companies[2]), "api-company-offer-decline", offer.pk, reason="太远")
    escalated.refresh_from_db()
    response = post(agent, "api-centre-request-dispatch", escalated.pk, company_id=companies[2].pk, reason="再试一次")
    assert response.status_code == 400 and response.json()["code"] == "dispatch_invalid"


def test_dispatch_to_an_unknown_company_is_refused(escalated, agent):
    response = post(agent, "api-centre-request-dispatch", escalated.pk, company_id=999999, reason="居民指定")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Offer.objects.exists()


def test_restart_matching_sends_an_escalated_request_back_to_the_matcher(escalated, agent):
    blank = post(agent, "api-centre-request-restart-matching", escalated.pk, reason="")
    assert blank.status_code == 400 and blank.json()["code"] == "invalid"
    response = post(agent, "api-centre-request-restart-matching", escalated.pk, reason="扩大范围再试")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == RequestStatus.MATCHING
    assert response.json()["history"][-1]["reason"] == "扩大范围再试"
    again = post(agent, "api-centre-request-restart-matching", escalated.pk, reason="再试")
    assert again.status_code == 400 and again.json()["code"] == "illegal_transition"


def test_handle_at_once_on_an_accepted_request_is_refused(companies, raise_request, agent):
    request = raise_request()
    requests_assign_waiting()
    post(staff_of(companies[0]), "api-company-offer-accept", Offer.objects.get(request=request).pk)
    response = post(agent, "api-centre-request-handle-at-once", request.pk, resolution="已解答")
    assert response.status_code == 400 and response.json()["code"] == "illegal_transition"
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_restart_matching_on_an_accepted_request_is_refused(companies, raise_request, agent):
    request = raise_request()
    requests_assign_waiting()
    post(staff_of(companies[0]), "api-company-offer-accept", Offer.objects.get(request=request).pk)
    response = post(agent, "api-centre-request-restart-matching", request.pk, reason="再试")
    assert response.status_code == 400 and response.json()["code"] == "illegal_transition"
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_dispatch_by_hand_while_another_offer_is_open_is_refused_not_a_crash(companies, raise_request, agent):
    request = raise_request()
    requests_assign_waiting()  # company 1 holds an open offer
    response = post(agent, "api-centre-request-dispatch", request.pk, company_id=companies[2].pk, reason="居民指定")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "dispatch_invalid", response.json()
    assert Offer.objects.filter(request=request).count() == 1
