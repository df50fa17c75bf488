"""Fixtures for the volunteer work: a volunteer item and category, two teams in the town (A, the
"little red hats", with a lead and two members; B, with its own lead), a duty-holding party member,
public-interest requests raised by the resident, and helpers that walk a job through its steps."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from oscar.core.loading import get_model

from marketplace.models import ServiceItemProfile, ServiceRequest
from marketplace.roles import Role
from marketplace.services import request_create
from tests.conftest import make_user
from volunteers import services
from volunteers.models import Identity, TeamAssignment

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def volunteer_category(db):
    return Category.add_root(name="志愿服务", slug="volunteer", code="volunteer")


@pytest.fixture
def volunteer_item(volunteer_category):
    product_class, _ = ProductClass.objects.get_or_create(name="志愿服务", defaults={"track_stock": False, "requires_shipping": False})
    product = Product.objects.create(title="清理杂物", upc="VS-001", product_class=product_class, structure="standalone")
    product.categories.add(volunteer_category)
    ServiceItemProfile.objects.create(product=product, unit="visit", served_by="volunteer")
    return product


def person(email: str, last_name: str, first_name: str, *roles: str, identities=(), phone=None):
    user = make_user(email, *roles, last_name=last_name, first_name=first_name, phone=phone)
    return services.volunteer_register(user=user, identities=identities, today=datetime.date(2026, 1, 1))


@pytest.fixture
def team(town, volunteer_category, policy):
    """Team A: 小红帽志愿服务队 in 昭阳街道, lead 王队长, members 李志明 (party member) and 张小红."""
    team = services.team_create(code="VT01", name="小红帽志愿服务队", area=town, skills=[volunteer_category])
    lead = person("lead@example.com", "王", "队长", Role.VOLUNTEER, Role.TEAM_LEAD, identities=[Identity.PARTY_MEMBER])
    services.team_member_add(team=team, volunteer=lead, is_lead=True, today=datetime.date(2026, 1, 1))
    for email, last, first, identities in [
        ("member@example.com", "李", "志明", [Identity.PARTY_MEMBER]),
        ("second@example.com", "张", "小红", [Identity.YOUTH_VOLUNTEER]),
    ]:
        volunteer = person(email, last, first, Role.VOLUNTEER, identities=identities)
        services.team_member_add(team=team, volunteer=volunteer, today=datetime.date(2026, 1, 1))
    return team


@pytest.fixture
def other_team(city, volunteer_category, policy):
    """Team B: city-wide (its area is the city, so it is farther from the town's requests)."""
    team = services.team_create(code="VT02", name="青年突击志愿服务队", area=city, skills=[volunteer_category])
    lead = person("lead-b@example.com", "陈", "队长", Role.VOLUNTEER, Role.TEAM_LEAD)
    services.team_member_add(team=team, volunteer=lead, is_lead=True, today=datetime.date(2026, 1, 1))
    member = person("member-b@example.com", "刘", "伟", Role.VOLUNTEER)
    services.team_member_add(team=team, volunteer=member, today=datetime.date(2026, 1, 1))
    return team


def volunteer(email: str):
    from volunteers.models import Volunteer

    return Volunteer.objects.select_related("user").get(user__email=email)


@pytest.fixture
def lead(team):
    return volunteer("lead@example.com")


@pytest.fixture
def member(team):
    return volunteer("member@example.com")


@pytest.fixture
def second_member(team):
    return volunteer("second@example.com")


@pytest.fixture
def lead_b(other_team):
    return volunteer("lead-b@example.com")


@pytest.fixture
def raise_public_request(resident, volunteer_item, town, policy, frozen_now):
    def make(**overrides) -> ServiceRequest:
        fields = dict(
            resident=resident, created_by=resident, product=volunteer_item, description="门前堆了很多杂物，搬不动",
            address="昭阳街道东关社区1号", latitude=Decimal("27.331000"), longitude=Decimal("117.491000"),
            contact_phone="13900000001", channel=ServiceRequest.Channel.WEB,
        )
        fields.update(overrides)
        request, _created = request_create(**fields)
        return request

    return make


@pytest.fixture
def offered_job(raise_public_request, team, agent):
    """A public-interest request an agent dispatched to team A. Returns the assignment."""

    def make(**overrides) -> TeamAssignment:
        request = raise_public_request(**overrides)
        return services.team_dispatch(request=request, team=team, actor=agent, reason="就近的小红帽")

    return make


@pytest.fixture
def accepted_job(offered_job, lead, member):
    """Team A accepted the job and sent the member. Returns the assignment."""

    def make(**overrides) -> TeamAssignment:
        assignment = offered_job(**overrides)
        services.team_assignment_accept(assignment=assignment, lead=lead.user, members=[member])
        assignment.refresh_from_db()
        return assignment

    return make


def log(assignment, who, hours, *, actor=None, day=datetime.date(2026, 11, 23), description=""):
    return services.hours_log(assignment=assignment, volunteer=who, hours=hours, service_date=day,
                              actor=actor or who.user, description=description)


def approve(entry, actor):
    return services.hours_entry_approve(entry=entry, actor=actor)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
