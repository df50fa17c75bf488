"""The quality loop on the web: a resident rates a job and complains, the company answers, an agent
records a call-back and reviews the complaint, the resident reopens; administrators reinstate and
decide renewals; the public league table."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.models import RequestStatus as R
from providers.models import CompanyStatus
from ratings.models import (
    CallBack,
    Complaint,
    ComplaintStatus,
    Rating,
    Removal,
    RenewalReview,
)
from ratings.services import (
    callbacks_enqueue,
    complaint_decide,
    complaint_file,
    complaint_review_start,
    renewals_enqueue,
)
from tests.ratings.conftest import SHANGHAI
from tests.ratings.helpers import messages_of, rate

pytestmark = [pytest.mark.django_db]
STARS = {"overall": 5, "punctuality": 4, "attitude": 5, "quality": 4}


def test_resident_rates_a_job_from_the_page(job, client, resident):
    done = job()
    client.force_login(resident)
    mine = client.get(reverse("ratings-mine"))
    assert f"#{done.pk}" in mine.content.decode()

    response = client.post(reverse("ratings-rate", args=[done.pk]), dict(STARS, comment="很好"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("ratings-mine")
    rating = Rating.objects.get(request=done)
    assert (rating.overall, rating.punctuality, rating.comment) == (5, 4, "很好")
    assert "Change (until 2026-11-30)" in response.content.decode()


def test_an_out_of_range_score_is_shown_on_the_form_and_nothing_is_saved(job, client, resident):
    done = job()
    client.force_login(resident)
    response = client.post(reverse("ratings-rate", args=[done.pk]), dict(STARS, overall=9))
    assert response.status_code == 200 and response.context["form"].errors["overall"]
    assert not Rating.objects.exists()


def test_a_rating_is_final_on_day_eight(job, client, resident, frozen_now):
    rating = rate(job(), 3)
    client.force_login(resident)
    frozen_now.move_to(datetime.datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI))
    response = client.post(reverse("ratings-rate", args=[rating.request_id]), STARS)
    assert response.status_code == 200
    assert "2026-11-30" in " ".join(response.context["form"].non_field_errors())
    rating.refresh_from_db()
    assert rating.overall == 3


def test_complaint_goes_from_the_resident_through_the_company_to_the_centre(job, client, resident, staff, agent):
    done = job()
    client.force_login(resident)
    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    response = client.post(reverse("ratings-complain", args=[done.pk]),
                           {"category": "quality", "description": "窗户没擦", "evidence_file": photo}, follow=True)
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == reverse("ratings-complaint-detail", args=[complaint.pk])

    client.force_login(staff[0])
    assert f"#{complaint.pk}" in client.get(reverse("ratings-company")).content.decode()
    client.post(reverse("ratings-complaint-respond", args=[complaint.pk]), {"response": "明天返工"})

    client.force_login(agent)
    detail = client.get(reverse("centre-complaint-detail", args=[complaint.pk])).content.decode()
    assert "明天返工" in detail and "窗户没擦" in detail
    client.post(reverse("centre-complaint-review", args=[complaint.pk]))
    client.post(reverse("centre-complaint-decide", args=[complaint.pk]), {"decision": "upheld", "reason": "属实"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.UPHELD

    client.force_login(resident)
    page = client.get(reverse("ratings-complaint-detail", args=[complaint.pk])).content.decode()
    assert "属实" in page and "2026-12-23" in page  # may reopen until
    client.post(reverse("ratings-complaint-reopen", args=[complaint.pk]), {"reason": "又脏了"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REOPENED


def test_a_decision_without_a_reason_is_shown_on_the_form(job, client, resident, agent):
    complaint = complaint_file(request=job(), filed_by=resident, category="late", description="迟到")
    complaint_review_start(complaint=complaint, agent=agent)
    client.force_login(agent)
    response = client.post(reverse("centre-complaint-decide", args=[complaint.pk]), {"decision": "upheld", "reason": ""})
    assert response.status_code == 400
    assert response.context["decision_form"].non_field_errors()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.UNDER_REVIEW


def test_overcharge_complaint_page_shows_the_three_prices(job, client, resident, agent):
    complaint = complaint_file(request=job(final_price="78.00"), filed_by=resident, category="overcharge", description="贵")
    client.force_login(agent)
    page = client.get(reverse("centre-complaint-detail", args=[complaint.pk])).content.decode()
    assert "¥78.00" in page and "¥80.00" in page and "¥85.00" in page


def test_agent_files_a_hotline_complaint_by_request_number(job, client, agent):
    done = job()
    client.force_login(agent)
    response = client.post(reverse("centre-complaint-new"), {"request_id": done.pk, "category": "attitude",
                                                             "description": "态度差"})
    complaint = Complaint.objects.get()
    assert response.url == reverse("centre-complaint-detail", args=[complaint.pk])
    assert complaint.channel == Complaint.Channel.HOTLINE
    missing = client.post(reverse("centre-complaint-new"), {"request_id": 99999, "category": "late", "description": "x"})
    assert missing.context["form"].errors["request_id"]


def test_agent_records_call_backs_from_the_queue(job, client, agent):
    done = job()
    callbacks_enqueue()
    callback = CallBack.objects.get()
    client.force_login(agent)
    queue = client.get(reverse("centre-callbacks")).content.decode()
    assert f"#{done.pk}" in queue
    refused = client.post(reverse("centre-callback-detail", args=[callback.pk]), {"reached": "yes", "outcome": ""})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    response = client.post(reverse("centre-callback-detail", args=[callback.pk]),
                           {"reached": "yes", "outcome": "satisfied", "notes": "很满意"}, follow=True)
    assert "closed" in " ".join(messages_of(response))
    done.refresh_from_db()
    assert done.status == R.CLOSED


def test_administrator_reinstates_a_removed_company_from_the_page(job, companies, client, resident, agent, administrator):
    for _ in range(3):
        complaint = complaint_file(request=job(), filed_by=resident, category="late", description="迟到")
        complaint_review_start(complaint=complaint, agent=agent)
        complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="属实")
    removal = Removal.objects.get()
    client.force_login(agent)
    assert client.post(reverse("centre-removal-reinstate", args=[removal.pk]), {"reason": "申诉"}).status_code == 403
    client.force_login(administrator)
    page = client.get(reverse("centre-removals")).content.decode()
    assert companies[0].legal_name in page and "Reinstate on appeal" in page
    client.post(reverse("centre-removal-reinstate", args=[removal.pk]), {"reason": "申诉成立"})
    companies[0].refresh_from_db()
    assert companies[0].status == CompanyStatus.CONTRACTED


def test_administrator_decides_a_renewal_from_the_list(companies, client, administrator, agent):
    renewals_enqueue(today=datetime.date(2026, 11, 23))
    review = RenewalReview.objects.get(company=companies[0])
    client.force_login(agent)
    assert "waiting for the administrator" in client.get(reverse("centre-renewals")).content.decode()
    assert client.post(reverse("centre-renewal-decide", args=[review.pk]), {"decision": "renew", "reason": "好"}).status_code == 403
    client.force_login(administrator)
    client.post(reverse("centre-renewal-decide", args=[review.pk]), {"decision": "renew", "reason": "服务良好"})
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == ("renew", administrator)


def test_the_league_table_is_public(job, companies, client, resident, agent):
    rate(job(), 5)
    rate(job(), 2)
    complaint = complaint_file(request=job(), filed_by=resident, category="late", description="迟到")
    complaint_review_start(complaint=complaint, agent=agent)
    complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="属实")

    response = client.get(reverse("company-league"))

    assert response.status_code == 200
    rows = {row["company"].pk: row for row in response.context["rows"]}
    first = rows[companies[0].pk]
    assert (first["jobs_done"], str(first["satisfaction"]), first["upheld_complaints"]) == (3, "0.5000", 1)
    assert rows[companies[1].pk]["satisfaction"] is None
    page = response.content.decode()
    assert "50.00%" in page and companies[2].legal_name in page and "家政服务" in page
