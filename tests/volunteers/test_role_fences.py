"""Who may open what: anonymous visitors sign in, people without the role get 403, another team's
jobs and hours (or another resident's request) answer 404 — a lead of team A cannot approve team B's
hours."""
import pytest

from tests.volunteers.conftest import log
from volunteers import services
from volunteers.errors import ApprovalRefused
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db

VOLUNTEER_PAGES = ["/volunteers/", "/volunteers/hours/", "/volunteers/certificates/", "/volunteers/visits/"]
CENTRE_PAGES = ["/centre/volunteers/", "/centre/volunteers/duty/", "/centre/volunteers/commendations/",
                "/centre/volunteers/requests/", "/centre/volunteers/hours/", "/centre/volunteers/visits/",
                "/centre/volunteers/activities/"]
API_VOLUNTEER = ["/api/volunteers/me/progress/", "/api/volunteers/me/jobs/", "/api/volunteers/me/hours/"]
API_CENTRE = ["/api/centre/volunteers/progress/", "/api/centre/volunteers/duty/", "/api/centre/volunteers/requests/"]


@pytest.mark.parametrize("url", VOLUNTEER_PAGES + CENTRE_PAGES + ["/teams/"])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("url", API_VOLUNTEER + API_CENTRE + ["/api/teams/"])
def test_anonymous_api_call_is_refused(client, db, url):
    assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("url", VOLUNTEER_PAGES + CENTRE_PAGES + ["/teams/"])
def test_outsider_is_refused(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", API_VOLUNTEER + API_CENTRE + ["/api/teams/"])
def test_outsider_is_refused_by_the_api(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", CENTRE_PAGES)
def test_volunteers_and_leads_do_not_see_the_centre_pages(client, lead, url):
    client.force_login(lead.user)
    assert client.get(url).status_code == 403


def test_lead_of_team_a_cannot_open_team_b(client, lead, other_team):
    client.force_login(lead.user)
    for url in (f"/teams/{other_team.pk}/", f"/teams/{other_team.pk}/hours/", f"/teams/{other_team.pk}/progress/",
                f"/api/teams/{other_team.pk}/jobs/", f"/api/teams/{other_team.pk}/hours/"):
        assert client.get(url).status_code == 404, url


def test_lead_of_team_a_cannot_approve_team_bs_hours(client, raise_public_request, other_team, agent, lead, lead_b):
    request = raise_public_request()
    assignment = services.team_dispatch(request=request, team=other_team, actor=agent, reason="城区队")
    member_b = other_team.memberships.get(is_lead=False).volunteer
    services.team_assignment_accept(assignment=assignment, lead=lead_b.user, members=[member_b])
    entry = log(assignment, member_b, "2.00")

    with pytest.raises(ApprovalRefused):
        services.hours_entry_approve(entry=entry, actor=lead.user)
    client.force_login(lead.user)
    assert client.post(f"/volunteers/hours/{entry.pk}/approve/").status_code == 404
    assert client.post(f"/api/volunteers/hours/{entry.pk}/approve/", {}, content_type="application/json").status_code == 404
    assert client.post(f"/api/volunteers/hours/{entry.pk}/decline/", {"reason": "x"},
                       content_type="application/json").status_code == 404
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PENDING


def test_lead_of_team_a_cannot_answer_team_bs_offer(client, raise_public_request, other_team, agent, lead):
    assignment = services.team_dispatch(request=raise_public_request(), team=other_team, actor=agent, reason="城区队")
    client.force_login(lead.user)
    assert client.post(f"/teams/{other_team.pk}/jobs/{assignment.pk}/accept/").status_code == 404
    assert client.post(f"/api/teams/{other_team.pk}/jobs/{assignment.pk}/accept/", {},
                       content_type="application/json").status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "offered"


def test_a_job_of_another_team_is_not_found_under_my_team(client, raise_public_request, team, other_team, agent, lead):
    assignment = services.team_dispatch(request=raise_public_request(), team=other_team, actor=agent, reason="城区队")
    client.force_login(lead.user)
    assert client.post(f"/teams/{team.pk}/jobs/{assignment.pk}/accept/").status_code == 404


def test_a_volunteer_cannot_see_someone_elses_job_or_hours(client, accepted_job, member, second_member):
    assignment = accepted_job()
    entry = log(assignment, member, "1.00")
    client.force_login(second_member.user)
    assert client.post(f"/volunteers/jobs/{assignment.pk}/check-in/", {"latitude": "27.3", "longitude": "117.4"}).status_code == 404
    assert client.post(f"/volunteers/hours/{entry.pk}/correct/", {"corrected_hours": "2", "reason": "x"}).status_code == 404


def test_another_resident_learns_nothing_of_the_hours_on_a_request(client, accepted_job, outsider, member):
    assignment = accepted_job()
    entry = log(assignment, member, "1.00")
    client.force_login(outsider)
    assert client.get(f"/volunteers/served/{assignment.request_id}/").status_code == 404
    assert client.get(f"/api/volunteers/served/{assignment.request_id}/hours/").status_code == 404
    assert client.post(f"/volunteers/hours/{entry.pk}/approve/").status_code == 404
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PENDING


def test_a_user_with_the_role_but_no_volunteer_record_is_told_so(client, db):
    from marketplace.roles import Role
    from tests.conftest import make_user

    client.force_login(make_user("new@example.com", Role.VOLUNTEER))
    assert "not registered as a volunteer" in client.get("/volunteers/").content.decode()
    assert client.get("/api/volunteers/me/progress/").status_code == 403


def test_each_persona_opens_their_own_pages(client, accepted_job, member, lead, agent, team, resident):
    assignment = accepted_job()
    log(assignment, member, "1.00")
    client.force_login(member.user)
    for url in VOLUNTEER_PAGES:
        assert client.get(url).status_code == 200, url
    client.force_login(lead.user)
    assert client.get("/teams/").status_code == 302  # one team: straight to it
    for url in (f"/teams/{team.pk}/", f"/teams/{team.pk}/hours/", f"/teams/{team.pk}/progress/"):
        assert client.get(url).status_code == 200, url
    client.force_login(agent)
    for url in CENTRE_PAGES:
        assert client.get(url).status_code == 200, url
    client.force_login(resident)
    assert client.get(f"/volunteers/served/{assignment.request_id}/").status_code == 200
