"""Writes of the volunteers app: people and teams, offering public-interest requests to teams (by an
agent or the router), the team's job (accept, assign members, check in and out, complete), the hours
ledger (log, approve or decline, correct), deputies' district visits, centre activities, duty reminders
and certificates.

The hours ledger is append-only. Hours are exact decimals in hundredths of an hour; input with more
places is refused, never rounded. The one rounding step is a checked-in duration, rounded half-up to
the hundredth (``duration_hours``). Request status moves only through
``marketplace.services.request_transition``.
"""
from __future__ import annotations

import datetime
import logging
import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import NotYours
from marketplace.models import RequestStatus as R
from marketplace.models import ServiceRequest
from marketplace.roles import Role, has_role, role_group
from marketplace.services import request_transition
from volunteers import selectors
from volunteers.errors import (
    ApprovalRefused,
    AssignmentClosed,
    CertificateRefused,
    DispatchRefused,
    EntryLocked,
    HoursInvalid,
    NotTeamLead,
    OwnHoursApproval,
    VisitInvalid,
    VolunteerInvalid,
)
from volunteers.models import (
    DEPUTY_IDENTITIES,
    Attendance,
    CentreActivity,
    Certificate,
    DistrictVisit,
    DutyReminder,
    HoursEntry,
    Identity,
    Membership,
    Team,
    TeamAssignment,
    Volunteer,
    VolunteerIdentity,
)

logger = logging.getLogger("volunteers")

HOURS_STEP = Decimal("0.01")
MAX_HOURS_PER_DAY = Decimal("24.00")
# A check-in farther than this from the request's address is kept but flagged for the lead.
ON_SITE_METRES = 1000


# --- small rules ---------------------------------------------------------------------------------


def parse_hours(value, *, allow_negative: bool = False, field: str | None = None) -> Decimal:
    """Hours as typed by a person: a number with at most two decimal places, more than zero and at
    most 24 (a correction may be negative). Refused with a message, never rounded."""
    field = field or _("Hours")
    if isinstance(value, float):
        raise HoursInvalid(_("%(field)s must be given as text or Decimal, not a float.") % {"field": field})
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise HoursInvalid(_("%(field)s: “%(value)s” is not a number of hours.") % {"field": field, "value": value},
                           code="hours_not_a_number") from None
    if not hours.is_finite():
        raise HoursInvalid(_("%(field)s: “%(value)s” is not a number of hours.") % {"field": field, "value": value},
                           code="hours_not_a_number")
    if hours != hours.quantize(HOURS_STEP):
        raise HoursInvalid(_("%(field)s: %(value)s has more than two decimal places.") % {"field": field, "value": hours},
                           code="hours_too_precise")
    if not allow_negative and hours <= 0:
        raise HoursInvalid(_("%(field)s must be more than zero (got %(value)s).") % {"field": field, "value": hours},
                           code="hours_not_positive")
    if abs(hours) > MAX_HOURS_PER_DAY:
        raise HoursInvalid(_("%(field)s: %(value)s is more than %(max)s hours in one day.")
                           % {"field": field, "value": hours, "max": int(MAX_HOURS_PER_DAY)}, code="hours_too_many")
    return hours.quantize(HOURS_STEP)


def duration_hours(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    """The one rounding step: a checked-in duration in hours, half-up to the hundredth (36 seconds)."""
    seconds = Decimal(int((end - start).total_seconds()))
    return (seconds / Decimal(3600)).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)


def report_due_on(visited_on: datetime.date) -> datetime.date:
    """DOMAIN.md: deputies "file what they collected by the 10th of each month" — a visit's report is
    due on the 10th of the month after the visit."""
    first_of_next = (visited_on.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_of_next.replace(day=10)


def _is_centre(user) -> bool:
    return has_role(user, Role.CENTRE_AGENT, Role.ADMINISTRATOR)


def _require_lead(team: Team, user) -> None:
    if not selectors.is_team_lead(team=team, user=user):
        raise NotTeamLead(_("Only a lead of %(team)s may do this.") % {"team": team.name})


def _service_date_check(service_date: datetime.date, today: datetime.date, *, earliest: datetime.date | None = None) -> None:
    if service_date > today:
        raise HoursInvalid(_("The service date %(date)s is in the future.") % {"date": service_date}, code="date_in_future")
    if earliest and service_date < earliest:
        raise HoursInvalid(_("The service date %(date)s is before the job was accepted (%(earliest)s).")
                           % {"date": service_date, "earliest": earliest}, code="date_before_job")


def _day_total_check(*, volunteer: Volunteer, service_date: datetime.date, adding: Decimal) -> None:
    """Pending and approved hours of one person on one day may not add up to more than 24."""
    logged = (
        HoursEntry.objects.filter(volunteer=volunteer, service_date=service_date,
                                  status__in=[HoursEntry.Status.PENDING, HoursEntry.Status.APPROVED])
        .aggregate(total=Sum("hours"))["total"] or Decimal(0)
    )
    if logged + adding > MAX_HOURS_PER_DAY:
        raise HoursInvalid(
            _("%(name)s already has %(logged)s hours on %(date)s; another %(adding)s would be more than 24.")
            % {"name": volunteer, "logged": logged, "date": service_date, "adding": adding},
            code="day_over_24_hours",
        )


def _notify(user, *, subject: str, body: str) -> None:
    """An in-site notification (Oscar's inbox) and, if the person has an email address, an email."""
    from django.core.mail import send_mail
    from oscar.core.loading import get_model

    Notification = get_model("communication", "Notification")
    Notification.objects.create(recipient=user, subject=subject[:255], body=body)
    if user.email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=True))


# --- people and teams ----------------------------------------------------------------------------


@transaction.atomic
def volunteer_register(*, user, identities=(), today: datetime.date | None = None) -> Volunteer:
    """Make ``user`` a volunteer (once) with the given identities added; puts them in the volunteer role."""
    unknown = set(identities) - set(Identity.values)
    if unknown:
        raise VolunteerInvalid(_("Unknown identities: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    volunteer, _created = Volunteer.objects.get_or_create(user=user, defaults={"joined_on": today or timezone.localdate()})
    for identity in identities:
        VolunteerIdentity.objects.get_or_create(volunteer=volunteer, identity=identity)
    user.groups.add(role_group(Role.VOLUNTEER))
    return volunteer


@transaction.atomic
def volunteer_identities_set(*, volunteer: Volunteer, identities) -> Volunteer:
    """Replace a volunteer's identities (a person may hold several)."""
    identities = set(identities)
    unknown = identities - set(Identity.values)
    if unknown:
        raise VolunteerInvalid(_("Unknown identities: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    volunteer.identities.exclude(identity__in=identities).delete()
    for identity in identities:
        VolunteerIdentity.objects.get_or_create(volunteer=volunteer, identity=identity)
    return volunteer


@transaction.atomic
def team_create(*, code: str, name: str, area, skills=(), description: str = "") -> Team:
    if not name.strip() or not code.strip():
        raise VolunteerInvalid(_("A team needs a code and a name."))
    if Team.objects.filter(name=name.strip()).exists() or Team.objects.filter(code=code.strip()).exists():
        raise VolunteerInvalid(_("A team with this code or name already exists."))
    team = Team.objects.create(code=code.strip(), name=name.strip(), area=area, description=description)
    team.skills.set(skills)
    return team


@transaction.atomic
def team_member_add(*, team: Team, volunteer: Volunteer, is_lead: bool = False, today: datetime.date | None = None) -> Membership:
    """Add (or re-add) a member; a lead also gets the team_lead role."""
    membership, created = Membership.objects.get_or_create(
        team=team, volunteer=volunteer, defaults={"is_lead": is_lead, "joined_on": today or timezone.localdate()}
    )
    if not created and (membership.is_lead != is_lead or membership.left_on is not None):
        membership.is_lead, membership.left_on = is_lead, None
        membership.save(update_fields=["is_lead", "left_on"])
    membership_roles_sync(volunteer=volunteer)
    return membership


def membership_roles_sync(*, volunteer: Volunteer) -> None:
    """The volunteer role for every volunteer; team_lead for whoever leads a team."""
    user = volunteer.user
    user.groups.add(role_group(Role.VOLUNTEER))
    if volunteer.memberships.filter(is_lead=True, left_on__isnull=True).exists():
        user.groups.add(role_group(Role.TEAM_LEAD))
    user.__dict__.pop("_role_cache", None)


# --- offering public-interest requests to teams --------------------------------------------------


def _offer_to_team(*, request: ServiceRequest, team: Team, actor, reason: str, now: datetime.datetime) -> TeamAssignment:
    assignment = TeamAssignment.objects.create(request=request, team=team, offered_at=now, offered_by=actor,
                                               offer_reason=reason[:300])
    request_transition(request=request, to_status=R.OFFERED, actor=actor, now=now, volunteer_team_id=team.pk,
                       reason=_("offered to volunteer team %(team)s: %(reason)s") % {"team": team.name, "reason": reason})
    for lead in selectors.team_leads(team=team):
        _notify(lead.user, subject=_("New job offered to %(team)s: #%(id)s %(item)s")
                % {"team": team.name, "id": request.pk, "item": request.product.title},
                body=_("%(address)s — %(description)s") % {"address": request.address, "description": request.description})
    return assignment


def _dispatchable_check(*, request: ServiceRequest, team: Team) -> None:
    if not selectors.is_public_interest(request=request):
        raise DispatchRefused(_("Request #%(id)s is not public-interest work; it goes to a company.") % {"id": request.pk},
                              code="not_public_interest")
    if not team.active:
        raise DispatchRefused(_("%(team)s is not active.") % {"team": team.name}, code="team_inactive")
    if not selectors.team_leads(team=team):
        raise DispatchRefused(_("%(team)s has no lead to accept the job.") % {"team": team.name}, code="team_without_lead")
    earlier = TeamAssignment.objects.filter(request=request, team=team).first()
    if earlier:
        raise DispatchRefused(_("%(team)s was already offered request #%(id)s (%(status)s).")
                              % {"team": team.name, "id": request.pk, "status": earlier.get_status_display()},
                              code="team_already_offered")


@transaction.atomic
def team_dispatch(*, request: ServiceRequest, team: Team, actor, reason: str, now: datetime.datetime | None = None) -> TeamAssignment:
    """An agent offers a public-interest request to a team, with a reason; a lead accepts or declines.
    A request still offered to another team is taken back from it first. The agent becomes the
    request's owner if nobody is (首问负责)."""
    now = now or timezone.now()
    if not _is_centre(actor):
        raise NotYours(_("Only the service centre dispatches requests to teams."))
    if not reason or not reason.strip():
        raise DispatchRefused(_("Say why this team is chosen."), code="reason_required")
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    _dispatchable_check(request=request, team=team)
    if request.status == R.OFFERED:
        live = TeamAssignment.objects.select_for_update().filter(request=request, status=TeamAssignment.Status.OFFERED).first()
        if live is None:
            raise DispatchRefused(_("Request #%(id)s is offered to a company; wait for its answer.") % {"id": request.pk},
                                  code="offered_to_company")
        live.status, live.responded_at, live.decline_reason = TeamAssignment.Status.WITHDRAWN, now, reason.strip()[:300]
        live.save(update_fields=["status", "responded_at", "decline_reason"])
        request_transition(request=request, to_status=R.ESCALATED, actor=actor, now=now, volunteer_team_id=None,
                           reason=_("taken back from %(team)s by an agent") % {"team": live.team.name})
    if request.status not in (R.SUBMITTED, R.ESCALATED):
        raise DispatchRefused(
            _("Request #%(id)s is %(status)s; only a waiting or escalated request can be dispatched.")
            % {"id": request.pk, "status": R(request.status).label}, code="request_not_waiting",
        )
    if request.owner_id is None:
        request.owner = actor
        request.save(update_fields=["owner"])
    return _offer_to_team(request=request, team=team, actor=actor, reason=reason.strip(), now=now)


def public_interest_requests_route(*, now: datetime.datetime | None = None) -> dict[int, int | None]:
    """The router: offer every waiting public-interest request to the best team (``teams_suggest``:
    area and skills, nearest first). A request no team can take goes to the agents' supervise queue.
    A request a team declined (escalated) is offered to the next team, up to the policy's
    ``escalate_after_declines``; after that it waits for an agent. Returns request id → team id."""
    now = now or timezone.now()
    routed: dict[int, int | None] = {}
    for request_id in selectors.public_interest_requests_waiting(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            request = ServiceRequest.objects.select_for_update(skip_locked=True).filter(
                pk=request_id, status__in=[R.SUBMITTED, R.ESCALATED]).first()
            if request is None or TeamAssignment.objects.filter(request=request, status__in=TeamAssignment.LIVE).exists():
                continue  # taken meanwhile, or locked by an agent's dispatch
            suggestions = selectors.teams_suggest(request=request)
            if suggestions:
                best = suggestions[0]
                _offer_to_team(request=request, team=best.team, actor=None, now=now,
                               reason=_("the nearest team with the skill (%(km)s km)") % {"km": f"{best.distance_km:.1f}"})
                routed[request.pk] = best.team.pk
            elif request.status == R.SUBMITTED:
                request_transition(request=request, to_status=R.ESCALATED, actor=None, now=now,
                                   reason=_("no volunteer team covers this area with this skill"))
                routed[request.pk] = None
    return routed


def team_assignments_withdraw_for_request(*, request: ServiceRequest, reason: str, now: datetime.datetime | None = None) -> int:
    """The request was cancelled (or taken over): its offered or accepted team assignment is withdrawn,
    so the team no longer sees it as work. For ``marketplace.services.request_cancel`` to call, like
    ``matching.services.offers_withdraw_for_request``."""
    return TeamAssignment.objects.filter(
        request=request, status__in=[TeamAssignment.Status.OFFERED, TeamAssignment.Status.ACCEPTED]
    ).update(status=TeamAssignment.Status.WITHDRAWN, decline_reason=reason[:300], responded_at=now or timezone.now())


def _lock_assignment(assignment: TeamAssignment) -> tuple[ServiceRequest, TeamAssignment]:
    request = ServiceRequest.objects.select_for_update().get(pk=assignment.request_id)
    locked = TeamAssignment.objects.select_for_update().select_related("team").get(pk=assignment.pk)
    return request, locked


@transaction.atomic
def team_assignment_accept(*, assignment: TeamAssignment, lead, members=(), now: datetime.datetime | None = None) -> TeamAssignment:
    """A lead takes the job for the team (and may assign members at once)."""
    now = now or timezone.now()
    request, assignment = _lock_assignment(assignment)
    _require_lead(assignment.team, lead)
    if assignment.status != TeamAssignment.Status.OFFERED or request.status != R.OFFERED:
        raise AssignmentClosed(_("Request #%(id)s is no longer offered to %(team)s (%(status)s).")
                               % {"id": request.pk, "team": assignment.team.name, "status": assignment.get_status_display()})
    assignment.status, assignment.responded_at, assignment.responded_by = TeamAssignment.Status.ACCEPTED, now, lead
    assignment.save(update_fields=["status", "responded_at", "responded_by"])
    request_transition(request=request, to_status=R.ACCEPTED, actor=lead, now=now, volunteer_team_id=assignment.team_id,
                       reason=_("accepted by volunteer team %(team)s") % {"team": assignment.team.name})
    if members:
        team_assignment_members_set(assignment=assignment, lead=lead, members=members)
    return assignment


@transaction.atomic
def team_assignment_decline(*, assignment: TeamAssignment, lead, reason: str, now: datetime.datetime | None = None) -> TeamAssignment:
    """A lead declines with a reason. The request goes to the supervise queue (escalated), where the
    router offers it to the next team or an agent dispatches it."""
    now = now or timezone.now()
    if not reason or not reason.strip():
        raise DispatchRefused(_("Say why the team declines."), code="reason_required")
    request, assignment = _lock_assignment(assignment)
    _require_lead(assignment.team, lead)
    if assignment.status != TeamAssignment.Status.OFFERED:
        raise AssignmentClosed(_("This offer is no longer open (%(status)s).") % {"status": assignment.get_status_display()})
    assignment.status, assignment.responded_at, assignment.responded_by = TeamAssignment.Status.DECLINED, now, lead
    assignment.decline_reason = reason.strip()[:300]
    assignment.save(update_fields=["status", "responded_at", "responded_by", "decline_reason"])
    # TRANSITIONS has no offered → submitted; escalated is the allowed way back to "waiting" (see docs/volunteers.md).
    request_transition(request=request, to_status=R.ESCALATED, actor=lead, now=now, volunteer_team_id=None,
                       reason=_("%(team)s declined: %(reason)s") % {"team": assignment.team.name, "reason": reason.strip()})
    return assignment


@transaction.atomic
def team_assignment_members_set(*, assignment: TeamAssignment, lead, members) -> TeamAssignment:
    """The lead names who goes. Every one must be a current member of the team."""
    _request, assignment = _lock_assignment(assignment)
    _require_lead(assignment.team, lead)
    if assignment.status != TeamAssignment.Status.ACCEPTED:
        raise AssignmentClosed(_("Members can be assigned only to a job the team has accepted and not finished."))
    members = list(members)
    if not members:
        raise VolunteerInvalid(_("Choose at least one member."), code="members_required")
    current = set(selectors.team_members(team=assignment.team).values_list("pk", flat=True))
    strangers = [str(m) for m in members if m.pk not in current]
    if strangers:
        raise VolunteerInvalid(_("Not members of %(team)s: %(names)s") % {"team": assignment.team.name, "names": ", ".join(strangers)},
                               code="not_a_member")
    # People who already checked in stay on the job.
    checked_in = Volunteer.objects.filter(attendances__assignment=assignment)
    assignment.members.set(set(members) | set(checked_in))
    return assignment


def _may_work_on(assignment: TeamAssignment, user) -> bool:
    return selectors.is_team_lead(team=assignment.team, user=user) or assignment.members.filter(user=user).exists()


@transaction.atomic
def team_job_set_off(*, assignment: TeamAssignment, actor, now: datetime.datetime | None = None) -> ServiceRequest:
    """The lead or an assigned member says the team is on the way."""
    request, assignment = _lock_assignment(assignment)
    if not _may_work_on(assignment, actor):
        raise NotYours(_("You are not on this job."))
    if assignment.status != TeamAssignment.Status.ACCEPTED:
        raise AssignmentClosed(_("The team does not hold this job."))
    return request_transition(request=request, to_status=R.ON_THE_WAY, actor=actor, now=now)


@transaction.atomic
def attendance_check_in(*, assignment: TeamAssignment, volunteer: Volunteer, latitude, longitude, place: str = "",
                        now: datetime.datetime | None = None) -> Attendance:
    """An assigned member checks in on site (time and place). The first check-in starts the service
    (accepted / on the way → in service). A check-in far from the address is kept and flagged."""
    now = now or timezone.now()
    request, assignment = _lock_assignment(assignment)
    if not assignment.members.filter(pk=volunteer.pk).exists():
        raise NotYours(_("You are not assigned to this job; ask your team lead."), code="not_assigned")
    if assignment.status != TeamAssignment.Status.ACCEPTED or request.status not in (R.ACCEPTED, R.ON_THE_WAY, R.IN_SERVICE):
        raise AssignmentClosed(_("The job is over or no longer the team's; check-in is closed."))
    try:
        lat, lng = Decimal(str(latitude)).quantize(Decimal("0.000001")), Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise HoursInvalid(_("The place is not a latitude/longitude pair."), code="invalid_location") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise HoursInvalid(_("The place is outside the map."), code="invalid_location")
    if Attendance.objects.filter(assignment=assignment, volunteer=volunteer, checked_out_at__isnull=True).exists():
        raise HoursInvalid(_("You are already checked in on this job."), code="already_checked_in")
    distance = selectors.distance_km(float(lat), float(lng), float(request.latitude), float(request.longitude))
    attendance = Attendance.objects.create(
        assignment=assignment, volunteer=volunteer, checked_in_at=now, check_in_latitude=lat, check_in_longitude=lng,
        check_in_place=place.strip()[:200], check_in_distance_m=round(distance * 1000),
    )
    if request.status == R.ACCEPTED:
        request_transition(request=request, to_status=R.ON_THE_WAY, actor=volunteer.user, now=now)
    if request.status == R.ON_THE_WAY:
        request_transition(request=request, to_status=R.IN_SERVICE, actor=volunteer.user, now=now,
                           reason=_("%(name)s checked in on site") % {"name": volunteer})
    return attendance


@transaction.atomic
def attendance_check_out(*, assignment: TeamAssignment, volunteer: Volunteer, latitude, longitude, place: str = "",
                         now: datetime.datetime | None = None) -> Attendance:
    """Check out: the time since check-in becomes a pending hours entry for the lead (or the resident)
    to approve. A stay of more than 24 hours is not booked: the lead records the real hours."""
    now = now or timezone.now()
    _request, assignment = _lock_assignment(assignment)
    attendance = (Attendance.objects.select_for_update()
                  .filter(assignment=assignment, volunteer=volunteer, checked_out_at__isnull=True).first())
    if attendance is None:
        raise HoursInvalid(_("You are not checked in on this job."), code="not_checked_in")
    try:
        lat, lng = Decimal(str(latitude)).quantize(Decimal("0.000001")), Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise HoursInvalid(_("The place is not a latitude/longitude pair."), code="invalid_location") from None
    attendance.checked_out_at, attendance.check_out_latitude, attendance.check_out_longitude = now, lat, lng
    attendance.check_out_place = place.strip()[:200]
    hours = duration_hours(attendance.checked_in_at, now)
    if Decimal(0) < hours <= MAX_HOURS_PER_DAY:
        far = attendance.check_in_distance_m > ON_SITE_METRES
        description = _("checked in %(start)s, out %(end)s") % {
            "start": timezone.localtime(attendance.checked_in_at).strftime("%H:%M"), "end": timezone.localtime(now).strftime("%H:%M")}
        if far:
            description += _(" (checked in %(m)s m from the address)") % {"m": attendance.check_in_distance_m}
        attendance.entry = HoursEntry.objects.create(
            volunteer=volunteer, kind=HoursEntry.Kind.TEAM_JOB, hours=hours,
            service_date=timezone.localtime(attendance.checked_in_at).date(), description=description[:300],
            team=assignment.team, request_id=assignment.request_id, assignment=assignment,
            recorded_by=volunteer.user, recorded_at=now,
        )
    attendance.save()
    return attendance


@transaction.atomic
def team_job_complete(*, assignment: TeamAssignment, lead, resolution: str, now: datetime.datetime | None = None) -> ServiceRequest:
    """The lead records the work as done (free: final price ¥0.00). Nobody may still be checked in."""
    now = now or timezone.now()
    request, assignment = _lock_assignment(assignment)
    _require_lead(assignment.team, lead)
    if not resolution or not resolution.strip():
        raise VolunteerInvalid(_("Write what the team did."), code="resolution_missing")
    if assignment.status != TeamAssignment.Status.ACCEPTED:
        raise AssignmentClosed(_("The team does not hold this job."))
    still_in = Attendance.objects.filter(assignment=assignment, checked_out_at__isnull=True).select_related("volunteer__user")
    if still_in:
        raise VolunteerInvalid(_("Still checked in: %(names)s. They check out first.")
                               % {"names": ", ".join(str(a.volunteer) for a in still_in)}, code="still_checked_in")
    if request.status != R.IN_SERVICE:
        raise AssignmentClosed(_("Nobody has checked in on site yet; the job has not started."), code="not_started")
    assignment.status, assignment.completed_at = TeamAssignment.Status.COMPLETED, now
    assignment.save(update_fields=["status", "completed_at"])
    return request_transition(request=request, to_status=R.COMPLETED, actor=lead, now=now, reason=resolution.strip(),
                              final_price=Decimal("0.00"), resolution=resolution.strip())


# --- the hours ledger ----------------------------------------------------------------------------


@transaction.atomic
def hours_log(*, assignment: TeamAssignment, volunteer: Volunteer, hours, service_date: datetime.date, actor,
              description: str = "", now: datetime.datetime | None = None) -> HoursEntry:
    """Hours on a team job logged afterwards: by the member themself (when assigned) or by a lead of
    the team for any member (who is then added to the job). The entry waits for approval."""
    now = now or timezone.now()
    hours = parse_hours(hours)
    _request, assignment = _lock_assignment(assignment)
    is_lead = selectors.is_team_lead(team=assignment.team, user=actor)
    if not is_lead and actor.pk != volunteer.user_id:
        raise NotYours(_("Only the member or a lead of the team may log these hours."))
    if assignment.status not in (TeamAssignment.Status.ACCEPTED, TeamAssignment.Status.COMPLETED):
        raise AssignmentClosed(_("The team does not hold this job."))
    if is_lead:
        if not selectors.team_members(team=assignment.team).filter(pk=volunteer.pk).exists():
            raise VolunteerInvalid(_("%(name)s is not a member of %(team)s.") % {"name": volunteer, "team": assignment.team.name},
                                   code="not_a_member")
        assignment.members.add(volunteer)
    elif not assignment.members.filter(pk=volunteer.pk).exists():
        raise NotYours(_("You are not assigned to this job; ask your team lead."), code="not_assigned")
    _service_date_check(service_date, timezone.localdate(now),
                        earliest=timezone.localtime(assignment.responded_at).date() if assignment.responded_at else None)
    _day_total_check(volunteer=volunteer, service_date=service_date, adding=hours)
    return HoursEntry.objects.create(
        volunteer=volunteer, kind=HoursEntry.Kind.TEAM_JOB, hours=hours, service_date=service_date,
        description=description.strip()[:300], team=assignment.team, request_id=assignment.request_id,
        assignment=assignment, recorded_by=actor, recorded_at=now,
    )


def hours_approver_check(*, entry: HoursEntry, actor) -> None:
    """Who may approve or decline an entry. Rule: "hours are verified by the team lead, or confirmed by
    the resident who was served … a member never approves their own hours." Records the centre keeps
    (district visits, centre activities) are verified by a centre agent; a lead's own job hours may
    also be verified by the centre, since a lead cannot verify themself."""
    if entry.volunteer.user_id == actor.pk:
        raise OwnHoursApproval(_("You cannot approve or decline your own hours; your team lead or the resident served does."))
    if entry.team_id is None:
        if _is_centre(actor):
            return
        raise ApprovalRefused(_("Only the service centre verifies these hours."))
    if selectors.is_team_lead(team=entry.team, user=actor):
        return
    if entry.request_id and entry.request.resident_id == actor.pk:
        return
    if _is_centre(actor) and selectors.is_team_lead(team=entry.team, user=entry.volunteer.user):
        return
    raise ApprovalRefused(_("Only a lead of %(team)s or the resident served may verify these hours.") % {"team": entry.team.name})


def _decide(*, entry: HoursEntry, actor, to_status: str, reason: str, now: datetime.datetime | None) -> HoursEntry:
    now = now or timezone.now()
    hours_approver_check(entry=entry, actor=actor)
    if to_status == HoursEntry.Status.APPROVED and entry.corrects_id:
        # A correction may not take the original below zero (checked again at approval: both are final).
        net = selectors.entry_net_hours(entry=entry.corrects) + entry.hours
        if net < 0:
            raise HoursInvalid(_("This correction would leave %(net)s hours on the original entry.") % {"net": net},
                               code="correction_below_zero")
    # Claim the entry only if it is still pending: a decided entry is locked.
    changed = HoursEntry.objects.filter(pk=entry.pk, status=HoursEntry.Status.PENDING).update(
        status=to_status, decided_by=actor, decided_at=now, decision_reason=reason.strip()[:300],
    )
    if changed != 1:
        entry.refresh_from_db()
        raise EntryLocked(_("This entry was already %(status)s; an approved entry changes only by a correction.")
                          % {"status": entry.get_status_display()})
    entry.refresh_from_db()
    return entry


@transaction.atomic
def hours_entry_approve(*, entry: HoursEntry, actor, reason: str = "", now: datetime.datetime | None = None) -> HoursEntry:
    return _decide(entry=entry, actor=actor, to_status=HoursEntry.Status.APPROVED, reason=reason, now=now)


@transaction.atomic
def hours_entry_decline(*, entry: HoursEntry, actor, reason: str, now: datetime.datetime | None = None) -> HoursEntry:
    if not reason or not reason.strip():
        raise HoursInvalid(_("Say why these hours are declined."), code="reason_required")
    return _decide(entry=entry, actor=actor, to_status=HoursEntry.Status.DECLINED, reason=reason, now=now)


@transaction.atomic
def hours_entry_correct(*, entry: HoursEntry, corrected_hours, reason: str, actor,
                        now: datetime.datetime | None = None) -> HoursEntry:
    """Correct an approved entry: say what it should have been. A new pending entry records the
    signed difference (e.g. 3.00 → 2.50 is −0.50) and references the original; once approved the
    total moves by exactly that. The original never changes. One correction waits at a time."""
    now = now or timezone.now()
    original = HoursEntry.objects.select_for_update().get(pk=(entry.corrects_id or entry.pk))
    if not reason or not reason.strip():
        raise HoursInvalid(_("Say why the hours are corrected."), code="reason_required")
    may_correct = (
        actor.pk == original.volunteer.user_id
        or (original.team_id and selectors.is_team_lead(team=original.team, user=actor))
        or _is_centre(actor)
    )
    if not may_correct:
        raise NotYours(_("Only the member, a lead of the team or the centre may correct these hours."))
    if original.status != HoursEntry.Status.APPROVED:
        raise EntryLocked(_("Only approved hours are corrected; a pending entry is declined and logged again."),
                          code="correct_only_approved")
    if original.corrections.filter(status=HoursEntry.Status.PENDING).exists():
        raise EntryLocked(_("A correction of this entry is already waiting for approval."), code="correction_pending")
    corrected = parse_hours(corrected_hours, allow_negative=True, field=_("Corrected hours"))
    if corrected < 0:
        raise HoursInvalid(_("Corrected hours may not be negative."), code="correction_below_zero")
    current = selectors.entry_net_hours(entry=original)
    difference = corrected - current
    if difference == 0:
        raise HoursInvalid(_("The entry already stands at %(hours)s hours.") % {"hours": current}, code="correction_no_change")
    return HoursEntry.objects.create(
        volunteer=original.volunteer, kind=original.kind, hours=difference, service_date=original.service_date,
        description=(_("correction %(old)s → %(new)s: %(reason)s") % {"old": current, "new": corrected, "reason": reason.strip()})[:300],
        team=original.team, request=original.request, assignment=original.assignment,
        district_visit=original.district_visit, centre_activity=original.centre_activity,
        corrects=original, recorded_by=actor, recorded_at=now,
    )


# --- deputies' district visits and centre activities -------------------------------------------


@transaction.atomic
def district_visit_record(*, volunteer: Volunteer, region, visited_on: datetime.date, hours, summary: str, actor,
                          now: datetime.datetime | None = None) -> DistrictVisit:
    """A deputy records a district visit; its hours wait for the centre's approval and its report is
    due by the 10th of the next month."""
    now = now or timezone.now()
    hours = parse_hours(hours)
    if actor.pk != volunteer.user_id and not _is_centre(actor):
        raise NotYours(_("Only the deputy or the centre records this visit."))
    if not volunteer.identities.filter(identity__in=DEPUTY_IDENTITIES).exists():
        raise VisitInvalid(_("District visits are for party deputies, people's congress deputies and CPPCC members."),
                           code="not_a_deputy")
    if region is None:
        raise VisitInvalid(_("Say which district was visited."), code="region_required")
    if not summary or not summary.strip():
        raise VisitInvalid(_("Summarise the visit in a line."), code="summary_required")
    _service_date_check(visited_on, timezone.localdate(now))
    _day_total_check(volunteer=volunteer, service_date=visited_on, adding=hours)
    visit = DistrictVisit.objects.create(deputy=volunteer, region=region, visited_on=visited_on, summary=summary.strip()[:300],
                                         report_due_on=report_due_on(visited_on), recorded_at=now)
    HoursEntry.objects.create(
        volunteer=volunteer, kind=HoursEntry.Kind.DISTRICT_VISIT, hours=hours, service_date=visited_on,
        description=(_("district visit: %(region)s") % {"region": region.name})[:300], district_visit=visit,
        recorded_by=actor, recorded_at=now,
    )
    return visit


@transaction.atomic
def district_visit_report_file(*, visit: DistrictVisit, actor, report: str, now: datetime.datetime | None = None) -> DistrictVisit:
    """File the visit's report. Filed after the 10th of the next month, it is flagged late for good."""
    now = now or timezone.now()
    visit = DistrictVisit.objects.select_for_update().select_related("deputy").get(pk=visit.pk)
    if actor.pk != visit.deputy.user_id and not _is_centre(actor):
        raise NotYours(_("Only the deputy files this report."))
    if not report or not report.strip():
        raise VisitInvalid(_("Write what was collected on the visit."), code="report_required")
    if visit.report_filed_at is not None:
        raise VisitInvalid(_("The report was filed on %(at)s.") % {"at": timezone.localtime(visit.report_filed_at).strftime("%Y-%m-%d")},
                           code="report_already_filed")
    visit.report, visit.report_filed_at = report.strip(), now
    visit.report_late = timezone.localdate(now) > visit.report_due_on
    visit.save(update_fields=["report", "report_filed_at", "report_late"])
    return visit


@transaction.atomic
def centre_activity_create(*, title: str, starts_at: datetime.datetime, ends_at: datetime.datetime, actor,
                           region=None, description: str = "") -> CentreActivity:
    if not _is_centre(actor):
        raise NotYours(_("Only the service centre organises centre activities."))
    if not title or not title.strip():
        raise VolunteerInvalid(_("Give the activity a title."), code="title_required")
    if ends_at <= starts_at:
        raise VolunteerInvalid(_("The activity must end after it starts."), code="window_invalid")
    return CentreActivity.objects.create(title=title.strip(), description=description.strip(), region=region,
                                         starts_at=starts_at, ends_at=ends_at, organised_by=actor)


@transaction.atomic
def centre_activity_hours_record(*, activity: CentreActivity, volunteer: Volunteer, actor, hours=None,
                                 now: datetime.datetime | None = None) -> HoursEntry:
    """The centre records a volunteer's attendance at its activity (by default the activity's length).
    Kept by the centre; verified by a centre agent other than the volunteer."""
    now = now or timezone.now()
    if not _is_centre(actor):
        raise NotYours(_("Only the service centre records attendance at its activities."))
    hours = parse_hours(hours if hours not in (None, "") else duration_hours(activity.starts_at, activity.ends_at))
    service_date = timezone.localtime(activity.starts_at).date()
    _service_date_check(service_date, timezone.localdate(now))
    if HoursEntry.objects.filter(centre_activity=activity, volunteer=volunteer, corrects__isnull=True,
                                 status__in=[HoursEntry.Status.PENDING, HoursEntry.Status.APPROVED]).exists():
        raise HoursInvalid(_("%(name)s's attendance is already recorded; correct it instead.") % {"name": volunteer},
                           code="already_recorded")
    _day_total_check(volunteer=volunteer, service_date=service_date, adding=hours)
    return HoursEntry.objects.create(
        volunteer=volunteer, kind=HoursEntry.Kind.CENTRE_ACTIVITY, hours=hours, service_date=service_date,
        description=activity.title[:300], centre_activity=activity, recorded_by=actor, recorded_at=now,
    )


# --- the yearly duty: reminders ------------------------------------------------------------------

# (month, day, share of the duty expected by then). Quarterly points, and a last call on 1 December
# for whoever has not yet met the whole duty.
REMINDER_CHECKPOINTS = ((4, 1, Decimal("0.25")), (7, 1, Decimal("0.50")), (10, 1, Decimal("0.75")), (12, 1, Decimal("1.00")))


def reminder_checkpoint(*, today: datetime.date) -> tuple[datetime.date, Decimal] | None:
    """The latest checkpoint of this year on or before ``today`` and its expected share, if any."""
    passed = [(datetime.date(today.year, month, day), share) for month, day, share in REMINDER_CHECKPOINTS
              if datetime.date(today.year, month, day) <= today]
    return passed[-1] if passed else None


def duty_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind everyone who owes the yearly duty and is behind pace at the latest checkpoint. One
    reminder per person per checkpoint (recorded), so running again — or late — sends nothing twice."""
    today = today or timezone.localdate()
    checkpoint = reminder_checkpoint(today=today)
    if checkpoint is None:
        return 0
    checkpoint_date, share = checkpoint
    duty = selectors.volunteer_hours_duty(year=today.year)
    expected = (duty * share).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)
    already = set(DutyReminder.objects.filter(checkpoint=checkpoint_date).values_list("volunteer_id", flat=True))
    totals = selectors.approved_hours_by_volunteer(year=today.year)
    sent = 0
    for volunteer in selectors.duty_holders().exclude(pk__in=already).select_related("user"):
        approved = totals.get(volunteer.pk, Decimal("0.00"))
        if approved >= expected:
            continue
        try:
            with transaction.atomic():
                DutyReminder.objects.create(volunteer=volunteer, checkpoint=checkpoint_date, approved_hours=approved,
                                            expected_hours=expected, duty_hours=duty, sent_at=timezone.now())
                _notify(volunteer.user,
                        subject=_("Volunteer hours: %(approved)s of %(duty)s so far this year") % {"approved": approved, "duty": duty},
                        body=_("By %(date)s we expected %(expected)s approved hours of your yearly duty of %(duty)s; "
                               "you have %(approved)s. %(remaining)s hours remain before 31 December.")
                        % {"date": checkpoint_date, "expected": expected, "duty": duty, "approved": approved,
                           "remaining": max(duty - approved, Decimal("0.00"))})
        except IntegrityError:
            continue  # another run sent it at the same moment
        sent += 1
    return sent


# --- certificates --------------------------------------------------------------------------------


def _certificate_number(today: datetime.date) -> str:
    """Not guessable from another certificate's number (the public page shows whose it is)."""
    return f"ZYFW{today:%Y%m%d}{secrets.token_hex(4).upper()}"


@transaction.atomic
def certificate_issue(*, volunteer: Volunteer, period_start: datetime.date, period_end: datetime.date, actor,
                      team: Team | None = None, now: datetime.datetime | None = None) -> Certificate:
    """Issue a volunteer service record certificate (志愿服务记录证明) for a person and period.

    "Whoever keeps the record issues the certificate": a team certifies the hours it kept (its jobs);
    the service centre, which keeps the platform's whole ledger, certifies all of them. Only approved
    hours count. The same request again (same figures) returns the certificate already issued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    allowed = actor.pk == volunteer.user_id or _is_centre(actor) or (team is not None and selectors.is_team_lead(team=team, user=actor))
    if not allowed:
        raise NotYours(_("Only the volunteer, a lead of the issuing team or the centre may issue this certificate."))
    if period_start > period_end:
        raise CertificateRefused(_("The period must start before it ends."), code="period_invalid")
    if period_end > today:
        raise CertificateRefused(_("The period may not end after today (%(today)s).") % {"today": today}, code="period_in_future")
    if team is not None and not Membership.objects.filter(team=team, volunteer=volunteer).exists():
        raise CertificateRefused(_("%(name)s has never been a member of %(team)s.") % {"name": volunteer, "team": team.name},
                                 code="not_a_member")
    activities = selectors.hours_by_activity(volunteer=volunteer, start=period_start, end=period_end, team=team)
    total = sum((row["hours"] for row in activities), Decimal("0.00"))
    if total <= 0:
        raise CertificateRefused(_("No approved hours between %(start)s and %(end)s to certify.")
                                 % {"start": period_start, "end": period_end}, code="no_hours")
    snapshot = [{**row, "hours": f"{row['hours']:.2f}"} for row in activities]
    existing = Certificate.objects.filter(volunteer=volunteer, team=team, period_start=period_start, period_end=period_end,
                                          total_hours=total).order_by("-issued_at").first()
    if existing and existing.activities == snapshot:
        return existing
    number = _certificate_number(today)
    while Certificate.objects.filter(number=number).exists():
        number = _certificate_number(today)
    return Certificate.objects.create(
        number=number, volunteer=volunteer, team=team,
        issuer_name=team.name if team else selectors.CENTRE_NAME,
        holder_name=str(volunteer.user), holder_identities=volunteer.identity_codes,
        period_start=period_start, period_end=period_end, total_hours=total, activities=snapshot,
        issued_on=today, issued_at=now, issued_by=actor,
    )
