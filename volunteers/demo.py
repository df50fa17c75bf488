"""The demo's volunteer teams and memberships, from ``marketplace.demo.people.VOLUNTEER_TEAMS``.

``demo_volunteers_load()`` runs after the demo loader has made the members' user accounts. It is
idempotent: teams are found by code, people by email, and only what is missing is written.
"""
from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.demo import people
from marketplace.models import Region, User
from volunteers import services
from volunteers.models import Identity, Membership, Team, Volunteer, VolunteerIdentity

Category = get_model("catalogue", "Category")

# Every demo team serves the volunteer category; a few also have a second skill.
BASE_SKILL = "volunteer"
EXTRA_SKILLS = {"法律援助志愿服务队": ["legal-counselling"]}


def member_identities(team: dict, member: dict) -> list[str]:
    """Identities from the demo data: party member, a deputy kind, youth teams' members; else other."""
    identities = []
    if member["party_member"]:
        identities.append(Identity.PARTY_MEMBER)
    if member["deputy"]:
        identities.append(member["deputy"])
    if "青年" in team["name"]:
        identities.append(Identity.YOUTH_VOLUNTEER)
    return identities or [Identity.OTHER]


@transaction.atomic
def demo_volunteers_load(*, today=None) -> Counter:
    """Create the demo teams and memberships (once). Returns what this run wrote, by kind."""
    writes: Counter = Counter()
    today = today or timezone.localdate()
    codes = {BASE_SKILL}.union(*EXTRA_SKILLS.values())
    categories = {c.code: c for c in Category.objects.filter(code__in=codes)}
    for data in people.VOLUNTEER_TEAMS:
        team = Team.objects.filter(code=data["code"]).first()
        if team is None:
            team = Team.objects.create(code=data["code"], name=data["name"], area=Region.objects.get(code=data["town_code"]))
            writes["volunteer teams"] += 1
        wanted = [categories[code] for code in [BASE_SKILL, *EXTRA_SKILLS.get(data["name"], [])] if code in categories]
        missing = set(wanted) - set(team.skills.all())
        if missing:
            team.skills.add(*missing)
            writes["team skills"] += len(missing)
        for member in data["members"]:
            user = User.objects.filter(email=member["email"]).first()
            if user is None:
                continue  # the demo loader makes the accounts first
            volunteer = Volunteer.objects.filter(user=user).first()
            if volunteer is None:
                volunteer = Volunteer.objects.create(user=user, joined_on=today)
                writes["volunteers"] += 1
            have = set(volunteer.identities.values_list("identity", flat=True))
            for identity in member_identities(data, member):
                if identity not in have:
                    VolunteerIdentity.objects.create(volunteer=volunteer, identity=identity)
                    writes["volunteer identities"] += 1
            membership = Membership.objects.filter(team=team, volunteer=volunteer).first()
            if membership is None:
                Membership.objects.create(team=team, volunteer=volunteer, is_lead=member["is_lead"], joined_on=today)
                writes["team memberships"] += 1
                services.membership_roles_sync(volunteer=volunteer)
    return writes
