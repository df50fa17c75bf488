"""Hours are verified by the team lead or confirmed by the resident served; a member never approves
their own hours; the centre verifies what it keeps and a lead's own hours."""
import datetime

import pytest

from marketplace.roles import Role
from tests.volunteers.conftest import log, messages_of, person
from volunteers import services
from volunteers.errors import ApprovalRefused, OwnHoursApproval
from volunteers.models import HoursEntry, Identity

pytestmark = pytest.mark.django_db


def test_member_is_refused_approving_their_own_hours(accepted_job, member):
    entry = log(accepted_job(), member, "2.00")
    with pytest.raises(OwnHoursApproval, match="cannot approve or decline your own hours"):
        services.hours_entry_approve(entry=entry, actor=member.user)
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PENDING and entry.decided_by is None


def test_member_approving_own_hours_on_the_page_sees_why_and_nothing_changes(client, accepted_job, member):
    entry = log(accepted_job(), member, "2.00")
    client.force_login(member.user)
    response = client.post(f"/volunteers/hours/{entry.pk}/approve/", follow=True)
    assert "You cannot approve or decline your own hours" in " ".join(messages_of(response))
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PENDING


def test_member_approving_own_hours_by_api_gets_400_own_hours(client, accepted_job, member):
    entry = log(accepted_job(), member, "2.00")
    client.force_login(member.user)
    response = client.post(f"/api/volunteers/hours/{entry.pk}/approve/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "own_hours"
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PENDING


def test_a_lead_cannot_approve_their_own_hours_either_but_the_centre_can(accepted_job, lead, agent):
    job = accepted_job()
    entry = log(job, lead, "3.00")
    with pytest.raises(OwnHoursApproval):
        services.hours_entry_approve(entry=entry, actor=lead.user)
    assert services.hours_entry_approve(entry=entry, actor=agent).status == HoursEntry.Status.APPROVED


def test_the_resident_served_confirms_hours_on_their_page(client, accepted_job, member, resident):
    job = accepted_job()
    entry = log(job, member, "1.50")
    client.force_login(resident)
    page = client.get(f"/volunteers/served/{job.request_id}/").content.decode()
    assert "李志明" in page and "1.50" in page
    client.post(f"/volunteers/hours/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.APPROVED and entry.decided_by == resident


def test_a_decline_needs_a_reason(accepted_job, lead, member):
    entry = log(accepted_job(), member, "2.00")
    from volunteers.errors import HoursInvalid

    with pytest.raises(HoursInvalid, match="Say why"):
        services.hours_entry_decline(entry=entry, actor=lead.user, reason="  ")
    declined = services.hours_entry_decline(entry=entry, actor=lead.user, reason="当天未到场")
    assert (declined.status, declined.decision_reason, declined.decided_by) == (HoursEntry.Status.DECLINED, "当天未到场", lead.user)


def test_a_team_member_who_is_not_a_lead_cannot_approve_a_colleagues_hours(accepted_job, member, second_member, lead):
    job = accepted_job()
    services.team_assignment_members_set(assignment=job, lead=lead.user, members=[member, second_member])
    entry = log(job, second_member, "2.00")
    with pytest.raises(ApprovalRefused):
        services.hours_entry_approve(entry=entry, actor=member.user)


def test_centre_records_are_verified_by_the_centre_not_by_a_lead(team, lead, agent, town):
    deputy = person("deputy@example.com", "赵", "代表", Role.VOLUNTEER, identities=[Identity.PARTY_DEPUTY])
    services.team_member_add(team=team, volunteer=deputy)
    visit = services.district_visit_record(volunteer=deputy, region=town, visited_on=datetime.date(2026, 11, 1), hours="2.00",
                                           summary="走访", actor=deputy.user)
    entry = visit.hours_entries.get()
    with pytest.raises(ApprovalRefused, match="Only the service centre"):
        services.hours_entry_approve(entry=entry, actor=lead.user)
    assert services.hours_entry_approve(entry=entry, actor=agent).status == HoursEntry.Status.APPROVED


def test_a_leads_own_hours_wait_on_the_centres_page(client, accepted_job, lead, member, agent):
    job = accepted_job()
    own = log(job, lead, "3.00")
    members = log(job, member, "1.00")
    client.force_login(agent)
    page = client.get("/centre/volunteers/hours/").content.decode()
    assert f'id="entry-{own.pk}"' in page and f'id="entry-{members.pk}"' not in page
