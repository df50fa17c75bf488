"""Who may do what: residents rate and complain only about their own jobs, companies see only their
own ratings and complaints, agents work call-backs and complaints, administrators decide removals and
renewals. Anonymous visitors go to sign in (web) or get 403 (API); out of reach answers 404."""
import datetime

import pytest
from django.urls import reverse

from marketplace.roles import Role
from ratings.models import CallBack, Removal, RenewalReview
from ratings.services import (
    callbacks_enqueue,
    complaint_decide,
    complaint_file,
    complaint_review_start,
    monthly_report_generate,
    renewals_enqueue,
)
from tests.conftest import make_user
from tests.ratings.helpers import is_login_redirect, rate

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world(job, resident, agent):
    done = job()
    rating = rate(done, 4)
    complaint = complaint_file(request=done, filed_by=resident, category="late", description="迟到")
    callbacks_enqueue()
    return {"job": done, "rating": rating, "complaint": complaint, "callback": CallBack.objects.get(request=done)}


CENTRE_PAGES = ["centre-callbacks", "centre-complaints", "centre-complaint-new", "centre-removals", "centre-renewals"]


@pytest.mark.parametrize("name", ["ratings-mine", "ratings-company", *CENTRE_PAGES, "centre-reports"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    assert is_login_redirect(client.get(reverse(name)))


def test_anonymous_visitors_are_sent_to_sign_in_from_job_pages(client, world):
    pk = world["job"].pk
    assert is_login_redirect(client.get(reverse("ratings-rate", args=[pk])))
    assert is_login_redirect(client.get(reverse("ratings-complaint-detail", args=[world["complaint"].pk])))


@pytest.mark.parametrize("name", CENTRE_PAGES + ["centre-reports"])
def test_residents_and_company_staff_cannot_open_centre_pages(client, world, resident, staff, name):
    for person in (resident, staff[0]):
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 403


def test_another_resident_learns_nothing_about_my_job(client, world, other_resident):
    client.force_login(other_resident)
    assert client.get(reverse("ratings-rate", args=[world["job"].pk])).status_code == 404
    assert client.get(reverse("ratings-complain", args=[world["job"].pk])).status_code == 404
    assert client.get(reverse("ratings-complaint-detail", args=[world["complaint"].pk])).status_code == 404
    assert client.post(reverse("ratings-complaint-reopen", args=[world["complaint"].pk]), {"reason": "x"}).status_code == 404
    assert f"#{world['job'].pk}" not in client.get(reverse("ratings-mine")).content.decode()


def test_another_company_learns_nothing_about_our_complaints(client, world, staff):
    client.force_login(staff[1])
    assert client.get(reverse("ratings-complaint-detail", args=[world["complaint"].pk])).status_code == 404
    assert client.post(reverse("ratings-complaint-respond", args=[world["complaint"].pk]), {"response": "x"}).status_code == 404
    page = client.get(reverse("ratings-company")).content.decode()
    assert f"#{world['complaint'].pk}" not in page and "No ratings yet." in page


def test_company_staff_cannot_rate_or_complain(client, world, staff):
    client.force_login(staff[0])
    assert client.get(reverse("ratings-rate", args=[world["job"].pk])).status_code == 403
    assert client.post(reverse("ratings-complain", args=[world["job"].pk]), {}).status_code == 403


def test_agents_cannot_reinstate_or_decide_renewals_but_administrators_can_see_them(
        client, world, job, resident, agent, administrator, finance_officer):
    for _ in range(2):
        extra = complaint_file(request=job(), filed_by=resident, category="late", description="迟到")
        complaint_review_start(complaint=extra, agent=agent)
        complaint_decide(complaint=extra, agent=agent, upheld=True, reason="属实")
    complaint_review_start(complaint=world["complaint"], agent=agent)
    complaint_decide(complaint=world["complaint"], agent=agent, upheld=True, reason="属实")
    renewals_enqueue(today=datetime.date(2026, 11, 23))
    removal, review = Removal.objects.get(), RenewalReview.objects.first()
    for person in (agent, finance_officer):
        client.force_login(person)
        assert client.post(reverse("centre-removal-reinstate", args=[removal.pk]), {"reason": "x"}).status_code == 403
        assert client.post(reverse("centre-renewal-decide", args=[review.pk]), {"decision": "renew", "reason": "x"}).status_code == 403
    assert Removal.objects.get().reinstated_at is None and not RenewalReview.objects.get(pk=review.pk).decision


def test_finance_officers_read_reports_but_do_not_generate_them(client, world, finance_officer, frozen_now):
    monthly_report_generate(month=datetime.date(2026, 11, 1))
    client.force_login(finance_officer)
    assert client.get(reverse("centre-report-month", args=[2026, 11])).status_code == 200
    assert client.get(reverse("centre-report-excel", args=[2026, 11])).status_code == 200
    assert client.post(reverse("centre-report-generate"), {"month": "2026-11"}).status_code == 403
    assert client.get(reverse("centre-report-month", args=[2026, 10])).status_code == 404


def test_a_company_staff_user_without_a_company_sees_an_explanation(client, world):
    loose = make_user("loose@company.example.com", Role.COMPANY_STAFF)
    client.force_login(loose)
    response = client.get(reverse("ratings-company"))
    assert response.status_code == 200 and "matching/no_company.html" in [t.name for t in response.templates]


# --- API ---------------------------------------------------------------------------------------------


def test_api_refuses_anonymous_callers(client, world):
    assert client.post(f"/api/requests/{world['job'].pk}/rating/", {}, content_type="application/json").status_code in (401, 403)
    assert client.get("/api/complaints/").status_code in (401, 403)
    assert client.get("/api/centre/callbacks/").status_code in (401, 403)
    assert client.get("/api/companies/league/").status_code == 200


def test_api_hides_other_peoples_jobs_and_complaints(client, world, other_resident, staff):
    client.force_login(other_resident)
    assert client.get(f"/api/requests/{world['job'].pk}/rating/").status_code == 404
    assert client.post(f"/api/requests/{world['job'].pk}/complaints/", {"category": "late", "description": "x"},
                       content_type="application/json").status_code == 404
    assert client.get(f"/api/complaints/{world['complaint'].pk}/").status_code == 404
    assert client.get("/api/complaints/").json()["count"] == 0
    client.force_login(staff[1])
    assert client.get(f"/api/complaints/{world['complaint'].pk}/").status_code == 404
    assert client.post(f"/api/complaints/{world['complaint'].pk}/respond/", {"response": "x"},
                       content_type="application/json").status_code == 404
    assert client.get("/api/company/ratings/").json()["count"] == 0


def test_api_centre_operations_need_the_centre_role(client, world, resident, staff, agent):
    for person in (resident, staff[0]):
        client.force_login(person)
        assert client.get("/api/centre/callbacks/").status_code == 403
        assert client.post(f"/api/centre/complaints/{world['complaint'].pk}/review/").status_code == 403
        assert client.post(f"/api/centre/callbacks/{world['callback'].pk}/attempts/", {"reached": False},
                           content_type="application/json").status_code == 403
    client.force_login(agent)
    assert client.post("/api/centre/removals/1/reinstate/", {"reason": "x"}, content_type="application/json").status_code == 403
