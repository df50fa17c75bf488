"""Web pages of the volunteer work: the volunteer's own (my jobs, check in and out, log hours, my
progress, certificates, district visits), the team lead's (offers, members, hours to approve, team
progress), the resident's (confirm hours on my request), the centre's (everyone's progress, duty list,
commendations, dispatch to teams, visits, activities) and the public certificate check.

Views stay thin: they check the role, read through volunteers.selectors and hand every write to
volunteers.services, showing a refusal as a message or on the form. Another team's job or hours, or
another resident's request, answers 404.
"""
from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.errors import DomainError
from marketplace.models import RequestStatus as R
from marketplace.roles import Role, role_required
from volunteers import forms, selectors, services
from volunteers.certificates import certificate_pdf
from volunteers.models import HoursEntry, TeamAssignment

VOLUNTEER_ROLES = (Role.VOLUNTEER, Role.TEAM_LEAD)
CENTRE_ROLES = (Role.CENTRE_AGENT, Role.ADMINISTRATOR)
# Who may open the approve / decline actions at all; which entries each may decide is the service's rule.
DECIDER_ROLES = (Role.TEAM_LEAD, Role.VOLUNTEER, Role.RESIDENT, Role.CENTRE_AGENT, Role.ADMINISTRATOR)
LEDGER_SHOWN = 15
# Which field of the visit form a refusal from district_visit_record belongs on (by error code).
_VISIT_ERROR_FIELDS = {"summary_required": "summary", "date_in_future": "visited_on", "region_required": "region",
                       "day_over_24_hours": "hours"}


def _back_to(request, default: str, *args):
    """Where a POST returns: the page it came from (a same-site ``next``), else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default, *args)


def _year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw:
        try:
            year = int(raw)
            if 2000 <= year <= today.year + 1:
                return year
        except ValueError:
            pass
        messages.error(request, _("“%(year)s” is not a year; showing %(current)s.") % {"year": raw, "current": today.year})
    return today.year


def volunteer_page(view):
    """Volunteers and leads; the view gets the user's volunteer record. A user with the role but no
    record sees an explanation."""

    @role_required(*VOLUNTEER_ROLES)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        volunteer = selectors.volunteer_of_user(user=request.user)
        if volunteer is None:
            return render(request, "volunteers/no_volunteer.html")
        return view(request, volunteer, *args, **kwargs)

    return wrapped


def lead_page(view):
    """Team leads, for a team they lead (any other team answers 404)."""

    @role_required(Role.TEAM_LEAD)
    @wraps(view)
    def wrapped(request, pk: int, *args, **kwargs):
        team = selectors.team_led_by(user=request.user, pk=pk)
        return view(request, team, *args, **kwargs)

    return wrapped


# --- the volunteer -------------------------------------------------------------------------------


@require_GET
@volunteer_page
def volunteer_home(request, volunteer):
    """My progress this year, my teams, my jobs (with check-in and out) and my latest hours."""
    today = timezone.localdate()
    year = _year(request)
    jobs = list(selectors.jobs_of_volunteer(volunteer=volunteer).filter(
        status__in=[TeamAssignment.Status.ACCEPTED, TeamAssignment.Status.COMPLETED])[:20])
    open_ids = selectors.jobs_checked_in(volunteer=volunteer)
    return render(request, "volunteers/home.html", {
        "volunteer": volunteer, "year": year,
        "progress": selectors.volunteer_progress(volunteer=volunteer, year=year, today=today),
        "teams": selectors.teams_of_volunteer(volunteer=volunteer),
        "led": set(selectors.teams_led_by(user=request.user).values_list("pk", flat=True)),
        "jobs": [(job, job.pk in open_ids) for job in jobs],
        "entries": selectors.hours_of_volunteer(volunteer=volunteer)[:LEDGER_SHOWN],
        "check_form": forms.CheckForm(), "log_form": forms.HoursLogForm(initial={"service_date": today}),
        "is_deputy": selectors.is_deputy(volunteer=volunteer),
    })


def _job_action(request, volunteer, pk: int, action, done: str):
    job = selectors.job_of_volunteer(volunteer=volunteer, pk=pk)
    try:
        action(job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"id": job.request_id})
    return _back_to(request, "volunteer-home")


def _place(request) -> dict | None:
    form = forms.CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the place as latitude and longitude (your phone fills them in)."))
        return None
    return form.cleaned_data


@require_POST
@volunteer_page
def volunteer_job_check_in(request, volunteer, pk: int):
    place = _place(request)
    if place is None:
        return _back_to(request, "volunteer-home")
    return _job_action(request, volunteer, pk, lambda job: services.attendance_check_in(
        assignment=job, volunteer=volunteer, latitude=place["latitude"], longitude=place["longitude"], place=place["place"]),
        _("Checked in on request #%(id)s."))


@require_POST
@volunteer_page
def volunteer_job_check_out(request, volunteer, pk: int):
    place = _place(request)
    if place is None:
        return _back_to(request, "volunteer-home")

    def check_out(job):
        attendance = services.attendance_check_out(assignment=job, volunteer=volunteer, latitude=place["latitude"],
                                                   longitude=place["longitude"], place=place["place"])
        if attendance.entry is None:
            messages.warning(request, _("No hours were booked for this stay; ask your team lead to record them."))
        else:
            messages.info(request, _("%(hours)s hours wait for your team lead's approval.") % {"hours": attendance.entry.hours})

    return _job_action(request, volunteer, pk, check_out, _("Checked out of request #%(id)s."))


@require_POST
@volunteer_page
def volunteer_job_set_off(request, volunteer, pk: int):
    return _job_action(request, volunteer, pk, lambda job: services.team_job_set_off(assignment=job, actor=request.user),
                       _("Request #%(id)s: on the way."))


@require_POST
@volunteer_page
def volunteer_job_log_hours(request, volunteer, pk: int):
    job = selectors.job_of_volunteer(volunteer=volunteer, pk=pk)
    form = forms.HoursLogForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.hours_log(assignment=job, volunteer=volunteer, hours=data["hours"], service_date=data["service_date"],
                                       description=data["description"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(hours)s hours logged on request #%(id)s; they wait for approval.")
                             % {"hours": entry.hours, "id": job.request_id})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back_to(request, "volunteer-home")


@require_GET
@volunteer_page
def volunteer_hours(request, volunteer):
    """My whole ledger for a year, corrections beside what they correct."""
    year = _year(request)
    entries = selectors.hours_of_volunteer(volunteer=volunteer, year=year)
    return render(request, "volunteers/hours.html", {
        "volunteer": volunteer, "year": year, "entries": entries,
        "total": selectors.approved_hours_in_year(volunteer=volunteer, year=year), "correct_form": forms.CorrectForm(),
    })


@require_http_methods(["GET", "POST"])
@volunteer_page
def volunteer_certificates(request, volunteer):
    """Ask for a certificate (issuer and period) and download the ones issued."""
    teams = list(selectors.teams_ever_of_volunteer(volunteer=volunteer))
    today = timezone.localdate()
    form = forms.CertificateForm(request.POST or None, teams=teams,
                                 initial={"period_start": today.replace(month=1, day=1), "period_end": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certificate = services.certificate_issue(volunteer=volunteer, team=form.issuing_team(), period_start=data["period_start"],
                                                     period_end=data["period_end"], actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
            return redirect("volunteer-certificates")
    return render(request, "volunteers/certificates.html", {
        "volunteer": volunteer, "form": form, "certificates": selectors.certificates_of_volunteer(volunteer=volunteer),
    })


@require_GET
@role_required(*VOLUNTEER_ROLES, *CENTRE_ROLES)
def certificate_download(request, number: str):
    """The PDF, for its holder, a lead of the issuing team or the centre."""
    certificate = selectors.certificate_for(user=request.user, number=number)
    verify_url = request.build_absolute_uri(reverse("certificate-verify-number", args=[certificate.number]))
    response = HttpResponse(certificate_pdf(certificate=certificate, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@volunteer_page
def deputy_visits(request, volunteer):
    """A deputy's district visits: record one, file its report by the 10th of the next month."""
    today = timezone.localdate()
    if not selectors.is_deputy(volunteer=volunteer):
        return render(request, "volunteers/visits.html", {"volunteer": volunteer, "not_deputy": True})
    form = forms.VisitForm(request.POST or None, initial={"visited_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.district_visit_record(volunteer=volunteer, region=data["region"], visited_on=data["visited_on"],
                                                   hours=data["hours"], summary=data["summary"], actor=request.user)
        except DomainError as exc:
            form.add_error(_VISIT_ERROR_FIELDS.get(exc.code, "hours" if exc.code.startswith("hours") else None), exc.message)
        else:
            messages.success(request, _("Visit recorded; its report is due by %(due)s.") % {"due": visit.report_due_on})
            return redirect("deputy-visits")
    visits = selectors.visits_of_deputy(volunteer=volunteer)
    return render(request, "volunteers/visits.html", {
        "volunteer": volunteer, "form": form, "today": today, "report_form": forms.VisitReportForm(),
        "visits": [(visit, visit.flagged(today=today)) for visit in visits],
    })


@require_POST
@volunteer_page
def deputy_visit_report(request, volunteer, pk: int):
    visit = selectors.visit_of_deputy(volunteer=volunteer, pk=pk)
    form = forms.VisitReportForm(request.POST)
    form.is_valid()
    try:
        visit = services.district_visit_report_file(visit=visit, actor=request.user, report=form.cleaned_data.get("report", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if visit.report_late:
            messages.warning(request, _("Report filed after %(due)s: it is flagged late.") % {"due": visit.report_due_on})
        else:
            messages.success(request, _("Report filed."))
    return redirect("deputy-visits")


# --- deciding and correcting hours (lead, resident served, centre) --------------------------------


@require_POST
@role_required(*DECIDER_ROLES)
def hours_entry_approve(request, pk: int):
    entry = selectors.hours_entry_for(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    try:
        services.hours_entry_approve(entry=entry, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(hours)s hours of %(name)s approved.") % {"hours": entry.hours, "name": entry.volunteer})
    return _back_to(request, "site-home")


@require_POST
@role_required(*DECIDER_ROLES)
def hours_entry_decline(request, pk: int):
    entry = selectors.hours_entry_for(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    try:
        services.hours_entry_decline(entry=entry, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(hours)s hours of %(name)s declined.") % {"hours": entry.hours, "name": entry.volunteer})
    return _back_to(request, "site-home")


@require_POST
@role_required(*VOLUNTEER_ROLES, *CENTRE_ROLES)
def hours_entry_correct(request, pk: int):
    entry = selectors.hours_entry_for(user=request.user, pk=pk)
    form = forms.CorrectForm(request.POST)
    form.is_valid()
    try:
        correction = services.hours_entry_correct(entry=entry, corrected_hours=form.cleaned_data.get("corrected_hours", ""),
                                                  reason=form.cleaned_data.get("reason", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Correction of %(hours)s hours filed; it waits for approval.") % {"hours": correction.hours})
    return _back_to(request, "volunteer-hours")


@require_GET
@role_required(Role.RESIDENT)
def served_request_hours(request, request_pk: int):
    """The resident who was served confirms (or declines) the volunteers' hours on their request."""
    service_request, entries = selectors.hours_pending_for_resident(user=request.user, request_pk=request_pk)
    return render(request, "volunteers/served_hours.html", {"service_request": service_request, "entries": entries,
                                                           "reason_form": forms.ReasonForm()})


# --- team leads ----------------------------------------------------------------------------------


@require_GET
@role_required(Role.TEAM_LEAD)
def team_list(request):
    teams = list(selectors.teams_led_by(user=request.user))
    if len(teams) == 1:
        return redirect("team-jobs", teams[0].pk)
    return render(request, "volunteers/team_list.html", {"teams": teams})


def _render_team_jobs(request, team, *, failed: dict | None = None):
    failed = failed or {}
    members = selectors.team_members(team=team)
    offered = selectors.assignments_of_team(team=team, statuses=[TeamAssignment.Status.OFFERED])
    active = selectors.assignments_of_team(team=team, statuses=[TeamAssignment.Status.ACCEPTED])
    done = selectors.assignments_of_team(team=team, statuses=[TeamAssignment.Status.COMPLETED, TeamAssignment.Status.DECLINED,
                                                              TeamAssignment.Status.WITHDRAWN])[:10]
    rows = [
        (job, failed.get(job.pk) or forms.MembersForm(members=members, initial={"members": list(job.members.all())},
                                                        prefix=f"job{job.pk}"),
         forms.CompleteForm(prefix=f"done{job.pk}"))
        for job in active
    ]
    return render(request, "volunteers/team_jobs.html", {
        "team": team, "offered": offered, "rows": rows, "done": done, "reason_form": forms.ReasonForm(),
        "in_service": R.IN_SERVICE,
    })


@require_GET
@lead_page
def team_jobs(request, team):
    """Offers to accept or decline, jobs to staff and complete, recent history."""
    return _render_team_jobs(request, team)


def _team_job_post(service_call, done: str):
    @require_POST
    @lead_page
    def view(request, team, job_pk: int):
        job = selectors.assignment_of_team(team=team, pk=job_pk)
        try:
            service_call(request, team, job)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done % {"id": job.request_id})
        return redirect("team-jobs", team.pk)

    return view


def _accept(request, team, job):
    services.team_assignment_accept(assignment=job, lead=request.user)


def _decline(request, team, job):
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    services.team_assignment_decline(assignment=job, lead=request.user, reason=form.cleaned_data.get("reason", ""))


def _members(request, team, job):
    form = forms.MembersForm(request.POST, members=selectors.team_members(team=team), prefix=f"job{job.pk}")
    form.is_valid()
    services.team_assignment_members_set(assignment=job, lead=request.user, members=form.cleaned_data.get("members", []))


def _complete(request, team, job):
    form = forms.CompleteForm(request.POST, prefix=f"done{job.pk}")
    form.is_valid()
    services.team_job_complete(assignment=job, lead=request.user, resolution=form.cleaned_data.get("resolution", ""))


team_job_accept = _team_job_post(_accept, gettext_lazy("Request #%(id)s accepted; now assign members."))
team_job_decline = _team_job_post(_decline, gettext_lazy("Request #%(id)s declined; it goes back to the centre."))
team_job_members = _team_job_post(_members, gettext_lazy("Members assigned to request #%(id)s."))
team_job_complete = _team_job_post(_complete, gettext_lazy("Request #%(id)s completed."))


@require_http_methods(["GET", "POST"])
@lead_page
def team_hours(request, team):
    """Hours waiting for the lead's approval, and recording hours afterwards for a member."""
    members = selectors.team_members(team=team)
    jobs = selectors.assignments_of_team(team=team, statuses=[TeamAssignment.Status.ACCEPTED, TeamAssignment.Status.COMPLETED])[:50]
    form = forms.LeadHoursForm(request.POST or None, members=members, jobs=jobs,
                               initial={"service_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = selectors.assignment_of_team(team=team, pk=int(data["assignment"]))
        try:
            entry = services.hours_log(assignment=job, volunteer=data["volunteer"], hours=data["hours"],
                                       service_date=data["service_date"], description=data["description"], actor=request.user)
        except DomainError as exc:
            form.add_error("hours" if exc.code.startswith("hours") else None, exc.message)
        else:
            messages.success(request, _("%(hours)s hours recorded for %(name)s; approve them below.")
                             % {"hours": entry.hours, "name": entry.volunteer})
            return redirect("team-hours", team.pk)
    return render(request, "volunteers/team_hours.html", {
        "team": team, "form": form, "entries": selectors.hours_pending_for_team(team=team), "reason_form": forms.ReasonForm(),
        "recent": selectors.hours_of_team(team=team).exclude(status=HoursEntry.Status.PENDING)[:LEDGER_SHOWN],
    })


@require_GET
@lead_page
def team_progress(request, team):
    year = _year(request)
    return render(request, "volunteers/team_progress.html", {
        "team": team, "year": year, "rows": selectors.team_progress(team=team, year=year, today=timezone.localdate()),
    })


# --- the centre ----------------------------------------------------------------------------------


@require_GET
@role_required(*CENTRE_ROLES)
def centre_volunteers(request):
    """Everyone's progress: duty holders furthest behind first."""
    year = _year(request)
    return render(request, "volunteers/centre_progress.html", {
        "year": year, "rows": selectors.everyone_progress(year=year, today=timezone.localdate()),
    })


@require_GET
@role_required(*CENTRE_ROLES)
def centre_duty(request):
    """The year-end duty list: who met the yearly hours and who did not."""
    year = _year(request)
    return render(request, "volunteers/centre_duty.html", {
        "year": year, "report": selectors.duty_report(year=year, today=timezone.localdate()),
        "final": year < timezone.localdate().year,
    })


@require_GET
@role_required(*CENTRE_ROLES)
def centre_commendations(request):
    year = _year(request)
    people, teams = selectors.commendations(year=year)
    return render(request, "volunteers/centre_commendations.html", {"year": year, "people": people, "teams": teams})


def _render_centre_requests(request, *, failed: dict | None = None):
    failed = failed or {}
    rows = []
    for service_request in selectors.public_interest_requests_for_centre():
        suggestions = selectors.teams_suggest(request=service_request)
        form = failed.get(service_request.pk) or forms.DispatchForm(
            prefix=f"r{service_request.pk}", initial={"team": suggestions[0].team if suggestions else None})
        rows.append((service_request, suggestions, form))
    return render(request, "volunteers/centre_requests.html", {"rows": rows})


@require_GET
@role_required(*CENTRE_ROLES)
def centre_requests(request):
    """Public-interest requests waiting for a team, with the suggested teams (area and skills, nearest first)."""
    return _render_centre_requests(request)


@require_POST
@role_required(*CENTRE_ROLES)
def centre_request_dispatch(request, pk: int):
    service_request = selectors.public_interest_request_for_centre(pk=pk)
    form = forms.DispatchForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            services.team_dispatch(request=service_request, team=form.cleaned_data["team"], actor=request.user,
                                   reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error("reason" if exc.code == "reason_required" else "team", exc.message)
        else:
            messages.success(request, _("Request #%(id)s offered to %(team)s.") % {"id": pk, "team": form.cleaned_data["team"].name})
            return redirect("centre-volunteer-requests")
    return _render_centre_requests(request, failed={pk: form})


@require_GET
@role_required(*CENTRE_ROLES)
def centre_hours(request):
    """Hours the centre verifies: district visits, centre activities and leads' own job hours."""
    return render(request, "volunteers/centre_hours.html", {
        "entries": selectors.hours_pending_for_centre(), "reason_form": forms.ReasonForm(),
    })


@require_GET
@role_required(*CENTRE_ROLES)
def centre_visits(request):
    """Deputies' reports filed late or overdue, and deputies with no visit last month."""
    today = timezone.localdate()
    year, month = selectors.previous_month(today)
    return render(request, "volunteers/centre_visits.html", {
        "today": today, "flagged": selectors.district_visits_flagged(today=today),
        "missing": selectors.deputies_without_visit(year=year, month=month), "month": datetime.date(year, month, 1),
    })


@require_http_methods(["GET", "POST"])
@role_required(*CENTRE_ROLES)
def centre_activities(request):
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.centre_activity_create(title=data["title"], region=data["region"], starts_at=data["starts_at"],
                                            ends_at=data["ends_at"], description=data["description"], actor=request.user)
        except DomainError as exc:
            form.add_error("title" if exc.code == "title_required" else "ends_at", exc.message)
        else:
            messages.success(request, _("Activity created; record who attended."))
            return redirect("centre-activities")
    return render(request, "volunteers/centre_activities.html", {
        "form": form, "activities": selectors.centre_activities_recent(), "attendance_form": forms.AttendanceForm(),
    })


@require_POST
@role_required(*CENTRE_ROLES)
def centre_activity_attendance(request, pk: int):
    activity = selectors.centre_activity_get(pk=pk)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a volunteer."))
        return redirect("centre-activities")
    try:
        entry = services.centre_activity_hours_record(activity=activity, volunteer=form.cleaned_data["volunteer"],
                                                      hours=form.cleaned_data["hours"], actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(hours)s hours recorded for %(name)s; approve them under hours.")
                         % {"hours": entry.hours, "name": entry.volunteer})
    return redirect("centre-activities")


# --- public --------------------------------------------------------------------------------------


@require_GET
def certificate_verify(request):
    """Anyone may check a certificate by its number."""
    form = forms.VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("certificate-verify-number", form.cleaned_data["number"].strip().upper())
    return render(request, "volunteers/verify.html", {"form": form})


@require_GET
def certificate_verify_number(request, number: str):
    certificate = selectors.certificate_by_number(number=number)
    return render(request, "volunteers/verify.html", {
        "form": forms.VerifyForm(initial={"number": number}), "number": number, "certificate": certificate,
        "holder": selectors.mask_name(certificate.holder_name) if certificate else "",
    }, status=200 if certificate else 404)
