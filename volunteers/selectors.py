"""Reads of the volunteers app: who leads and serves in which team, which teams suit a request, the
waiting public-interest work, the hours ledger's sums (progress, the yearly duty, commendations,
certificates) and who may see what (out of reach answers 404)."""
from __future__ import annotations

import calendar
import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from marketplace.models import RequestStatus as R
from marketplace.models import ServiceItemProfile, ServiceRequest
from marketplace.roles import Role, has_role
from marketplace.selectors import policy_for_year
from volunteers.models import (
    DEPUTY_IDENTITIES,
    DUTY_IDENTITIES,
    CentreActivity,
    Certificate,
    DistrictVisit,
    HoursEntry,
    Identity,
    Membership,
    Team,
    TeamAssignment,
    Volunteer,
)

ZERO = Decimal("0.00")
HOURS_STEP = Decimal("0.01")
CENTRE_NAME = "邵武市民生110服务中心"  # a proper name (data), as printed on what the centre issues
ACTIVE_JOB_STATUSES = (R.ACCEPTED, R.ON_THE_WAY, R.IN_SERVICE)


# --- the yearly duty (one rule, one place) ------------------------------------------------------


def volunteer_hours_duty(*, year: int) -> Decimal:
    """DOMAIN.md: "Party members, and party deputies, people's congress deputies and CPPCC members, must
    serve residents at least 20 hours a year." The number is the year's policy value
    (``YearPolicy.volunteer_hours_duty``), counted in approved hours served in that calendar year."""
    return policy_for_year(year=year).volunteer_hours_duty


def owes_duty(*, volunteer: Volunteer) -> bool:
    return any(code in DUTY_IDENTITIES for code in volunteer.identity_codes)


def duty_holders() -> QuerySet[Volunteer]:
    """Everyone who owes the yearly duty (party members and deputies), active accounts only."""
    return (Volunteer.objects.filter(identities__identity__in=DUTY_IDENTITIES, user__is_active=True)
            .distinct().select_related("user").prefetch_related("identities"))


# --- people and teams ----------------------------------------------------------------------------


def volunteers_by_ids(*, ids) -> dict[int, Volunteer]:
    return {v.pk: v for v in Volunteer.objects.filter(pk__in=list(ids)).select_related("user")}


def region_by_code(*, code: str):
    from marketplace.models import Region

    return Region.objects.filter(code=code).first()


def volunteer_of_user(*, user) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).prefetch_related("identities").first()


def is_team_lead(*, team: Team, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(team=team, volunteer__user=user, is_lead=True, left_on__isnull=True).exists()


def team_leads(*, team: Team) -> list[Volunteer]:
    return list(Volunteer.objects.filter(memberships__team=team, memberships__is_lead=True,
                                         memberships__left_on__isnull=True).select_related("user"))


def team_members(*, team: Team) -> QuerySet[Volunteer]:
    """Current members (leads included)."""
    return (Volunteer.objects.filter(memberships__team=team, memberships__left_on__isnull=True)
            .select_related("user").prefetch_related("identities").order_by("-memberships__is_lead", "pk"))


def teams_of_volunteer(*, volunteer: Volunteer | None) -> QuerySet[Team]:
    if volunteer is None:
        return Team.objects.none()
    return Team.objects.filter(memberships__volunteer=volunteer, memberships__left_on__isnull=True).distinct()


def teams_ever_of_volunteer(*, volunteer: Volunteer) -> QuerySet[Team]:
    """Teams the volunteer belongs or belonged to (each may certify the hours it kept)."""
    return Team.objects.filter(memberships__volunteer=volunteer).distinct().order_by("code")


def teams_led_by(*, user) -> QuerySet[Team]:
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    return Team.objects.filter(memberships__volunteer__user=user, memberships__is_lead=True,
                               memberships__left_on__isnull=True).distinct().select_related("area")


def team_led_by(*, user, pk: int) -> Team:
    """A team the user leads; any other team answers 404."""
    return get_object_or_404(teams_led_by(user=user), pk=pk)


def team_any(*, pk: int) -> Team:
    return get_object_or_404(Team.objects.select_related("area"), pk=pk)


# --- matching teams to requests ------------------------------------------------------------------


def is_public_interest(*, request: ServiceRequest) -> bool:
    """Public-interest work goes to volunteer teams: flagged so, or an item volunteers serve."""
    if request.public_interest:
        return True
    served_by = ServiceItemProfile.objects.filter(product_id=request.product_id).values_list("served_by", flat=True).first()
    return served_by == ServiceItemProfile.ServedBy.VOLUNTEER


def _public_interest_q() -> Q:
    return Q(public_interest=True) | Q(product__service_profile__served_by=ServiceItemProfile.ServedBy.VOLUNTEER)


def public_interest_requests_waiting(*, now=None) -> QuerySet[ServiceRequest]:
    """What the router offers to teams: public-interest requests still submitted, and escalated ones
    a team declined (none live) while fewer teams than the policy's ``escalate_after_declines`` have
    declined. Other escalated requests are the agents' to dispatch."""
    from django.utils import timezone

    now = now or timezone.now()
    limit = policy_for_year(year=timezone.localtime(now).year).escalate_after_declines
    live = TeamAssignment.objects.filter(status__in=TeamAssignment.LIVE).values("request_id")
    return (
        ServiceRequest.objects.filter(_public_interest_q())
        .exclude(pk__in=live)
        .annotate(declines=Count("team_assignments", filter=Q(team_assignments__status=TeamAssignment.Status.DECLINED)))
        .filter(Q(status=R.SUBMITTED) | Q(status=R.ESCALATED, declines__gte=1, declines__lt=limit))
        .order_by("created_at", "pk")
    )


def public_interest_requests_for_centre() -> QuerySet[ServiceRequest]:
    """Public-interest requests an agent may dispatch: submitted, escalated, or offered to a team."""
    return (
        ServiceRequest.objects.filter(_public_interest_q(), status__in=[R.SUBMITTED, R.ESCALATED, R.OFFERED])
        .select_related("product", "region", "owner").prefetch_related("team_assignments__team")
        .order_by("created_at", "pk")
    )


def public_interest_request_for_centre(*, pk: int) -> ServiceRequest:
    return get_object_or_404(
        ServiceRequest.objects.filter(_public_interest_q()).select_related("product", "region", "owner")
        .prefetch_related("team_assignments__team"), pk=pk,
    )


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@dataclass
class TeamSuggestion:
    team: Team
    distance_km: float
    open_jobs: int


def teams_suggest(*, request: ServiceRequest, limit: int = 10) -> list[TeamSuggestion]:
    """Teams that may take a request: active, with a lead, whose area is the request's region or one
    of its ancestors, with a skill among the item's categories (or their parents), not offered this
    request before. Nearest first (distance from the team's area centre), then the least busy."""
    if request.region_id is None:
        return []
    region_ids = [region.pk for region in request.region.ancestors_and_self()]
    category_ids: set[int] = set()
    for category in request.product.categories.all():
        category_ids.add(category.pk)
        category_ids.update(category.get_ancestors().values_list("pk", flat=True))
    if not category_ids:
        return []
    already = TeamAssignment.objects.filter(request=request).values("team_id")
    teams = (
        Team.objects.filter(active=True, area_id__in=region_ids, skills__in=category_ids,
                            memberships__is_lead=True, memberships__left_on__isnull=True)
        .exclude(pk__in=already).distinct().select_related("area")
        .annotate(open_jobs=Count("assignments", filter=Q(assignments__status=TeamAssignment.Status.ACCEPTED), distinct=True))
    )
    lat, lng = float(request.latitude), float(request.longitude)
    suggestions = [
        TeamSuggestion(team=team, open_jobs=team.open_jobs,
                       distance_km=distance_km(float(team.area.latitude), float(team.area.longitude), lat, lng))
        for team in teams
    ]
    suggestions.sort(key=lambda s: (round(s.distance_km, 3), s.open_jobs, s.team.pk))
    return suggestions[:limit]


# --- jobs ----------------------------------------------------------------------------------------


def _assignments() -> QuerySet[TeamAssignment]:
    return TeamAssignment.objects.select_related(
        "team", "request__product", "request__region", "request__owner", "responded_by"
    ).prefetch_related("members__user")


def assignments_of_team(*, team: Team, statuses=None) -> QuerySet[TeamAssignment]:
    """The team's offers and jobs. An offer or job whose request was cancelled meanwhile (and not yet
    withdrawn) is left out of the live lists."""
    rows = _assignments().filter(team=team)
    if statuses:
        rows = rows.filter(status__in=list(statuses))
        if set(statuses) <= {TeamAssignment.Status.OFFERED, TeamAssignment.Status.ACCEPTED}:
            rows = rows.exclude(request__status=R.CANCELLED)
    return rows.order_by("-offered_at", "-pk")


def assignment_of_team(*, team: Team, pk: int) -> TeamAssignment:
    return get_object_or_404(assignments_of_team(team=team), pk=pk)


def jobs_of_volunteer(*, volunteer: Volunteer | None) -> QuerySet[TeamAssignment]:
    """Jobs the volunteer is assigned to, newest first."""
    if volunteer is None:
        return TeamAssignment.objects.none()
    return _assignments().filter(members=volunteer).order_by("-offered_at", "-pk")


def job_of_volunteer(*, volunteer: Volunteer | None, pk: int) -> TeamAssignment:
    return get_object_or_404(jobs_of_volunteer(volunteer=volunteer), pk=pk)


def jobs_checked_in(*, volunteer: Volunteer) -> set[int]:
    """Ids of the jobs the volunteer is checked in on now (not yet checked out)."""
    return set(volunteer.attendances.filter(checked_out_at__isnull=True).values_list("assignment_id", flat=True))


# --- the ledger ----------------------------------------------------------------------------------


def _entries() -> QuerySet[HoursEntry]:
    return HoursEntry.objects.select_related(
        "volunteer__user", "team", "request__product", "district_visit__region", "centre_activity", "decided_by", "corrects"
    )


def hours_of_volunteer(*, volunteer: Volunteer | None, year: int | None = None) -> QuerySet[HoursEntry]:
    if volunteer is None:
        return HoursEntry.objects.none()
    rows = _entries().filter(volunteer=volunteer)
    if year:
        rows = rows.filter(service_date__year=year)
    return rows.order_by("-service_date", "-pk")


def hours_pending_for_team(*, team: Team) -> QuerySet[HoursEntry]:
    return _entries().filter(team=team, status=HoursEntry.Status.PENDING).order_by("service_date", "pk")


def hours_of_team(*, team: Team, year: int | None = None) -> QuerySet[HoursEntry]:
    rows = _entries().filter(team=team)
    if year:
        rows = rows.filter(service_date__year=year)
    return rows.order_by("-service_date", "-pk")


def hours_pending_for_centre() -> QuerySet[HoursEntry]:
    """Pending records the centre keeps (visits, activities) and pending job hours of team leads."""
    lead_pairs = Q(team__isnull=False, team__memberships__volunteer=F("volunteer"), team__memberships__is_lead=True)
    return (_entries().filter(Q(team__isnull=True) | lead_pairs, status=HoursEntry.Status.PENDING)
            .distinct().order_by("service_date", "pk"))


def hours_pending_for_resident(*, user, request_pk: int) -> tuple[ServiceRequest, QuerySet[HoursEntry]]:
    """The resident's own request and the volunteers' hours on it; anyone else's request answers 404."""
    request = get_object_or_404(ServiceRequest.objects.select_related("product"), pk=request_pk, resident=user)
    return request, _entries().filter(request=request).order_by("service_date", "pk")


def hours_entry_for(*, user, pk: int) -> HoursEntry:
    """An entry the user may see: their own, their team's (as lead), on their request (as the resident
    served), or any (as centre staff). Otherwise 404."""
    entry = get_object_or_404(_entries(), pk=pk)
    if (entry.volunteer.user_id == user.pk
            or has_role(user, Role.CENTRE_AGENT, Role.ADMINISTRATOR)
            or (entry.team_id and is_team_lead(team=entry.team, user=user))
            or (entry.request_id and entry.request.resident_id == user.pk)):
        return entry
    from django.http import Http404

    raise Http404


def entry_net_hours(*, entry: HoursEntry) -> Decimal:
    """An original entry as it stands: itself (if approved) plus its approved corrections."""
    own = entry.hours if entry.status == HoursEntry.Status.APPROVED else ZERO
    corrections = entry.corrections.filter(status=HoursEntry.Status.APPROVED).aggregate(total=Sum("hours"))["total"] or ZERO
    return (own + corrections).quantize(HOURS_STEP)


def approved_hours(*, volunteer: Volunteer, start: datetime.date | None = None, end: datetime.date | None = None,
                   team: Team | None = None) -> Decimal:
    """The total: the sum of approved ledger entries (corrections included) served in the period."""
    rows = HoursEntry.objects.filter(volunteer=volunteer, status=HoursEntry.Status.APPROVED)
    if start:
        rows = rows.filter(service_date__gte=start)
    if end:
        rows = rows.filter(service_date__lte=end)
    if team is not None:
        rows = rows.filter(team=team)
    return (rows.aggregate(total=Sum("hours"))["total"] or ZERO).quantize(HOURS_STEP)


def approved_hours_in_year(*, volunteer: Volunteer, year: int) -> Decimal:
    return approved_hours(volunteer=volunteer, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))


def approved_hours_by_volunteer(*, year: int, volunteer_ids=None) -> dict[int, Decimal]:
    rows = HoursEntry.objects.filter(status=HoursEntry.Status.APPROVED, service_date__year=year)
    if volunteer_ids is not None:
        rows = rows.filter(volunteer_id__in=list(volunteer_ids))
    return {row["volunteer_id"]: (row["total"] or ZERO).quantize(HOURS_STEP)
            for row in rows.values("volunteer_id").annotate(total=Sum("hours"))}


def pending_hours_by_volunteer(*, year: int, volunteer_ids=None) -> dict[int, Decimal]:
    rows = HoursEntry.objects.filter(status=HoursEntry.Status.PENDING, service_date__year=year)
    if volunteer_ids is not None:
        rows = rows.filter(volunteer_id__in=list(volunteer_ids))
    return {row["volunteer_id"]: (row["total"] or ZERO).quantize(HOURS_STEP)
            for row in rows.values("volunteer_id").annotate(total=Sum("hours"))}


def hours_by_activity(*, volunteer: Volunteer, start: datetime.date, end: datetime.date, team: Team | None = None) -> list[dict]:
    """Approved hours in the period grouped by activity (a job's service item, a visit's district, a
    centre activity's title), corrections counted with what they correct. ``team`` limits to the
    records that team keeps. Rows: kind, activity, entries (originals), hours (Decimal)."""
    rows = _entries().filter(volunteer=volunteer, status=HoursEntry.Status.APPROVED,
                             service_date__gte=start, service_date__lte=end)
    if team is not None:
        rows = rows.filter(team=team)
    grouped: dict[tuple[str, str], dict] = {}
    for entry in rows.order_by("service_date", "pk"):
        key = (entry.kind, activity_label(entry.corrects or entry))
        row = grouped.setdefault(key, {"kind": entry.kind, "activity": key[1], "entries": 0, "hours": ZERO})
        row["hours"] += entry.hours
        if not entry.corrects_id:
            row["entries"] += 1
    return [row for row in grouped.values() if row["hours"] != 0]


def activity_label(entry: HoursEntry) -> str:
    if entry.kind == HoursEntry.Kind.TEAM_JOB and entry.request_id:
        return entry.request.product.title
    if entry.kind == HoursEntry.Kind.DISTRICT_VISIT and entry.district_visit_id:
        return gettext("District visit: %(region)s") % {"region": entry.district_visit.region.name}
    if entry.kind == HoursEntry.Kind.CENTRE_ACTIVITY and entry.centre_activity_id:
        return entry.centre_activity.title
    return str(entry.get_kind_display())


# --- progress and the duty list ------------------------------------------------------------------


@dataclass
class Progress:
    volunteer: Volunteer
    year: int
    approved: Decimal
    pending: Decimal
    owes_duty: bool
    duty: Decimal
    expected_by_today: Decimal  # the pace: the duty spread evenly over the year
    identities: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return max(self.duty - self.approved, ZERO) if self.owes_duty else ZERO

    @property
    def met(self) -> bool:
        return self.owes_duty and self.approved >= self.duty

    @property
    def behind_pace(self) -> bool:
        return self.owes_duty and self.approved < self.expected_by_today

    @property
    def percent(self) -> int:
        if not self.duty:
            return 100
        return min(100, int(self.approved * 100 / self.duty))

    @property
    def identity_labels(self) -> list[str]:
        return [str(Identity(code).label) for code in self.identities]


def expected_by(*, duty: Decimal, day: datetime.date) -> Decimal:
    """The pace: the share of the duty due by ``day`` if spread evenly over the calendar year."""
    days_in_year = 366 if calendar.isleap(day.year) else 365
    return (duty * Decimal(day.timetuple().tm_yday) / Decimal(days_in_year)).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)


def progress_rows(*, volunteers, year: int, today: datetime.date) -> list[Progress]:
    volunteers = list(volunteers)
    duty = volunteer_hours_duty(year=year)
    if year < today.year:
        expected = duty
    elif year > today.year:
        expected = ZERO
    else:
        expected = expected_by(duty=duty, day=today)
    ids = [v.pk for v in volunteers]
    approved = approved_hours_by_volunteer(year=year, volunteer_ids=ids)
    pending = pending_hours_by_volunteer(year=year, volunteer_ids=ids)
    rows = []
    for volunteer in volunteers:
        codes = volunteer.identity_codes
        owes = any(code in DUTY_IDENTITIES for code in codes)
        rows.append(Progress(volunteer=volunteer, year=year, approved=approved.get(volunteer.pk, ZERO),
                             pending=pending.get(volunteer.pk, ZERO), owes_duty=owes, duty=duty if owes else ZERO,
                             expected_by_today=expected if owes else ZERO, identities=codes))
    return rows


def volunteer_progress(*, volunteer: Volunteer, year: int, today: datetime.date) -> Progress:
    return progress_rows(volunteers=[volunteer], year=year, today=today)[0]


def team_progress(*, team: Team, year: int, today: datetime.date) -> list[Progress]:
    return progress_rows(volunteers=team_members(team=team), year=year, today=today)


def everyone_progress(*, year: int, today: datetime.date) -> list[Progress]:
    volunteers = Volunteer.objects.filter(user__is_active=True).select_related("user").prefetch_related("identities")
    rows = progress_rows(volunteers=volunteers, year=year, today=today)
    rows.sort(key=lambda p: (not p.owes_duty, p.approved, str(p.volunteer)))
    return rows


@dataclass
class DutyReport:
    year: int
    duty: Decimal
    met: list[Progress]
    not_met: list[Progress]

    @property
    def shortfall_total(self) -> Decimal:
        return sum((p.remaining for p in self.not_met), ZERO)


def duty_report(*, year: int, today: datetime.date) -> DutyReport:
    """Year-end duty list: every duty holder with their approved hours in ``year``, met or not met."""
    rows = progress_rows(volunteers=duty_holders(), year=year, today=today)
    met = sorted([p for p in rows if p.met], key=lambda p: (-p.approved, str(p.volunteer)))
    not_met = sorted([p for p in rows if not p.met], key=lambda p: (p.approved, str(p.volunteer)))
    return DutyReport(year=year, duty=volunteer_hours_duty(year=year), met=met, not_met=not_met)


@dataclass
class TeamRanking:
    team: Team
    hours: Decimal
    jobs_completed: int
    members_serving: int


def commendations(*, year: int, limit: int = 20) -> tuple[list[tuple[Volunteer, Decimal]], list[TeamRanking]]:
    """The commendation lists: volunteers by approved hours in the year (all kinds of service), and teams
    by the approved hours they kept, then by jobs completed. Ties by name."""
    totals = approved_hours_by_volunteer(year=year)
    volunteers = Volunteer.objects.filter(pk__in=[pk for pk, hours in totals.items() if hours > 0]).select_related("user")
    people = sorted(((v, totals[v.pk]) for v in volunteers), key=lambda pair: (-pair[1], str(pair[0])))[:limit]
    team_rows = (
        HoursEntry.objects.filter(status=HoursEntry.Status.APPROVED, service_date__year=year, team__isnull=False)
        .values("team_id").annotate(total=Sum("hours"), serving=Count("volunteer", distinct=True))
    )
    by_team = {row["team_id"]: row for row in team_rows}
    completed = dict(
        TeamAssignment.objects.filter(status=TeamAssignment.Status.COMPLETED, completed_at__year=year)
        .values_list("team_id").annotate(n=Count("pk"))
    )
    teams = Team.objects.filter(pk__in=set(by_team) | set(completed))
    ranking = [
        TeamRanking(team=team, hours=(by_team.get(team.pk, {}).get("total") or ZERO).quantize(HOURS_STEP),
                    jobs_completed=completed.get(team.pk, 0), members_serving=by_team.get(team.pk, {}).get("serving", 0))
        for team in teams
    ]
    ranking.sort(key=lambda r: (-r.hours, -r.jobs_completed, r.team.name))
    return people, ranking[:limit]


def centre_activities_recent(*, limit: int = 30) -> QuerySet[CentreActivity]:
    return CentreActivity.objects.select_related("region", "organised_by").order_by("-starts_at", "-pk")[:limit]


def centre_activity_get(*, pk: int) -> CentreActivity:
    return get_object_or_404(CentreActivity, pk=pk)


# --- deputies ------------------------------------------------------------------------------------


def is_deputy(*, volunteer: Volunteer | None) -> bool:
    return volunteer is not None and any(code in DEPUTY_IDENTITIES for code in volunteer.identity_codes)


def visits_of_deputy(*, volunteer: Volunteer | None) -> QuerySet[DistrictVisit]:
    if volunteer is None:
        return DistrictVisit.objects.none()
    return DistrictVisit.objects.filter(deputy=volunteer).select_related("region").order_by("-visited_on", "-pk")


def visit_of_deputy(*, volunteer: Volunteer | None, pk: int) -> DistrictVisit:
    return get_object_or_404(visits_of_deputy(volunteer=volunteer), pk=pk)


def district_visits_flagged(*, today: datetime.date) -> QuerySet[DistrictVisit]:
    """Visits whose report was filed late, or is past due and still not filed."""
    return (
        DistrictVisit.objects.filter(Q(report_late=True) | Q(report_filed_at__isnull=True, report_due_on__lt=today))
        .select_related("deputy__user", "region").order_by("report_due_on", "pk")
    )


def deputies_without_visit(*, year: int, month: int) -> QuerySet[Volunteer]:
    """Deputies with no district visit recorded in that month ("at least monthly")."""
    visited = DistrictVisit.objects.filter(visited_on__year=year, visited_on__month=month).values("deputy_id")
    return (Volunteer.objects.filter(identities__identity__in=DEPUTY_IDENTITIES, user__is_active=True)
            .exclude(pk__in=visited).distinct().select_related("user"))


# --- certificates --------------------------------------------------------------------------------


def certificates_of_volunteer(*, volunteer: Volunteer | None) -> QuerySet[Certificate]:
    if volunteer is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(volunteer=volunteer).select_related("team").order_by("-issued_at", "-pk")


def certificate_by_number(*, number: str) -> Certificate | None:
    number = (number or "").strip().upper()
    if not number:
        return None
    return Certificate.objects.filter(number=number).select_related("team", "volunteer__user").first()


def certificate_for(*, user, number: str) -> Certificate:
    """The certificate for download: the holder, a lead of the issuing team or centre staff; else 404."""
    certificate = certificate_by_number(number=number)
    if certificate is None:
        from django.http import Http404

        raise Http404
    if (certificate.volunteer.user_id == user.pk
            or has_role(user, Role.CENTRE_AGENT, Role.ADMINISTRATOR)
            or (certificate.team_id and is_team_lead(team=certificate.team, user=user))):
        return certificate
    from django.http import Http404

    raise Http404


def mask_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王*明: enough for a verifier holding the paper, little for a stranger."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def previous_month(day: datetime.date) -> tuple[int, int]:
    first = day.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month
