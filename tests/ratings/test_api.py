"""The quality loop through the REST API: rating, complaint workflow, call-backs, the monthly report,
the league table and the rating summary; refusals answer 400 with a stable code and change nothing."""
import datetime

import pytest

from ratings.models import CallBack, Complaint, Rating
from ratings.services import callbacks_enqueue
from tests.ratings.conftest import SHANGHAI, scores
from tests.ratings.helpers import rate

pytestmark = [pytest.mark.django_db]


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_resident_rates_and_changes_the_rating_within_the_week(client, job, resident, frozen_now):
    done = job()
    client.force_login(resident)
    created = post(client, f"/api/requests/{done.pk}/rating/", dict(scores(4), comment="不错"))
    assert created.status_code == 201
    assert created.json()["overall"] == 4 and created.json()["editable_until"] == "2026-11-30"
    again = post(client, f"/api/requests/{done.pk}/rating/", scores(5))
    assert again.status_code == 400 and again.json()["code"] == "already_rated"
    changed = client.put(f"/api/requests/{done.pk}/rating/", scores(5), content_type="application/json")
    assert changed.status_code == 200 and changed.json()["overall"] == 5
    frozen_now.move_to(datetime.datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI))
    late = client.put(f"/api/requests/{done.pk}/rating/", scores(1), content_type="application/json")
    assert late.status_code == 400 and late.json()["code"] == "rating_locked"
    assert Rating.objects.get().overall == 5


def test_a_bad_score_answers_400_naming_the_field(client, job, resident):
    done = job()
    client.force_login(resident)
    response = post(client, f"/api/requests/{done.pk}/rating/", scores(5, quality=7))
    assert response.status_code == 400 and response.json()["code"] == "score_invalid"
    assert response.json()["params"]["field"] == "quality"
    assert not Rating.objects.exists()


def test_complaint_workflow_through_the_api(client, job, resident, staff, agent, companies):
    done = job(final_price="79.00")
    client.force_login(resident)
    filed = post(client, f"/api/requests/{done.pk}/complaints/", {"category": "overcharge", "description": "多收钱"})
    assert filed.status_code == 201
    body = filed.json()
    assert body["status"] == "received" and body["prices"] == {
        "final_price": "79.00", "contract_price": "80.00", "guide_price": "85.00", "market_price": "100.00"}
    pk = body["id"]

    client.force_login(staff[0])
    assert post(client, f"/api/complaints/{pk}/respond/", {"response": "按合同价收费"}).json()["company_response"] == "按合同价收费"

    client.force_login(agent)
    early = post(client, f"/api/centre/complaints/{pk}/decide/", {"decision": "upheld", "reason": "x"})
    assert early.status_code == 400 and early.json()["code"] == "illegal_transition"
    assert post(client, f"/api/centre/complaints/{pk}/review/").json()["status"] == "under_review"
    decided = post(client, f"/api/centre/complaints/{pk}/decide/", {"decision": "rejected", "reason": "未超合同价"})
    assert decided.status_code == 200
    assert [h["to_status"] for h in decided.json()["history"]] == ["received", "under_review", "rejected"]
    assert decided.json()["history"][-1]["actor"] == str(agent)

    client.force_login(resident)
    reopened = post(client, f"/api/complaints/{pk}/reopen/", {"reason": "另收了上门费"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"


def test_agent_enters_a_hotline_complaint(client, job, agent):
    done = job()
    client.force_login(agent)
    response = post(client, "/api/centre/complaints/", {"request_id": done.pk, "category": "attitude", "description": "态度差"})
    assert response.status_code == 201 and response.json()["channel"] == "hotline"
    missing = post(client, "/api/centre/complaints/", {"request_id": 99999, "category": "late", "description": "x"})
    assert missing.status_code == 404
    assert Complaint.objects.count() == 1


def test_call_back_attempts_through_the_api(client, job, agent):
    done = job()
    callbacks_enqueue()
    callback = CallBack.objects.get(request=done)
    client.force_login(agent)
    queue = client.get("/api/centre/callbacks/").json()
    assert [row["request_id"] for row in queue["results"]] == [done.pk]
    for n in range(3):
        response = post(client, f"/api/centre/callbacks/{callback.pk}/attempts/", {"reached": False, "notes": f"第{n + 1}次"})
    assert response.json()["status"] == "unreached" and len(response.json()["attempts"]) == 3
    refused = post(client, f"/api/centre/callbacks/{callback.pk}/attempts/", {"reached": True, "outcome": "satisfied"})
    assert refused.status_code == 400 and refused.json()["code"] == "closed"


def test_monthly_report_generated_and_read_through_the_api(client, job, agent, finance_officer, frozen_now):
    rate(job(), 5)
    frozen_now.move_to(datetime.datetime(2026, 12, 1, 2, 0, tzinfo=SHANGHAI))
    client.force_login(agent)
    generated = post(client, "/api/centre/reports/", {"month": "2026-11"})
    assert generated.status_code == 200 and generated.json()["month"] == "2026-11"
    assert post(client, "/api/centre/reports/", {"month": "2027-01"}).json()["code"] == "future_month"
    assert post(client, "/api/centre/reports/", {"month": "2026-13"}).status_code == 400
    client.force_login(finance_officer)
    report = client.get("/api/centre/reports/2026/11/").json()
    first = next(row for row in report["companies"] if row["completed"])
    assert (first["completed"], first["satisfaction"]) == (1, "1.0000")


def test_league_table_and_rating_summary_are_public(client, job, companies):
    rate(job(), 4)
    league = client.get("/api/companies/league/").json()
    assert league[0]["company"]["id"] == companies[0].pk and league[0]["satisfaction"] == "1.0000"
    summary = client.get(f"/api/companies/{companies[0].pk}/rating-summary/").json()
    assert summary == {"count": 1, "overall": "4.0", "punctuality": "4.0", "attitude": "4.0", "quality": "4.0"}
    assert client.get("/api/companies/99999/rating-summary/").status_code == 404


def test_schema_documents_every_ratings_operation(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    ids = [op["operationId"] for methods in schema["paths"].values() for op in methods.values()]
    assert {"request_rating_give", "request_rating_edit", "request_complaint_file", "centre_complaint_decide",
            "centre_callback_attempt_record", "centre_removal_reinstate", "centre_renewal_decide",
            "centre_monthly_report_generate", "company_league_list", "company_rating_summary"} <= set(ids)
    assert len(ids) == len(set(ids))
