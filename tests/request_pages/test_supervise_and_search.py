"""督办: the supervise queue lists escalated requests and open requests past a deadline, oldest first,
with their owner and how late they are. The centre's list filters by status and finds a request by
phone or number."""
import datetime

import pytest
from django.urls import reverse

from marketplace.models import RequestStatus
from marketplace.services import request_cancel
from matching.services import requests_assign_waiting

pytestmark = [pytest.mark.django_db]
SUPERVISE = reverse("centre-supervise")
CENTRE_LIST = reverse("centre-request-list")


def listed(response) -> list[int]:
    return [row["request"].pk for row in response.context["rows"]]


def test_the_queue_lists_an_escalated_and_an_overdue_request_oldest_first(client, agent, raise_request, resident, frozen_now):
    escalated = raise_request(description="没人接的单")
    requests_assign_waiting()  # no company nearby: escalated at once
    escalated.refresh_from_db()
    assert escalated.status == RequestStatus.ESCALATED
    frozen_now.shift(datetime.timedelta(minutes=1))
    late = raise_request(description="还在匹配的单", owner=agent)
    cancelled = raise_request(description="取消的单")
    request_cancel(request=cancelled, actor=resident, reason="不需要了")
    client.force_login(agent)

    assert listed(client.get(SUPERVISE)) == [escalated.pk]

    frozen_now.shift(datetime.timedelta(minutes=45))  # past the 30-minute response deadline of both
    fresh = raise_request(description="刚提的单")
    response = client.get(SUPERVISE)

    assert listed(response) == [escalated.pk, late.pk]
    assert fresh.pk not in listed(response) and cancelled.pk not in listed(response)
    rows = {row["request"].pk: row for row in response.context["rows"]}
    assert rows[late.pk]["overdue_kind"] == "response"
    assert rows[late.pk]["overdue_by"] == "15\xa0minutes"
    page = response.content.decode()
    assert "agent@example.com" in page and "overdue: nobody has taken it" in page
    assert reverse("centre-request-detail", args=[late.pk]) in page


def test_the_centre_list_filters_by_status_and_finds_by_phone_or_number(client, agent, raise_request, outsider, consultation):
    mine = raise_request()
    other = raise_request(resident=outsider, created_by=outsider, contact_phone="13900000009", product=consultation)
    client.force_login(agent)

    def found(**query):
        return [row[0].pk for row in client.get(CENTRE_LIST, query).context["rows"]]

    assert found() == [other.pk, mine.pk]
    assert found(status=RequestStatus.SUBMITTED) == [other.pk]
    assert found(q="13900000009") == [other.pk]
    assert found(q="0009") == [other.pk]
    assert found(q=f"#{mine.pk}") == [mine.pk]
    assert found(q="王阿姨") == []
    assert client.get(CENTRE_LIST, {"status": "nonsense"}).status_code == 200
