"""The yearly duty (20 approved hours for party members and deputies, from the year's policy): the
duty list equals counts by hand on fixture data — 19.5 h is short by 0.5, 20 h is met."""
import datetime
from decimal import Decimal

import pytest
import time_machine

from marketplace.roles import Role
from tests.volunteers.conftest import approve, log, person
from volunteers import selectors, services
from volunteers.models import Identity

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def fixture_hours(accepted_job, team, lead, member, second_member, agent):
    """By hand:
    - 李志明 (party member): 12.00 + 7.50 approved = 19.50; 3.00 declined and 2.00 pending do not count.
    - 王队长 (lead, party member): 10.00 + 12.00 approved, then corrected 12.00 → 10.00 = 20.00.
    - 张小红 (youth volunteer): 23.00 approved, but owes no duty.
    - 赵代表 (people's congress deputy): 25.00 approved in 2025 (a visit), nothing in 2026 = 0.00.
    """
    job = accepted_job()
    services.team_assignment_members_set(assignment=job, lead=lead.user, members=[member, second_member, lead])
    approve(log(job, member, "12.00"), lead.user)
    approve(log(job, member, "7.50"), lead.user)
    services.hours_entry_decline(entry=log(job, member, "3.00"), actor=lead.user, reason="与上条重复")
    log(job, member, "2.00")
    approve(log(job, lead, "10.00"), agent)  # a lead's own hours: the centre verifies them
    twelve = approve(log(job, lead, "12.00"), agent)
    approve(services.hours_entry_correct(entry=twelve, corrected_hours="10.00", reason="多记", actor=lead.user), agent)
    approve(log(job, second_member, "12.00"), lead.user)
    approve(log(job, second_member, "11.00"), lead.user)
    deputy = person("deputy@example.com", "赵", "代表", Role.VOLUNTEER, identities=[Identity.PEOPLES_CONGRESS_DEPUTY])
    visit = services.district_visit_record(volunteer=deputy, region=job.request.region, visited_on=datetime.date(2025, 6, 1),
                                           hours="20.00", summary="走访", actor=deputy.user)
    approve(visit.hours_entries.get(), agent)
    visit = services.district_visit_record(volunteer=deputy, region=job.request.region, visited_on=datetime.date(2025, 7, 1),
                                           hours="5.00", summary="走访", actor=deputy.user)
    approve(visit.hours_entries.get(), agent)
    return deputy


def names(rows):
    return [(str(p.volunteer), p.approved, p.remaining) for p in rows]


def test_duty_list_equals_the_hand_count(fixture_hours, policy):
    report = selectors.duty_report(year=2026, today=TODAY)
    assert report.duty == Decimal("20.00")
    assert names(report.not_met) == [("赵代表", Decimal("0.00"), Decimal("20.00")), ("李志明", Decimal("19.50"), Decimal("0.50"))]
    assert names(report.met) == [("王队长", Decimal("20.00"), Decimal("0.00"))]
    assert "张小红" not in [str(p.volunteer) for p in report.met + report.not_met]  # no duty


def test_the_duty_reads_the_years_policy(fixture_hours, policy):
    policy.volunteer_hours_duty = Decimal("19.50")
    policy.save()
    report = selectors.duty_report(year=2026, today=TODAY)
    assert [str(p.volunteer) for p in report.met] == ["王队长", "李志明"]


def test_last_year_counts_only_last_years_hours(fixture_hours, policy):
    from marketplace.models import YearPolicy

    YearPolicy.objects.create(year=2025)
    report = selectors.duty_report(year=2025, today=TODAY)
    assert names(report.met) == [("赵代表", Decimal("25.00"), Decimal("0.00"))]


def test_centre_sees_the_duty_list_page(client, fixture_hours, agent):
    client.force_login(agent)
    page = client.get("/centre/volunteers/duty/?year=2026").content.decode()
    not_met = page[page.index('id="not-met"'):page.index('id="met"')]
    met = page[page.index('id="met"'):]
    assert "李志明" in not_met and "19.50" in not_met and "0.50" in not_met
    assert "王队长" in met and "20.00" in met and "李志明" not in met
    assert "The year is not over" in page


def test_duty_list_api_gives_the_same_numbers(client, fixture_hours, agent):
    client.force_login(agent)
    data = client.get("/api/centre/volunteers/duty/", {"year": 2026}).json()
    assert data["duty"] == "20.00"
    assert [(row["volunteer"]["name"], row["approved"], row["remaining"]) for row in data["not_met"]] == [
        ("赵代表", "0.00", "20.00"), ("李志明", "19.50", "0.50")]
    assert [(row["volunteer"]["name"], row["approved"], row["met"]) for row in data["met"]] == [("王队长", "20.00", True)]


def test_each_person_sees_their_progress(client, fixture_hours, member):
    client.force_login(member.user)
    page = client.get("/volunteers/").content.decode()
    assert "19.50 of 20.00 hours" in page
    assert "2.00 more hours wait for approval" in page
    assert "0.50 hours to go this year" in page
    data = client.get("/api/volunteers/me/progress/").json()
    assert (data["approved"], data["pending"], data["remaining"], data["met"]) == ("19.50", "2.00", "0.50", False)


def test_lead_sees_the_teams_progress(client, fixture_hours, lead, team):
    client.force_login(lead.user)
    page = client.get(f"/teams/{team.pk}/progress/").content.decode()
    assert "李志明" in page and "19.50 of 20.00 hours" in page and "duty met" in page


def test_commendation_list_ranks_volunteers_and_teams(fixture_hours, team, policy):
    people, teams = selectors.commendations(year=2026)
    assert [(str(v), h) for v, h in people] == [("张小红", Decimal("23.00")), ("王队长", Decimal("20.00")),
                                                  ("李志明", Decimal("19.50"))]
    assert [(r.team.name, r.hours, r.members_serving) for r in teams] == [("小红帽志愿服务队", Decimal("62.50"), 3)]


def test_behind_pace_is_judged_against_the_year_so_far(fixture_hours, member, policy):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 0), tick=False):
        progress = selectors.volunteer_progress(volunteer=member, year=2026, today=TODAY)
    # 20 × 327/365 = 17.92 expected by 23 November; 19.50 is ahead of that.
    assert progress.expected_by_today == Decimal("17.92")
    assert not progress.behind_pace and not progress.met
