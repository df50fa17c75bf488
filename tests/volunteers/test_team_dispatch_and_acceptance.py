"""Public-interest requests wait for a team: an agent dispatches one (or the router offers it to the
nearest team with the skill), a lead accepts and assigns members, members check in and out on site,
the lead approves the hours and completes the job."""
import datetime
from decimal import Decimal

import pytest

from marketplace.errors import NotYours
from marketplace.models import RequestStatus as R
from marketplace.models import ServiceRequest
from tests.volunteers.conftest import messages_of
from volunteers import selectors, services
from volunteers.errors import AssignmentClosed, DispatchRefused
from volunteers.models import HoursEntry, TeamAssignment

pytestmark = pytest.mark.django_db


def history(request) -> list[tuple[str, str]]:
    return list(request.status_changes.values_list("from_status", "to_status"))


def test_a_public_interest_request_waits_for_a_team(raise_public_request, item):
    request = raise_public_request()
    assert request.status == R.SUBMITTED
    assert selectors.is_public_interest(request=request)
    flagged = raise_public_request(product=item, public_interest=True)
    assert flagged.status == R.SUBMITTED


def test_agent_dispatches_and_the_lead_accepts(raise_public_request, team, agent, lead, member):
    request = raise_public_request()
    assignment = services.team_dispatch(request=request, team=team, actor=agent, reason="就近")
    request.refresh_from_db()
    assert (request.status, request.volunteer_team_id, request.owner) == (R.OFFERED, team.pk, agent)
    assert assignment.status == TeamAssignment.Status.OFFERED and assignment.offered_by == agent

    services.team_assignment_accept(assignment=assignment, lead=lead.user, members=[member])
    request.refresh_from_db()
    assignment.refresh_from_db()
    assert request.status == R.ACCEPTED and request.accepted_at is not None
    assert assignment.status == TeamAssignment.Status.ACCEPTED and assignment.responded_by == lead.user
    assert list(assignment.members.all()) == [member]
    assert history(request) == [("", R.SUBMITTED), (R.SUBMITTED, R.OFFERED), (R.OFFERED, R.ACCEPTED)]


def test_the_whole_job_on_the_pages(client, raise_public_request, team, agent, lead, member, resident, frozen_now):
    request = raise_public_request()
    client.force_login(agent)
    client.post(f"/centre/volunteers/requests/{request.pk}/dispatch/", {f"r{request.pk}-team": team.pk,
                                                                         f"r{request.pk}-reason": "就近的小红帽"})
    assignment = TeamAssignment.objects.get(request=request)

    client.force_login(lead.user)
    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert "清理杂物" in page and "139****0001" not in page and "13900000001" not in page
    client.post(f"/teams/{team.pk}/jobs/{assignment.pk}/accept/")
    client.post(f"/teams/{team.pk}/jobs/{assignment.pk}/members/", {f"job{assignment.pk}-members": [member.pk]})
    assert "13900000001" in client.get(f"/teams/{team.pk}/").content.decode()  # the team has accepted: the phone shows

    client.force_login(member.user)
    assert "清理杂物" in client.get("/volunteers/").content.decode()
    client.post(f"/volunteers/jobs/{assignment.pk}/check-in/", {"latitude": "27.331100", "longitude": "117.491000", "place": "门口"})
    request.refresh_from_db()
    assert request.status == R.IN_SERVICE
    frozen_now.shift(datetime.timedelta(minutes=90))
    response = client.post(f"/volunteers/jobs/{assignment.pk}/check-out/",
                           {"latitude": "27.331100", "longitude": "117.491000"}, follow=True)
    entry = HoursEntry.objects.get(volunteer=member)
    assert entry.status == HoursEntry.Status.PENDING and entry.hours == Decimal("1.50")
    assert f"{entry.hours} hours wait for your team lead's approval." in messages_of(response)

    client.force_login(lead.user)
    assert "李志明" in client.get(f"/teams/{team.pk}/hours/").content.decode()
    client.post(f"/volunteers/hours/{entry.pk}/approve/")
    client.post(f"/teams/{team.pk}/jobs/{assignment.pk}/complete/", {f"done{assignment.pk}-resolution": "清理完毕"})
    entry.refresh_from_db()
    request.refresh_from_db()
    assert entry.status == HoursEntry.Status.APPROVED and entry.decided_by == lead.user
    assert request.status == R.COMPLETED and request.final_price == Decimal("0.00")


def test_check_out_books_the_time_on_site_rounded_to_the_hundredth(accepted_job, member):
    assignment = accepted_job()
    start = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    services.attendance_check_in(assignment=assignment, volunteer=member, latitude="27.331", longitude="117.491", now=start)
    attendance = services.attendance_check_out(assignment=assignment, volunteer=member, latitude="27.331", longitude="117.491",
                                               now=start + datetime.timedelta(hours=1, minutes=20))
    assert attendance.entry.hours == Decimal("1.33")
    assert attendance.entry.service_date == datetime.date(2026, 11, 23)
    assert attendance.check_in_distance_m == 0


def test_a_member_not_assigned_cannot_check_in(accepted_job, second_member):
    assignment = accepted_job()
    with pytest.raises(NotYours, match="not assigned"):
        services.attendance_check_in(assignment=assignment, volunteer=second_member, latitude="27.331", longitude="117.491")


def test_the_lead_cannot_complete_while_someone_is_checked_in(accepted_job, lead, member):
    assignment = accepted_job()
    services.attendance_check_in(assignment=assignment, volunteer=member, latitude="27.331", longitude="117.491")
    from volunteers.errors import VolunteerInvalid

    with pytest.raises(VolunteerInvalid, match="Still checked in: 李志明"):
        services.team_job_complete(assignment=assignment, lead=lead.user, resolution="完成")


def test_a_declined_offer_goes_back_and_the_router_offers_the_next_team(raise_public_request, team, other_team, lead, lead_b,
                                                                        policy):
    request = raise_public_request()
    routed = services.public_interest_requests_route()
    assert routed == {request.pk: team.pk}  # the town's team is nearer than the city-wide one
    assignment = TeamAssignment.objects.get(request=request)
    assert assignment.offered_by is None and "nearest team" in assignment.offer_reason

    services.team_assignment_decline(assignment=assignment, lead=lead.user, reason="队员都在外地")
    request.refresh_from_db()
    assert (request.status, request.volunteer_team_id) == (R.ESCALATED, None)

    assert services.public_interest_requests_route() == {request.pk: other_team.pk}
    request.refresh_from_db()
    assert request.status == R.OFFERED and request.volunteer_team_id == other_team.pk
    assert services.public_interest_requests_route() == {}  # nothing waits now: a second run changes nothing


def test_router_escalates_a_request_no_team_can_take(raise_public_request, policy, volunteer_item):
    request = raise_public_request()
    assert services.public_interest_requests_route() == {request.pk: None}
    request.refresh_from_db()
    assert request.status == R.ESCALATED
    assert "no volunteer team covers" in request.status_changes.last().reason


def test_suggestions_are_teams_covering_the_area_with_the_skill_nearest_first(raise_public_request, team, other_team, town,
                                                                            category):
    from volunteers.models import Team

    request = raise_public_request()
    elsewhere = services.team_create(code="VT09", name="别处的队", area=town.parent, skills=[category])  # wrong skill
    assert elsewhere.pk
    assert [s.team for s in selectors.teams_suggest(request=request)] == [team, other_team]
    Team.objects.filter(pk=team.pk).update(active=False)
    assert [s.team for s in selectors.teams_suggest(request=request)] == [other_team]


def test_a_company_request_cannot_go_to_a_team(raise_public_request, item, team, agent, guide_price):
    request = raise_public_request(product=item)  # a company item, not public-interest: it is matching
    with pytest.raises(DispatchRefused, match="not public-interest work"):
        services.team_dispatch(request=request, team=team, actor=agent, reason="试试")


def test_only_an_agent_dispatches_and_a_reason_is_needed(raise_public_request, team, agent, lead):
    request = raise_public_request()
    with pytest.raises(NotYours):
        services.team_dispatch(request=request, team=team, actor=lead.user, reason="我们来")
    with pytest.raises(DispatchRefused, match="Say why"):
        services.team_dispatch(request=request, team=team, actor=agent, reason=" ")
    assert ServiceRequest.objects.get(pk=request.pk).status == R.SUBMITTED


def test_agent_may_take_an_offer_back_and_give_it_to_another_team(offered_job, other_team, agent):
    assignment = offered_job()
    second = services.team_dispatch(request=assignment.request, team=other_team, actor=agent, reason="换一个队")
    assignment.refresh_from_db()
    assert assignment.status == TeamAssignment.Status.WITHDRAWN
    request = ServiceRequest.objects.get(pk=assignment.request_id)
    assert request.status == R.OFFERED and request.volunteer_team_id == other_team.pk and second.status == "offered"


def test_a_team_cannot_accept_twice_or_after_declining(offered_job, lead):
    assignment = offered_job()
    services.team_assignment_accept(assignment=assignment, lead=lead.user)
    with pytest.raises(AssignmentClosed):
        services.team_assignment_accept(assignment=assignment, lead=lead.user)
    with pytest.raises(AssignmentClosed):
        services.team_assignment_decline(assignment=assignment, lead=lead.user, reason="不去了")


def test_only_team_members_can_be_assigned(accepted_job, lead, lead_b):
    from volunteers.errors import VolunteerInvalid

    assignment = accepted_job()
    with pytest.raises(VolunteerInvalid, match="Not members of 小红帽志愿服务队: 陈队长"):
        services.team_assignment_members_set(assignment=assignment, lead=lead.user, members=[lead_b])


def test_lead_records_hours_afterwards_for_a_member_on_the_team_hours_page(client, accepted_job, team, lead, second_member):
    assignment = accepted_job()
    client.force_login(lead.user)
    response = client.post(f"/teams/{team.pk}/hours/", {
        "volunteer": second_member.pk, "assignment": assignment.pk, "hours": "2.5", "service_date": "2026-11-23",
        "description": "帮忙搬运"}, follow=True)
    assert "2.50 hours recorded for 张小红" in " ".join(messages_of(response))
    entry = HoursEntry.objects.get(volunteer=second_member)
    assert (entry.hours, entry.status, entry.recorded_by) == (Decimal("2.50"), HoursEntry.Status.PENDING, lead.user)
    assert second_member in assignment.members.all()
    refused = client.post(f"/teams/{team.pk}/hours/", {
        "volunteer": second_member.pk, "assignment": assignment.pk, "hours": "2.555", "service_date": "2026-11-23"})
    assert "more than two decimal places" in refused.content.decode()
    assert HoursEntry.objects.count() == 1


def test_centre_sees_waiting_requests_with_suggested_teams(client, raise_public_request, team, other_team, agent):
    request = raise_public_request()
    client.force_login(agent)
    page = client.get("/centre/volunteers/requests/").content.decode()
    section = page[page.index(f'id="request-{request.pk}"'):]
    assert section.index("小红帽志愿服务队") < section.index("青年突击志愿服务队")
    response = client.post(f"/centre/volunteers/requests/{request.pk}/dispatch/", {f"r{request.pk}-team": team.pk,
                                                                                    f"r{request.pk}-reason": ""})
    assert "Say why this team is chosen." in response.content.decode()
    assert ServiceRequest.objects.get(pk=request.pk).status == R.SUBMITTED


def test_a_cancelled_request_leaves_the_teams_lists_and_cannot_be_checked_into(accepted_job, lead, member, resident, team):
    from marketplace.services import request_cancel

    assignment = accepted_job()
    request_cancel(request=assignment.request, actor=resident, reason="自己搬走了")
    assert list(selectors.assignments_of_team(team=team, statuses=[TeamAssignment.Status.ACCEPTED])) == []
    with pytest.raises(AssignmentClosed):
        services.attendance_check_in(assignment=assignment, volunteer=member, latitude="27.331", longitude="117.491")
    assignment.refresh_from_db()
    assert assignment.status == TeamAssignment.Status.WITHDRAWN  # cancelling withdrew the team's assignment
    assert services.team_assignments_withdraw_for_request(request=assignment.request, reason="再次") == 0


def test_the_periodic_router_offers_and_the_leads_are_notified(raise_public_request, team, lead, policy):
    from oscar.core.loading import get_model

    from volunteers import tasks

    request = raise_public_request()
    assert tasks.public_interest_requests_route() == 1
    assert tasks.public_interest_requests_route() == 0
    note = get_model("communication", "Notification").objects.get(recipient=lead.user)
    assert f"#{request.pk}" in note.subject and "清理杂物" in note.subject
