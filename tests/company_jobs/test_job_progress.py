"""The jobs board: each job shows its next step; the company walks it from accepted to completed;
a final price above quantity × contracted price is refused with the numbers."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import RequestStatus as R
from matching.services import offer_accept
from tests.company_jobs.helpers import FULL_PHONE

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def job(offered, companies, staff):
    offer = offered()
    return offer_accept(offer_id=offer.pk, company=companies[0], actor=staff[0])


def complete(client, job, **fields):
    data = {f"job{job.pk}-{name}": value for name, value in fields.items()}
    return client.post(reverse("company-job-complete", args=[job.pk]), data, follow=True)


def test_job_moves_from_accepted_to_completed_with_each_next_action(client, staff, job):
    client.force_login(staff[0])
    board = client.get(reverse("company-jobs")).content.decode()
    assert reverse("company-job-set-off", args=[job.pk]) in board

    page = client.post(reverse("company-job-set-off", args=[job.pk]), follow=True).content.decode()
    assert f"Request #{job.pk}: on the way." in page
    assert reverse("company-job-arrive", args=[job.pk]) in page
    assert reverse("company-job-set-off", args=[job.pk]) not in page

    page = client.post(reverse("company-job-arrive", args=[job.pk]), follow=True).content.decode()
    assert f"Request #{job.pk}: arrived, service started." in page
    assert reverse("company-job-complete", args=[job.pk]) in page

    page = complete(client, job, final_price="160.00", quantity="2", note="两小时").content.decode()
    assert f"Request #{job.pk} completed at ¥160.00." in page
    job.refresh_from_db()
    assert job.status == R.COMPLETED and str(job.final_price) == "160.00" and job.resolution == "两小时"
    assert "Recently completed" in page and f"#{job.pk}</a>" in page


def test_over_price_completion_is_refused_with_the_numbers(client, staff, job):
    client.force_login(staff[0])
    client.post(reverse("company-job-set-off", args=[job.pk]))
    client.post(reverse("company-job-arrive", args=[job.pk]))
    response = complete(client, job, final_price="160.01", quantity="2")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Final price ¥160.01 is above the contracted price: 2 × ¥80.00 = ¥160.00 at most." in page
    job.refresh_from_db()
    assert job.status == R.IN_SERVICE and job.final_price is None
    # Corrected, the completion goes through from the same page.
    assert f'name="next" value="{reverse("company-job-detail", args=[job.pk])}"' in page
    data = {f"job{job.pk}-final_price": "160.00", f"job{job.pk}-quantity": "2",
            "next": reverse("company-job-detail", args=[job.pk])}
    response = client.post(reverse("company-job-complete", args=[job.pk]), data, follow=True)
    assert response.status_code == 200 and f"Request #{job.pk} completed at ¥160.00." in response.content.decode()


def test_malformed_price_and_quantity_are_refused_on_their_fields(client, staff, job):
    client.force_login(staff[0])
    client.post(reverse("company-job-set-off", args=[job.pk]))
    client.post(reverse("company-job-arrive", args=[job.pk]))
    assert "more than two decimal places" in complete(client, job, final_price="80.001", quantity="1").content.decode()
    assert "The quantity must be more than zero." in complete(client, job, final_price="80.00", quantity="0").content.decode()
    job.refresh_from_db()
    assert job.status == R.IN_SERVICE


def test_a_step_out_of_order_is_refused_with_a_message(client, staff, job):
    client.force_login(staff[0])
    page = client.post(reverse("company-job-arrive", args=[job.pk]), follow=True).content.decode()
    assert "cannot go from" in page
    job.refresh_from_db()
    assert job.status == R.ACCEPTED


def test_job_detail_shows_full_phone_owner_and_status_history(client, staff, offered, companies, agent):
    offer = offered(owner=agent)
    offer_accept(offer_id=offer.pk, company=companies[0], actor=staff[0])
    client.force_login(staff[0])
    page = client.get(reverse("company-job-detail", args=[offer.request_id])).content.decode()
    assert FULL_PHONE in page
    assert "Responsible agent" in page and str(agent) in page
    assert "Status history" in page and "accepted by" in page and "sent to the matcher" in page


def test_overdue_job_is_flagged(client, staff, job, frozen_now):
    due = timezone.localtime(job.completion_due_at).strftime("%Y-%m-%d %H:%M")
    client.force_login(staff[0])
    assert "Overdue" not in client.get(reverse("company-jobs")).content.decode()
    frozen_now.shift(datetime.timedelta(hours=49))
    board = client.get(reverse("company-jobs")).content.decode()
    assert f"Overdue: was due {due}" in board
