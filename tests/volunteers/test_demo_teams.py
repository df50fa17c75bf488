"""The demo county's 15 volunteer teams load from marketplace.demo.people (idempotently), and the demo
story works: a team accepts a public-interest request, logs hours, the lead approves them and a
certificate downloads."""
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pypdf import PdfReader

from marketplace.demo import people
from marketplace.models import RequestStatus as R
from marketplace.models import ServiceRequest, User
from marketplace.roles import Role, has_role
from marketplace.services import request_create
from volunteers import selectors, services
from volunteers.demo import demo_volunteers_load
from volunteers.models import Membership, Team, TeamAssignment

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(scope="module")
def demo_teams(django_db_setup, django_db_blocker):
    """The demo county and its teams, loaded once for this module and rolled back afterwards."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher, transaction.atomic():
        with time_machine.travel(NOW, tick=False):
            call_command("load_demo_city", stdout=io.StringIO())
            first = demo_volunteers_load()
            second = demo_volunteers_load()
        yield first, second
        transaction.set_rollback(True)


def test_fifteen_teams_with_their_members_and_leads(demo_teams):
    _first, second = demo_teams
    assert Team.objects.count() == 15
    assert Membership.objects.count() == sum(len(team["members"]) for team in people.VOLUNTEER_TEAMS)
    assert Membership.objects.filter(is_lead=True).count() == 15
    assert not second, "a second run writes nothing"
    red_hats = Team.objects.get(code="VT01")
    assert (red_hats.name, red_hats.area.name) == ("小红帽志愿服务队", "昭阳街道")
    assert [c.code for c in red_hats.skills.all()] == ["volunteer"]


def test_demo_logins_lead_and_serve_in_the_little_red_hats(demo_teams):
    lead = User.objects.get(email="teamlead@demo.minsheng110.cn")
    volunteer = User.objects.get(email="volunteer@demo.minsheng110.cn")
    red_hats = Team.objects.get(code="VT01")
    assert selectors.is_team_lead(team=red_hats, user=lead) and has_role(lead, Role.TEAM_LEAD)
    assert not selectors.is_team_lead(team=red_hats, user=volunteer)
    assert red_hats in selectors.teams_of_volunteer(volunteer=volunteer.volunteer)


def test_deputies_teams_members_hold_their_identities(demo_teams):
    for code, identity in (("VT14", "peoples_congress_deputy"), ("VT15", "cppcc_member")):
        team = Team.objects.get(code=code)
        assert all(identity in v.identity_codes for v in selectors.team_members(team=team))


def test_the_demo_story(client, demo_teams):
    resident = User.objects.get(email="resident@demo.minsheng110.cn")
    agent = User.objects.get(email="agent@demo.minsheng110.cn")
    lead = User.objects.get(email="teamlead@demo.minsheng110.cn")
    volunteer = User.objects.get(email="volunteer@demo.minsheng110.cn").volunteer
    from oscar.core.loading import get_model

    item = get_model("catalogue", "Product").objects.get(upc="VS-001")
    with time_machine.travel(NOW, tick=False) as clock:
        request, _ = request_create(resident=resident, created_by=agent, product=item, description="门前杂物堆积，搬不动",
                                    address="昭阳街道东关社区中山路1号", latitude=Decimal("27.338"), longitude=Decimal("117.480"),
                                    contact_phone=resident.phone, channel=ServiceRequest.Channel.HOTLINE)
        assert request.status == R.SUBMITTED
        services.public_interest_requests_route()
        assignment = TeamAssignment.objects.get(request=request, status="offered")
        assert assignment.team.area.name == "昭阳街道"
        red_hats = Team.objects.get(code="VT01")
        if assignment.team != red_hats:  # the router chose another town team: the agent gives it to the red hats
            assignment = services.team_dispatch(request=request, team=red_hats, actor=agent, reason="演示")
        services.team_assignment_accept(assignment=assignment, lead=lead, members=[volunteer])
        services.attendance_check_in(assignment=assignment, volunteer=volunteer, latitude="27.338", longitude="117.480")
        clock.shift(datetime.timedelta(hours=1))
        entry = services.attendance_check_out(assignment=assignment, volunteer=volunteer, latitude="27.338",
                                              longitude="117.480").entry
        services.hours_entry_approve(entry=entry, actor=lead)
        services.team_job_complete(assignment=assignment, lead=lead, resolution="清理完毕")
        certificate = services.certificate_issue(volunteer=volunteer, team=red_hats, period_start=datetime.date(2026, 1, 1),
                                                 period_end=datetime.date(2026, 11, 23), actor=volunteer.user)
        client.force_login(volunteer.user)
        from django.conf import settings

        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(f"/volunteers/certificates/{certificate.number}/pdf/")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "小红帽志愿服务队" in text and "1.00" in text and str(volunteer.user) in text
