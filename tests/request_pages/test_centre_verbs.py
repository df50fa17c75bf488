"""An agent works one request from its centre page with the verbs its status allows: handle at once
(即办), transfer to a linked unit (转办) and record the unit's report, dispatch by hand to a named
company, restart matching. A refusal shows an error message and changes nothing."""
import pytest
from django.urls import reverse

from marketplace.models import RequestStatus, ServiceRequest
from marketplace.services import request_transition
from matching.models import Offer
from tests.request_pages.helpers import messages_of

pytestmark = [pytest.mark.django_db]


def centre_url(service_request):
    return reverse("centre-request-detail", args=[service_request.pk])


def verbs_on(response) -> list[str]:
    return [verb["name"] for verb in response.context["verbs"]]


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def question(raise_request, consultation):
    """A consultation raised on the web: it waits in "submitted" for an agent, owned by nobody yet."""
    return raise_request(product=consultation, description="高龄津贴怎么申请？")


def test_a_waiting_consultation_offers_the_centres_verbs(signed_in, question):
    response = signed_in.get(centre_url(question))

    assert response.status_code == 200
    assert verbs_on(response) == ["handle", "transfer", "dispatch", "restart"]
    page = response.content.decode()
    assert "no agent has taken it yet" in page and "+8613900000001" in page


def test_handle_at_once_closes_the_request_and_the_agent_owns_it(signed_in, agent, question):
    response = signed_in.post(centre_url(question), {"action": "handle", "handle-resolution": "带身份证到社区办理。"}, follow=True)

    question.refresh_from_db()
    assert question.status == RequestStatus.CLOSED and question.owner == agent
    assert question.resolution == "带身份证到社区办理。"
    assert f"Request #{question.pk} was answered and closed." in messages_of(response)
    assert verbs_on(response) == []
    assert "带身份证到社区办理。" in response.content.decode()


def test_handle_at_once_without_an_answer_is_refused_and_changes_nothing(signed_in, question):
    response = signed_in.post(centre_url(question), {"action": "handle", "handle-resolution": "  "})

    assert response.status_code == 200
    assert "Nothing was changed: Write the answer given to the resident." in messages_of(response)
    question.refresh_from_db()
    assert question.status == RequestStatus.SUBMITTED and question.owner is None
    assert response.context["service_request"].status == RequestStatus.SUBMITTED


def test_transfer_to_a_unit_shows_the_duty_contact_and_the_units_report_closes_it(signed_in, agent, question, linked_unit):
    page = signed_in.get(centre_url(question)).content.decode()
    assert "昭阳街道办事处 (duty: 李值班 0599-6300001)" in page  # the select names the duty contact

    response = signed_in.post(centre_url(question), {
        "action": "transfer", "transfer-unit": str(linked_unit.pk), "transfer-reason": "属街道职责",
    }, follow=True)

    question.refresh_from_db()
    assert question.status == RequestStatus.TRANSFERRED and question.linked_unit == linked_unit and question.owner == agent
    assert "duty contact 李值班, 0599-6300001" in messages_of(response)[0]
    assert verbs_on(response) == ["unit_report"]
    assert "李值班" in response.content.decode()

    response = signed_in.post(centre_url(question), {"action": "unit_report", "unit_report-result": "已上门讲解政策"}, follow=True)

    question.refresh_from_db()
    assert question.status == RequestStatus.CLOSED and question.resolution == "已上门讲解政策"
    assert "The unit's report was recorded" in messages_of(response)[0]


def test_transfer_without_a_reason_is_refused(signed_in, question, linked_unit):
    response = signed_in.post(centre_url(question), {"action": "transfer", "transfer-unit": str(linked_unit.pk), "transfer-reason": ""})

    assert "Nothing was changed: Say why it goes to this unit." in messages_of(response)
    question.refresh_from_db()
    assert question.status == RequestStatus.SUBMITTED and question.linked_unit is None


def test_dispatch_by_hand_offers_the_named_company_and_records_the_reason(signed_in, agent, companies, raise_request):
    service_request = raise_request()  # waiting in "matching"
    response = signed_in.post(centre_url(service_request), {
        "action": "dispatch", "dispatch-company": str(companies[2].pk), "dispatch-reason": "居民点名要这家",
    }, follow=True)

    offer = Offer.objects.get(request=service_request)
    assert offer.company == companies[2] and offer.by_hand and offer.hand_reason == "居民点名要这家"
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.OFFERED and service_request.owner == agent
    assert f"Request #{service_request.pk} was offered to {companies[2].legal_name}." in messages_of(response)
    page = response.content.decode()
    assert "dispatched by hand: 居民点名要这家" in page


def test_dispatch_by_hand_without_a_reason_is_refused_and_offers_nothing(signed_in, companies, raise_request):
    service_request = raise_request()
    response = signed_in.post(centre_url(service_request), {
        "action": "dispatch", "dispatch-company": str(companies[0].pk), "dispatch-reason": "",
    })

    assert "Nothing was changed: Say why this company is chosen." in messages_of(response)
    assert not Offer.objects.exists()
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHING and service_request.owner is None


def test_restart_matching_sends_an_escalated_request_back_to_the_matcher(signed_in, agent, raise_request):
    service_request = raise_request()
    request_transition(request=service_request, to_status=RequestStatus.ESCALATED, actor=None, reason="无人接单")

    response = signed_in.post(centre_url(service_request), {"action": "restart", "restart-reason": "扩大范围再试"}, follow=True)

    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHING and service_request.owner == agent
    assert "went back to the matcher" in messages_of(response)[0]
    assert "扩大范围再试" in response.content.decode()


def test_a_verb_the_status_does_not_allow_is_refused(signed_in, raise_request):
    service_request = raise_request()  # in "matching": the matcher has it
    response = signed_in.get(centre_url(service_request))
    assert verbs_on(response) == ["dispatch"]

    response = signed_in.post(centre_url(service_request), {"action": "handle", "handle-resolution": "已答复"})

    assert "Nothing was changed: this step is not possible" in messages_of(response)[0]
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHING
    assert signed_in.post(centre_url(service_request), {"action": "delete"}).status_code == 400


def test_an_unknown_request_answers_404(signed_in):
    assert signed_in.get(reverse("centre-request-detail", args=[424242])).status_code == 404
    assert not ServiceRequest.objects.exists()
