"""The two-week calendar of scheduled visits and the history of past work and refused offers."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.services import offer_accept
from tests.company_jobs.helpers import decline

pytestmark = [pytest.mark.django_db]


def scheduled(offered, companies, staff, *, days_ahead: int, hour: int = 9):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(days=days_ahead)
    offer = offered(as_soon_as_possible=False, window_start=start, window_end=start + datetime.timedelta(hours=2))
    return offer_accept(offer_id=offer.pk, company=companies[0], actor=staff[0])


def test_calendar_lists_a_scheduled_job_on_its_day(client, staff, offered, companies):
    job = scheduled(offered, companies, staff, days_ahead=3)
    client.force_login(staff[0])
    page = client.get(reverse("company-calendar")).content.decode()
    day = page.split('id="day-2026-11-26"')[1].split("</section>")[0]
    assert f"#{job.pk} 日常保洁" in day and "09:00–11:00" in day
    assert 'id="day-2026-11-23"' in page and 'id="day-2026-12-06"' in page and 'id="day-2026-12-07"' not in page


def test_calendar_pages_by_start_date(client, staff, offered, companies):
    job = scheduled(offered, companies, staff, days_ahead=20)
    client.force_login(staff[0])
    assert f"#{job.pk} " not in client.get(reverse("company-calendar")).content.decode()
    page = client.get(reverse("company-calendar"), {"start": "2026-12-07"}).content.decode()
    assert f"#{job.pk} 日常保洁" in page.split('id="day-2026-12-13"')[1].split("</section>")[0]


def test_calendar_with_a_malformed_start_explains_and_shows_today(client, staff, companies):
    client.force_login(staff[0])
    response = client.get(reverse("company-calendar"), {"start": "next tuesday"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a date (YYYY-MM-DD)" in page and 'id="day-2026-11-23"' in page


def test_history_lists_a_declined_offer_with_its_reason(client, staff, offered):
    offer = offered()
    client.force_login(staff[0])
    decline(client, offer, "不在服务时间")
    page = client.get(reverse("company-history")).content.decode()
    assert "Offer declined" in page and "不在服务时间" in page and f"#{offer.request_id}" in page


def test_history_lists_an_offer_left_to_expire(client, staff, offered, frozen_now):
    offer = offered()
    frozen_now.shift(91)
    client.force_login(staff[0])
    page = client.get(reverse("company-history")).content.decode()
    assert "Offer expired unanswered" in page and f"#{offer.request_id}" in page


def test_history_lists_completed_jobs_and_pages_newest_first(client, staff, offered, companies, frozen_now):
    from marketplace.services import job_arrive, job_complete, job_set_off

    finished = []
    for _ in range(21):
        offer = offered()
        job = offer_accept(offer_id=offer.pk, company=companies[0], actor=staff[0])
        job_set_off(request=job, company=companies[0], actor=staff[0])
        job_arrive(request=job, company=companies[0], actor=staff[0])
        job_complete(request=job, company=companies[0], actor=staff[0], final_price="80.00")
        finished.append(job)
        frozen_now.shift(60)
    client.force_login(staff[0])
    first = client.get(reverse("company-history")).content.decode()
    assert f"#{finished[-1].pk}</a>" in first and f"#{finished[0].pk}</a>" not in first
    assert "Page 1 of 2" in first and "¥80.00" in first
    second = client.get(reverse("company-history"), {"page": 2}).content.decode()
    assert f"#{finished[0].pk}</a>" in second and f"#{finished[-1].pk}</a>" not in second
