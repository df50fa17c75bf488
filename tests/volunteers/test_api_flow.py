"""The same work through the REST API: dispatch, accept with members, check in and out, approve,
issue a certificate; and every operation is documented."""
import datetime

import pytest

from marketplace.models import RequestStatus as R
from volunteers.models import TeamAssignment

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_a_job_from_dispatch_to_certificate(client, raise_public_request, team, agent, lead, member, frozen_now):
    request = raise_public_request()
    client.force_login(agent)
    teams = client.get(f"/api/centre/volunteers/requests/{request.pk}/teams/").json()
    assert teams[0]["team"]["name"] == "小红帽志愿服务队"
    response = post(client, f"/api/centre/volunteers/requests/{request.pk}/dispatch/", {"team_id": team.pk, "reason": "就近"})
    assert response.status_code == 201
    job_id = response.json()["id"]
    assert response.json()["request"]["contact_phone"] == "139****0001"

    client.force_login(lead.user)
    offers = client.get(f"/api/teams/{team.pk}/jobs/", {"status": "offered"}).json()["results"]
    assert [o["id"] for o in offers] == [job_id]
    accepted = post(client, f"/api/teams/{team.pk}/jobs/{job_id}/accept/", {"member_ids": [member.pk]}).json()
    assert accepted["status"] == "accepted" and accepted["members"] == [{"id": member.pk, "name": "李志明"}]
    assert accepted["request"]["contact_phone"].endswith("13900000001")

    client.force_login(member.user)
    checked_in = post(client, f"/api/volunteers/me/jobs/{job_id}/check-in/", {"latitude": "27.3311", "longitude": "117.491"})
    assert checked_in.status_code == 201
    frozen_now.shift(datetime.timedelta(hours=2, minutes=15))
    checked_out = post(client, f"/api/volunteers/me/jobs/{job_id}/check-out/", {"latitude": "27.3311", "longitude": "117.491"})
    entry = checked_out.json()["entry"]
    assert (entry["hours"], entry["status"]) == ("2.25", "pending")

    refused = post(client, f"/api/volunteers/hours/{entry['id']}/approve/")
    assert refused.status_code == 400 and refused.json()["code"] == "own_hours"

    client.force_login(lead.user)
    approved = post(client, f"/api/volunteers/hours/{entry['id']}/approve/", {"reason": "核实"}).json()
    assert approved["status"] == "approved" and approved["decided_by"] == "王队长"
    done = post(client, f"/api/teams/{team.pk}/jobs/{job_id}/complete/", {"resolution": "清理完毕"}).json()
    assert done["status"] == "completed" and done["request"]["status"] == R.COMPLETED

    client.force_login(member.user)
    certificate = post(client, "/api/volunteers/me/certificates/",
                       {"team_id": team.pk, "period_start": "2026-01-01", "period_end": "2026-11-23"})
    assert certificate.status_code == 201
    body = certificate.json()
    assert body["total_hours"] == "2.25" and body["activities"][0]["activity"] == "清理杂物"
    pdf = client.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert TeamAssignment.objects.get(pk=job_id).status == "completed"


def test_bad_input_is_a_400_with_a_code_and_nothing_changes(client, accepted_job, member):
    job = accepted_job()
    client.force_login(member.user)
    response = post(client, "/api/volunteers/me/hours/", {"job_id": job.pk, "hours": "1.005", "service_date": "2026-11-23"})
    assert response.status_code == 400 and response.json()["code"] == "hours_too_precise"
    response = post(client, "/api/volunteers/me/hours/", {"job_id": job.pk, "hours": "1", "service_date": "not a date"})
    assert response.status_code == 400 and "service_date" in response.json()["detail"]
    assert not member.hours_entries.exists()


def test_schema_documents_every_volunteer_operation(client, db):
    from django.urls import get_resolver

    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = {op["operationId"]: op for methods in schema["paths"].values() for op in methods.values()}
    expected = {
        "volunteer_progress_retrieve", "volunteer_jobs_list", "volunteer_job_set_off", "volunteer_job_check_in",
        "volunteer_job_check_out", "volunteer_hours_list", "volunteer_hours_log", "volunteer_certificates_list",
        "volunteer_certificate_issue", "certificate_pdf_download", "certificate_verify", "deputy_visits_list",
        "deputy_visit_record", "deputy_visit_report_file", "teams_led_list", "team_jobs_list", "team_job_accept",
        "team_job_decline", "team_job_members_assign", "team_job_complete", "team_hours_list", "team_hours_record",
        "team_progress_list", "hours_entry_approve", "hours_entry_decline", "hours_entry_correct",
        "served_request_hours_list", "centre_volunteer_progress_list", "centre_duty_report", "centre_commendations",
        "centre_public_interest_requests_list", "centre_request_teams_suggest", "centre_request_team_dispatch",
        "centre_hours_list", "centre_district_visits_flagged", "centre_activity_create", "centre_activity_hours_record",
    }
    assert expected <= set(operations)
    assert all(operations[op_id].get("tags") for op_id in expected)
    names = [name for name in get_resolver().reverse_dict if isinstance(name, str)]
    assert all(name.startswith("api-") for name in names if "volunteer" in name and name.startswith("api"))
