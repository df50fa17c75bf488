"""A resident follows their own requests: the list shows only theirs, the detail page shows the status
history, the responsible agent, the company once accepted and the deadlines, and cancels with a reason.
Another resident's request answers 404."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import RequestStatus
from marketplace.services import job_arrive, job_complete, job_set_off
from matching.models import Offer
from matching.services import offer_accept, requests_assign_waiting
from tests.request_pages.helpers import messages_of

pytestmark = [pytest.mark.django_db]


def detail_url(service_request):
    return reverse("request-detail", args=[service_request.pk])


def test_my_list_shows_only_my_requests(client, resident, outsider, raise_request):
    mine = raise_request(description="我的保洁")
    theirs = raise_request(resident=outsider, created_by=outsider, description="别人的保洁")
    client.force_login(resident)

    response = client.get(reverse("request-list"))

    assert response.status_code == 200
    assert [row[0].pk for row in response.context["rows"]] == [mine.pk]
    page = response.content.decode()
    assert f"#{mine.pk}" in page and f"#{theirs.pk}<" not in page and "日常保洁" in page


def test_my_list_flags_an_overdue_request(client, resident, raise_request, frozen_now):
    raise_request()
    client.force_login(resident)
    assert "overdue" not in client.get(reverse("request-list")).content.decode()

    frozen_now.shift(datetime.timedelta(minutes=31))

    response = client.get(reverse("request-list"))
    assert response.context["rows"][0][1] == "response"
    assert "overdue: nobody has taken it" in response.content.decode()


def test_another_residents_request_answers_404(client, outsider, raise_request):
    service_request = raise_request()
    client.force_login(outsider)

    assert client.get(detail_url(service_request)).status_code == 404
    response = client.post(detail_url(service_request), {"action": "cancel", "cancel-reason": "不要了"})
    assert response.status_code == 404
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHING


def test_the_detail_page_shows_history_deadlines_and_the_company_once_accepted(client, resident, raise_request, companies,
                                                                                 company_user, agent):
    service_request = raise_request()
    service_request.owner = agent
    service_request.save()
    client.force_login(resident)
    requests_assign_waiting()

    before = client.get(detail_url(service_request))
    assert before.context["company"] is None
    assert "No company has accepted it yet." in before.content.decode()

    offer = Offer.objects.get(request=service_request, status=Offer.Status.PENDING)
    offer_accept(offer_id=offer.pk, company=companies[0], actor=company_user)
    service_request.refresh_from_db()
    job_set_off(request=service_request, company=companies[0], actor=company_user)
    job_arrive(request=service_request, company=companies[0], actor=company_user)
    job_complete(request=service_request, company=companies[0], actor=company_user, final_price="80.00")

    page = client.get(detail_url(service_request)).content.decode()
    assert companies[0].legal_name in page and "no ratings yet" in page
    assert "agent@example.com" in page  # the responsible agent
    assert "¥80.00" in page
    respond_by = timezone.localtime(service_request.response_due_at)
    assert respond_by - timezone.localtime(service_request.created_at) == datetime.timedelta(minutes=30)
    assert respond_by.strftime("%Y-%m-%d %H:%M") in page
    for label in ("submitted", "matching", "offered", "accepted", "on the way", "in service", "completed"):
        assert f">{label}</span>" in page
    assert 'name="action" value="cancel"' not in page  # service has ended: no cancel button


def test_i_cancel_my_request_with_a_reason(client, resident, raise_request):
    service_request = raise_request()
    client.force_login(resident)
    assert 'name="action" value="cancel"' in client.get(detail_url(service_request)).content.decode()

    response = client.post(detail_url(service_request), {"action": "cancel", "cancel-reason": "家里有人帮忙了"}, follow=True)

    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.CANCELLED
    assert f"Request #{service_request.pk} was cancelled." in messages_of(response)
    page = response.content.decode()
    assert "家里有人帮忙了" in page and 'name="action" value="cancel"' not in page


def test_cancelling_without_a_reason_is_refused_and_changes_nothing(client, resident, raise_request):
    service_request = raise_request()
    client.force_login(resident)

    response = client.post(detail_url(service_request), {"action": "cancel", "cancel-reason": " "})

    assert response.status_code == 200
    assert "Nothing was changed: Say why you cancel." in messages_of(response)
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHING
    assert service_request.status_changes.count() == 2


def test_a_request_in_service_can_no_longer_be_cancelled(client, resident, raise_request, companies, company_user):
    service_request = raise_request()
    requests_assign_waiting()
    offer_accept(offer_id=Offer.objects.get(request=service_request).pk, company=companies[0], actor=company_user)
    service_request.refresh_from_db()
    job_set_off(request=service_request, company=companies[0], actor=company_user)
    job_arrive(request=service_request, company=companies[0], actor=company_user)
    client.force_login(resident)

    response = client.post(detail_url(service_request), {"action": "cancel", "cancel-reason": "太慢了"})

    assert "can no longer be cancelled" in messages_of(response)[0]
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.IN_SERVICE
