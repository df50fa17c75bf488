"""The offers inbox: what a company sees of an offered request before accepting, and the list the
page's poller fetches."""
import pytest
from django.urls import reverse

from tests.company_jobs.helpers import FULL_PHONE, MASKED_PHONE

pytestmark = [pytest.mark.django_db]


def test_inbox_shows_the_offer_with_masked_phone_and_seconds_left(client, staff, offered, frozen_now):
    offer = offered(answers={})
    frozen_now.shift(10)
    client.force_login(staff[0])
    response = client.get(reverse("company-offers"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"#{offer.request_id} 日常保洁" in page
    assert "厨房和客厅保洁" in page and "昭阳街道东关社区1号" in page and "家政服务" in page
    assert MASKED_PHONE in page and FULL_PHONE not in page
    assert 'data-seconds-left="80"' in page
    assert "As soon as possible" in page
    assert "km from your base" in page
    assert reverse("company-offer-accept", args=[offer.pk]) in page
    assert reverse("company-offer-decline", args=[offer.pk]) in page


def test_inbox_shows_a_scheduled_window_and_the_responsible_agent(client, staff, offered, agent, frozen_now):
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=1)
    offer = offered(as_soon_as_possible=False, window_start=start, window_end=start + datetime.timedelta(hours=2), owner=agent)
    client.force_login(staff[0])
    page = client.get(reverse("company-offers")).content.decode()
    shown = timezone.localtime(start)
    assert f"{shown:%Y-%m-%d %H:%M}–{shown + datetime.timedelta(hours=2):%H:%M}" in page
    assert "Responsible agent" in page and str(agent) in page
    assert 'data-seconds-left="1800"' in page
    assert f"#{offer.request_id}" in page


def test_poller_request_gets_only_the_list(client, staff, offered):
    offer = offered()
    client.force_login(staff[0])
    response = client.get(reverse("company-offers"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"#{offer.request_id}" in page
    assert "<html" not in page and "<script" not in page and 'id="offers-list"' not in page
    assert "HX-Request" in response["Vary"]


def test_full_page_carries_the_countdown_and_poller_without_any_external_script(client, staff, offered):
    offered()
    client.force_login(staff[0])
    page = client.get(reverse("company-offers")).content.decode()
    assert 'id="offers-list"' in page and "HX-Request" in page and "setInterval" in page
    assert "<script src" not in page


def test_other_companies_do_not_see_the_offer(client, staff, offered):
    offer = offered()
    client.force_login(staff[1])
    page = client.get(reverse("company-offers")).content.decode()
    assert f"#{offer.request_id} " not in page
    assert "No offers are waiting for your company right now." in page


def test_an_offer_past_its_deadline_leaves_the_inbox(client, staff, offered, frozen_now):
    offered()
    frozen_now.shift(91)
    client.force_login(staff[0])
    page = client.get(reverse("company-offers")).content.decode()
    assert "No offers are waiting for your company right now." in page
