"""REST API of the volunteer work, one APIView per operation: the volunteer's own (progress, jobs,
check in and out, log hours, certificates, district visits), the team lead's (offers, members, hours,
progress), deciding and correcting hours (lead, resident served, centre), the centre's (progress, duty
list, commendations, dispatch to teams, visits, activities) and the public certificate check.

Anything out of reach answers 404; a wrong role 403. Reads go through ``volunteers.selectors``, writes
through ``volunteers.services`` only; a refusal is a 400 with a stable code.
"""
from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, input_valid, page_of
from marketplace.api_requests import paginated
from marketplace.roles import HasRole, Role
from volunteers import selectors, services
from volunteers.certificates import certificate_pdf
from volunteers.errors import VolunteerInvalid
from volunteers.models import HoursEntry, Team, TeamAssignment, Volunteer
from volunteers.serializers import (
    AttendanceSerializer,
    CentreActivitySerializer,
    CertificateSerializer,
    CertificateVerifiedSerializer,
    CommendationsSerializer,
    DistrictVisitSerializer,
    DutyReportSerializer,
    HoursEntrySerializer,
    HoursInputField,
    PlaceSerializer,
    ProgressSerializer,
    PublicInterestRequestSerializer,
    TeamJobSerializer,
    TeamSerializer,
    TeamSuggestionSerializer,
)

VOLUNTEER_TAGS = ["volunteers"]
TEAM_TAGS = ["volunteer teams"]
HOURS_TAGS = ["volunteer hours"]
CENTRE_TAGS = ["centre: volunteers"]
CERTIFICATE_TAGS = ["certificates"]

IsVolunteer = HasRole.of(Role.VOLUNTEER, Role.TEAM_LEAD)
IsTeamLead = HasRole.of(Role.TEAM_LEAD)
IsCentreStaff = HasRole.of(Role.CENTRE_AGENT, Role.ADMINISTRATOR)
IsResident = HasRole.of(Role.RESIDENT)
# Who may open the approve / decline actions at all; which entries each may decide is the service's rule.
IsHoursDecider = HasRole.of(Role.TEAM_LEAD, Role.VOLUNTEER, Role.RESIDENT, Role.CENTRE_AGENT, Role.ADMINISTRATOR)
IsHoursCorrector = HasRole.of(Role.VOLUNTEER, Role.TEAM_LEAD, Role.CENTRE_AGENT, Role.ADMINISTRATOR)
IsCertificateReader = HasRole.of(Role.VOLUNTEER, Role.TEAM_LEAD, Role.CENTRE_AGENT, Role.ADMINISTRATOR)


def volunteer_of(request) -> Volunteer:
    volunteer = selectors.volunteer_of_user(user=request.user)
    if volunteer is None:
        raise PermissionDenied(_("Your account is not registered as a volunteer."))
    return volunteer


class YearFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100,
                                    help_text=gettext_lazy("Calendar year; this year if omitted."))


def year_of(request) -> int:
    return input_valid(YearFilterSerializer(data=request.query_params)).get("year") or timezone.localdate().year


def progress_data(progress) -> dict:
    return {
        "volunteer": progress.volunteer, "year": progress.year, "identities": progress.identities,
        "approved": progress.approved, "pending": progress.pending, "owes_duty": progress.owes_duty,
        "duty": progress.duty, "expected_by_today": progress.expected_by_today, "remaining": progress.remaining,
        "met": progress.met, "behind_pace": progress.behind_pace,
    }


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


# --- the volunteer -------------------------------------------------------------------------------


class VolunteerProgressApi(APIView):
    """My approved and pending hours in a year, and, if I owe the yearly duty, how far along I am."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    @extend_schema(operation_id="volunteer_progress_retrieve", tags=VOLUNTEER_TAGS, summary=gettext_lazy("My progress"),
                   parameters=[YearFilterSerializer], responses={200: ProgressSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request):
        volunteer = volunteer_of(request)
        progress = selectors.volunteer_progress(volunteer=volunteer, year=year_of(request), today=timezone.localdate())
        return Response(ProgressSerializer(progress_data(progress)).data)


class VolunteerJobListApi(APIView):
    """Jobs I am assigned to, newest first."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    @extend_schema(operation_id="volunteer_jobs_list", tags=VOLUNTEER_TAGS, summary=gettext_lazy("My jobs"),
                   responses={200: page_of(TeamJobSerializer, name="VolunteerJobPage"), 403: FORBIDDEN})
    def get(self, request):
        jobs = selectors.jobs_of_volunteer(volunteer=volunteer_of(request))
        return paginated(request=request, view=self, queryset=jobs, serializer_class=TeamJobSerializer, context={})


class VolunteerJobSetOffApi(APIView):
    """Say the team is on the way."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    @extend_schema(operation_id="volunteer_job_set_off", tags=VOLUNTEER_TAGS, summary=gettext_lazy("On the way"), request=None,
                   responses={200: TeamJobSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        volunteer = volunteer_of(request)
        job = selectors.job_of_volunteer(volunteer=volunteer, pk=pk)
        services.team_job_set_off(assignment=job, actor=request.user)
        return Response(TeamJobSerializer(selectors.job_of_volunteer(volunteer=volunteer, pk=pk)).data)


class VolunteerJobCheckInApi(APIView):
    """Check in on site with the time (now) and the place. The first check-in starts the service."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    class InputSerializer(PlaceSerializer):
        pass

    @extend_schema(operation_id="volunteer_job_check_in", tags=VOLUNTEER_TAGS, summary=gettext_lazy("Check in on site"),
                   request=InputSerializer,
                   responses={201: AttendanceSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        volunteer = volunteer_of(request)
        job = selectors.job_of_volunteer(volunteer=volunteer, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        attendance = services.attendance_check_in(assignment=job, volunteer=volunteer, latitude=data["latitude"],
                                                  longitude=data["longitude"], place=data["place"])
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class VolunteerJobCheckOutApi(APIView):
    """Check out: the time since check-in becomes pending hours (``entry``)."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    class InputSerializer(PlaceSerializer):
        pass

    @extend_schema(operation_id="volunteer_job_check_out", tags=VOLUNTEER_TAGS, summary=gettext_lazy("Check out"),
                   request=InputSerializer,
                   responses={200: AttendanceSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        volunteer = volunteer_of(request)
        job = selectors.job_of_volunteer(volunteer=volunteer, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        attendance = services.attendance_check_out(assignment=job, volunteer=volunteer, latitude=data["latitude"],
                                                   longitude=data["longitude"], place=data["place"])
        return Response(AttendanceSerializer(attendance).data)


class VolunteerHoursListApi(APIView):
    """My ledger, newest first: every entry with its status; corrections reference what they correct."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    @extend_schema(operation_id="volunteer_hours_list", tags=VOLUNTEER_TAGS, summary=gettext_lazy("My hours"),
                   parameters=[YearFilterSerializer],
                   responses={200: page_of(HoursEntrySerializer, name="VolunteerHoursPage"), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request):
        year = input_valid(YearFilterSerializer(data=request.query_params)).get("year")
        entries = selectors.hours_of_volunteer(volunteer=volunteer_of(request), year=year)
        return paginated(request=request, view=self, queryset=entries, serializer_class=HoursEntrySerializer, context={})


class VolunteerHoursLogApi(APIView):
    """Log hours on one of my jobs afterwards; they wait for approval."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    class InputSerializer(serializers.Serializer):
        job_id = serializers.IntegerField(help_text=gettext_lazy("The team assignment's id (from my jobs)."))
        hours = HoursInputField()
        service_date = serializers.DateField()
        description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

    @extend_schema(operation_id="volunteer_hours_log", tags=VOLUNTEER_TAGS, summary=gettext_lazy("Log hours"),
                   request=InputSerializer,
                   responses={201: HoursEntrySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request):
        volunteer = volunteer_of(request)
        data = input_valid(self.InputSerializer(data=request.data))
        job = selectors.job_of_volunteer(volunteer=volunteer, pk=data["job_id"])
        entry = services.hours_log(assignment=job, volunteer=volunteer, hours=data["hours"], service_date=data["service_date"],
                                   description=data["description"], actor=request.user)
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class VolunteerCertificateListApi(APIView):
    permission_classes = [IsAuthenticated, IsVolunteer]

    @extend_schema(operation_id="volunteer_certificates_list", tags=CERTIFICATE_TAGS, summary=gettext_lazy("My certificates"),
                   responses={200: page_of(CertificateSerializer, name="CertificatePage"), 403: FORBIDDEN})
    def get(self, request):
        certificates = selectors.certificates_of_volunteer(volunteer=volunteer_of(request))
        return paginated(request=request, view=self, queryset=certificates, serializer_class=CertificateSerializer, context={})


class VolunteerCertificateIssueApi(APIView):
    """Issue a volunteer service record certificate (志愿服务记录证明) for a period: by one of my teams
    (the hours it kept) or by the centre (``team_id`` null: all my approved hours)."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    class InputSerializer(serializers.Serializer):
        team_id = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False, default=None)
        period_start = serializers.DateField()
        period_end = serializers.DateField()

    @extend_schema(operation_id="volunteer_certificate_issue", tags=CERTIFICATE_TAGS, summary=gettext_lazy("Issue a certificate"),
                   request=InputSerializer, responses={201: CertificateSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def post(self, request):
        volunteer = volunteer_of(request)
        data = input_valid(self.InputSerializer(data=request.data))
        certificate = services.certificate_issue(volunteer=volunteer, team=data["team_id"], period_start=data["period_start"],
                                                 period_end=data["period_end"], actor=request.user)
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class CertificatePdfApi(APIView):
    """The certificate as a PDF, for its holder, a lead of the issuing team or the centre."""

    permission_classes = [IsAuthenticated, IsCertificateReader]

    @extend_schema(operation_id="certificate_pdf_download", tags=CERTIFICATE_TAGS, summary=gettext_lazy("Download a certificate"),
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, number: str):
        certificate = selectors.certificate_for(user=request.user, number=number)
        verify_url = request.build_absolute_uri(reverse("certificate-verify-number", args=[certificate.number]))
        response = HttpResponse(certificate_pdf(certificate=certificate, verify_url=verify_url), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
        return response


class CertificateVerifyApi(APIView):
    """Anyone may check a certificate number: a genuine one answers with its figures (name partly masked)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(operation_id="certificate_verify", tags=CERTIFICATE_TAGS, summary=gettext_lazy("Verify a certificate"),
                   responses={200: CertificateVerifiedSerializer, 404: NOT_FOUND})
    def get(self, request, number: str):
        certificate = selectors.certificate_by_number(number=number)
        if certificate is None:
            return Response({"code": "not_found", "detail": _("No certificate has this number.")}, status=status.HTTP_404_NOT_FOUND)
        data = {
            "number": certificate.number, "holder": selectors.mask_name(certificate.holder_name),
            "issuer_name": certificate.issuer_name, "period_start": certificate.period_start,
            "period_end": certificate.period_end, "total_hours": certificate.total_hours, "issued_on": certificate.issued_on,
        }
        return Response(CertificateVerifiedSerializer(data).data)


class DeputyVisitListApi(APIView):
    permission_classes = [IsAuthenticated, IsVolunteer]

    @extend_schema(operation_id="deputy_visits_list", tags=VOLUNTEER_TAGS, summary=gettext_lazy("My district visits"),
                   responses={200: page_of(DistrictVisitSerializer, name="DistrictVisitPage"), 403: FORBIDDEN})
    def get(self, request):
        visits = selectors.visits_of_deputy(volunteer=volunteer_of(request))
        return paginated(request=request, view=self, queryset=visits, serializer_class=DistrictVisitSerializer,
                         context={"today": timezone.localdate()})


class DeputyVisitRecordApi(APIView):
    """A deputy records a district visit; the hours wait for the centre; the report is due by the 10th
    of the next month."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    class InputSerializer(serializers.Serializer):
        region_code = serializers.CharField(max_length=32)
        visited_on = serializers.DateField()
        hours = HoursInputField()
        summary = serializers.CharField(allow_blank=True, max_length=300)

    @extend_schema(operation_id="deputy_visit_record", tags=VOLUNTEER_TAGS, summary=gettext_lazy("Record a district visit"),
                   request=InputSerializer, responses={201: DistrictVisitSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def post(self, request):
        volunteer = volunteer_of(request)
        data = input_valid(self.InputSerializer(data=request.data))
        region = selectors.region_by_code(code=data["region_code"])
        visit = services.district_visit_record(volunteer=volunteer, region=region, visited_on=data["visited_on"],
                                               hours=data["hours"], summary=data["summary"], actor=request.user)
        return Response(DistrictVisitSerializer(visit, context={"today": timezone.localdate()}).data, status=status.HTTP_201_CREATED)


class DeputyVisitReportApi(APIView):
    """File a visit's report. After the 10th of the next month it is flagged late."""

    permission_classes = [IsAuthenticated, IsVolunteer]

    class InputSerializer(serializers.Serializer):
        report = serializers.CharField(allow_blank=True)

    @extend_schema(operation_id="deputy_visit_report_file", tags=VOLUNTEER_TAGS, summary=gettext_lazy("File a visit's report"),
                   request=InputSerializer,
                   responses={200: DistrictVisitSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        visit = selectors.visit_of_deputy(volunteer=volunteer_of(request), pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        visit = services.district_visit_report_file(visit=visit, actor=request.user, report=data["report"])
        return Response(DistrictVisitSerializer(visit, context={"today": timezone.localdate()}).data)


# --- team leads ----------------------------------------------------------------------------------


class TeamLedListApi(APIView):
    permission_classes = [IsAuthenticated, IsTeamLead]

    @extend_schema(operation_id="teams_led_list", tags=TEAM_TAGS, summary=gettext_lazy("Teams I lead"),
                   responses={200: TeamSerializer(many=True), 403: FORBIDDEN})
    def get(self, request):
        teams = selectors.teams_led_by(user=request.user).prefetch_related("skills")
        return Response(TeamSerializer(teams, many=True).data)


class TeamJobListApi(APIView):
    """The team's offers and jobs; ``?status=offered`` for offers waiting for an answer."""

    permission_classes = [IsAuthenticated, IsTeamLead]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=TeamAssignment.Status.choices, required=False)

    @extend_schema(operation_id="team_jobs_list", tags=TEAM_TAGS, summary=gettext_lazy("The team's jobs"),
                   parameters=[FilterSerializer],
                   responses={200: page_of(TeamJobSerializer, name="TeamJobPage"), 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        jobs = selectors.assignments_of_team(team=team, statuses=[filters["status"]] if filters.get("status") else None)
        return paginated(request=request, view=self, queryset=jobs, serializer_class=TeamJobSerializer, context={})


class MemberIdsField(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(), help_text=gettext_lazy("Volunteer ids of team members."), **kwargs)


def members_of(team: Team, ids) -> list[Volunteer]:
    """The volunteers named; ids outside the team reach the service as strangers and are refused there."""
    found = selectors.volunteers_by_ids(ids=ids)
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise VolunteerInvalid(_("No volunteer with id %(ids)s.") % {"ids": ", ".join(missing)}, code="not_a_member")
    return [found[pk] for pk in ids]


class TeamJobAcceptApi(APIView):
    """Take the job for the team, optionally naming the members who go."""

    permission_classes = [IsAuthenticated, IsTeamLead]

    class InputSerializer(serializers.Serializer):
        member_ids = MemberIdsField(required=False, default=list)

    @extend_schema(operation_id="team_job_accept", tags=TEAM_TAGS, summary=gettext_lazy("Accept a job"), request=InputSerializer,
                   responses={200: TeamJobSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int, job_pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        job = selectors.assignment_of_team(team=team, pk=job_pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.team_assignment_accept(assignment=job, lead=request.user, members=members_of(team, data["member_ids"]))
        return Response(TeamJobSerializer(selectors.assignment_of_team(team=team, pk=job_pk)).data)


class TeamJobDeclineApi(APIView):
    """Decline, saying why; the request goes back to the centre (another team is offered it)."""

    permission_classes = [IsAuthenticated, IsTeamLead]

    class InputSerializer(ReasonInputSerializer):
        pass

    @extend_schema(operation_id="team_job_decline", tags=TEAM_TAGS, summary=gettext_lazy("Decline a job"), request=InputSerializer,
                   responses={200: TeamJobSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int, job_pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        job = selectors.assignment_of_team(team=team, pk=job_pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.team_assignment_decline(assignment=job, lead=request.user, reason=data["reason"])
        return Response(TeamJobSerializer(selectors.assignment_of_team(team=team, pk=job_pk)).data)


class TeamJobMembersApi(APIView):
    """Name who goes (replaces the list; people already checked in stay)."""

    permission_classes = [IsAuthenticated, IsTeamLead]

    class InputSerializer(serializers.Serializer):
        member_ids = MemberIdsField()

    @extend_schema(operation_id="team_job_members_assign", tags=TEAM_TAGS, summary=gettext_lazy("Assign members"),
                   request=InputSerializer, responses={200: TeamJobSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int, job_pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        job = selectors.assignment_of_team(team=team, pk=job_pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.team_assignment_members_set(assignment=job, lead=request.user, members=members_of(team, data["member_ids"]))
        return Response(TeamJobSerializer(selectors.assignment_of_team(team=team, pk=job_pk)).data)


class TeamJobCompleteApi(APIView):
    """Record the work as done (free of charge). Everyone must have checked out."""

    permission_classes = [IsAuthenticated, IsTeamLead]

    class InputSerializer(serializers.Serializer):
        resolution = serializers.CharField(allow_blank=True, max_length=1000)

    @extend_schema(operation_id="team_job_complete", tags=TEAM_TAGS, summary=gettext_lazy("Complete a job"),
                   request=InputSerializer, responses={200: TeamJobSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int, job_pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        job = selectors.assignment_of_team(team=team, pk=job_pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.team_job_complete(assignment=job, lead=request.user, resolution=data["resolution"])
        return Response(TeamJobSerializer(selectors.assignment_of_team(team=team, pk=job_pk)).data)


class TeamHoursListApi(APIView):
    """The team's ledger; ``?status=pending`` for hours waiting for approval."""

    permission_classes = [IsAuthenticated, IsTeamLead]

    class FilterSerializer(YearFilterSerializer):
        status = serializers.ChoiceField(choices=HoursEntry.Status.choices, required=False)

    @extend_schema(operation_id="team_hours_list", tags=TEAM_TAGS, summary=gettext_lazy("The team's hours"),
                   parameters=[FilterSerializer],
                   responses={200: page_of(HoursEntrySerializer, name="TeamHoursPage"), 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        entries = selectors.hours_of_team(team=team, year=filters.get("year"))
        if filters.get("status"):
            entries = entries.filter(status=filters["status"])
        return paginated(request=request, view=self, queryset=entries, serializer_class=HoursEntrySerializer, context={})


class TeamHoursRecordApi(APIView):
    """A lead records a member's hours on a team job afterwards; they wait for approval."""

    permission_classes = [IsAuthenticated, IsTeamLead]

    class InputSerializer(serializers.Serializer):
        volunteer_id = serializers.IntegerField()
        job_id = serializers.IntegerField()
        hours = HoursInputField()
        service_date = serializers.DateField()
        description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

    @extend_schema(operation_id="team_hours_record", tags=TEAM_TAGS, summary=gettext_lazy("Record a member's hours"),
                   request=InputSerializer, responses={201: HoursEntrySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        job = selectors.assignment_of_team(team=team, pk=data["job_id"])
        volunteer = members_of(team, [data["volunteer_id"]])[0]
        entry = services.hours_log(assignment=job, volunteer=volunteer, hours=data["hours"], service_date=data["service_date"],
                                   description=data["description"], actor=request.user)
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class TeamProgressApi(APIView):
    permission_classes = [IsAuthenticated, IsTeamLead]

    @extend_schema(operation_id="team_progress_list", tags=TEAM_TAGS, summary=gettext_lazy("The team's progress"),
                   parameters=[YearFilterSerializer],
                   responses={200: ProgressSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        team = selectors.team_led_by(user=request.user, pk=pk)
        rows = selectors.team_progress(team=team, year=year_of(request), today=timezone.localdate())
        return Response(ProgressSerializer([progress_data(p) for p in rows], many=True).data)


# --- deciding and correcting hours ---------------------------------------------------------------


class HoursEntryApproveApi(APIView):
    """Approve pending hours: a lead of the team, the resident served, or (for centre records and leads'
    own hours) the centre. Never the member themself (400 ``own_hours``)."""

    permission_classes = [IsAuthenticated, IsHoursDecider]

    class InputSerializer(ReasonInputSerializer):
        pass

    @extend_schema(operation_id="hours_entry_approve", tags=HOURS_TAGS, summary=gettext_lazy("Approve hours"),
                   request=InputSerializer, responses={200: HoursEntrySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        entry = selectors.hours_entry_for(user=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        entry = services.hours_entry_approve(entry=entry, actor=request.user, reason=data["reason"])
        return Response(HoursEntrySerializer(entry).data)


class HoursEntryDeclineApi(APIView):
    """Decline pending hours, saying why."""

    permission_classes = [IsAuthenticated, IsHoursDecider]

    class InputSerializer(ReasonInputSerializer):
        pass

    @extend_schema(operation_id="hours_entry_decline", tags=HOURS_TAGS, summary=gettext_lazy("Decline hours"),
                   request=InputSerializer, responses={200: HoursEntrySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        entry = selectors.hours_entry_for(user=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        entry = services.hours_entry_decline(entry=entry, actor=request.user, reason=data["reason"])
        return Response(HoursEntrySerializer(entry).data)


class HoursEntryCorrectApi(APIView):
    """Correct approved hours: say what they should have been. A new pending entry records the signed
    difference and references the original; the original never changes."""

    permission_classes = [IsAuthenticated, IsHoursCorrector]

    class InputSerializer(serializers.Serializer):
        corrected_hours = HoursInputField()
        reason = serializers.CharField(allow_blank=True, max_length=200)

    @extend_schema(operation_id="hours_entry_correct", tags=HOURS_TAGS, summary=gettext_lazy("Correct hours"),
                   request=InputSerializer, responses={201: HoursEntrySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        entry = selectors.hours_entry_for(user=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        correction = services.hours_entry_correct(entry=entry, corrected_hours=data["corrected_hours"], reason=data["reason"],
                                                  actor=request.user)
        return Response(HoursEntrySerializer(correction).data, status=status.HTTP_201_CREATED)


class ServedRequestHoursApi(APIView):
    """The volunteers' hours on my request, for me (the resident served) to confirm or decline."""

    permission_classes = [IsAuthenticated, IsResident]

    @extend_schema(operation_id="served_request_hours_list", tags=HOURS_TAGS, summary=gettext_lazy("Hours on my request"),
                   responses={200: HoursEntrySerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, request_pk: int):
        _request, entries = selectors.hours_pending_for_resident(user=request.user, request_pk=request_pk)
        return Response(HoursEntrySerializer(entries, many=True).data)


# --- the centre ----------------------------------------------------------------------------------


class CentreVolunteerProgressApi(APIView):
    """Everyone's progress in a year; duty holders furthest behind first."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_volunteer_progress_list", tags=CENTRE_TAGS, summary=gettext_lazy("Everyone's progress"),
                   parameters=[YearFilterSerializer],
                   responses={200: page_of(ProgressSerializer, name="ProgressPage"), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request):
        rows = [progress_data(p) for p in selectors.everyone_progress(year=year_of(request), today=timezone.localdate())]
        return paginated(request=request, view=self, queryset=rows, serializer_class=ProgressSerializer, context={})


class CentreDutyReportApi(APIView):
    """The duty list: every party member and deputy, met or not met, with approved hours in the year."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_duty_report", tags=CENTRE_TAGS, summary=gettext_lazy("Yearly duty list"),
                   parameters=[YearFilterSerializer], responses={200: DutyReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request):
        report = selectors.duty_report(year=year_of(request), today=timezone.localdate())
        return Response(DutyReportSerializer({
            "year": report.year, "duty": report.duty,
            "met": [progress_data(p) for p in report.met], "not_met": [progress_data(p) for p in report.not_met],
        }).data)


class CentreCommendationsApi(APIView):
    """The commendation lists: volunteers and teams ranked by approved hours in the year."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_commendations", tags=CENTRE_TAGS, summary=gettext_lazy("Commendation list"),
                   parameters=[YearFilterSerializer], responses={200: CommendationsSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request):
        year = year_of(request)
        people, teams = selectors.commendations(year=year)
        return Response(CommendationsSerializer({
            "year": year,
            "volunteers": [{"rank": n, "volunteer": v, "hours": h} for n, (v, h) in enumerate(people, start=1)],
            "teams": [{"rank": n, "team": r.team, "hours": r.hours, "jobs_completed": r.jobs_completed,
                       "members_serving": r.members_serving} for n, r in enumerate(teams, start=1)],
        }).data)


class CentrePublicInterestRequestListApi(APIView):
    """Public-interest requests waiting for a team (submitted, escalated, or offered to a team)."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_public_interest_requests_list", tags=CENTRE_TAGS,
                   summary=gettext_lazy("Public-interest requests"),
                   responses={200: page_of(PublicInterestRequestSerializer, name="PublicInterestRequestPage"), 403: FORBIDDEN})
    def get(self, request):
        rows = selectors.public_interest_requests_for_centre()
        return paginated(request=request, view=self, queryset=rows, serializer_class=PublicInterestRequestSerializer, context={})


class CentreRequestTeamsSuggestApi(APIView):
    """Teams that may take the request: covering its area, with the skill, not offered it yet; nearest first."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_request_teams_suggest", tags=CENTRE_TAGS, summary=gettext_lazy("Suggest teams"),
                   responses={200: TeamSuggestionSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        service_request = selectors.public_interest_request_for_centre(pk=pk)
        return Response(TeamSuggestionSerializer(selectors.teams_suggest(request=service_request), many=True).data)


class CentreRequestTeamDispatchApi(APIView):
    """Offer a public-interest request to a team, with a reason; the agent becomes its owner if nobody is."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(serializers.Serializer):
        team_id = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
        reason = serializers.CharField(allow_blank=True, max_length=300)

    @extend_schema(operation_id="centre_request_team_dispatch", tags=CENTRE_TAGS, summary=gettext_lazy("Dispatch to a team"),
                   request=InputSerializer, responses={201: TeamJobSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        service_request = selectors.public_interest_request_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        assignment = services.team_dispatch(request=service_request, team=data["team_id"], actor=request.user, reason=data["reason"])
        return Response(TeamJobSerializer(assignment).data, status=status.HTTP_201_CREATED)


class CentreHoursListApi(APIView):
    """Hours the centre verifies: district visits, centre activities and team leads' own job hours."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_hours_list", tags=CENTRE_TAGS, summary=gettext_lazy("Hours to verify"),
                   responses={200: page_of(HoursEntrySerializer, name="CentreHoursPage"), 403: FORBIDDEN})
    def get(self, request):
        return paginated(request=request, view=self, queryset=selectors.hours_pending_for_centre(),
                         serializer_class=HoursEntrySerializer, context={})


class CentreDistrictVisitsFlaggedApi(APIView):
    """Deputies' visits whose report was filed late or is overdue."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_district_visits_flagged", tags=CENTRE_TAGS, summary=gettext_lazy("Late visit reports"),
                   responses={200: page_of(DistrictVisitSerializer, name="FlaggedVisitPage"), 403: FORBIDDEN})
    def get(self, request):
        today = timezone.localdate()
        return paginated(request=request, view=self, queryset=selectors.district_visits_flagged(today=today),
                         serializer_class=DistrictVisitSerializer, context={"today": today})


class CentreActivityCreateApi(APIView):
    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(allow_blank=True, max_length=200)
        description = serializers.CharField(required=False, allow_blank=True, default="")
        region_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()

    @extend_schema(operation_id="centre_activity_create", tags=CENTRE_TAGS, summary=gettext_lazy("Create a centre activity"),
                   request=InputSerializer, responses={201: CentreActivitySerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def post(self, request):
        data = input_valid(self.InputSerializer(data=request.data))
        region = selectors.region_by_code(code=data["region_code"]) if data["region_code"] else None
        activity = services.centre_activity_create(title=data["title"], description=data["description"], region=region,
                                                   starts_at=data["starts_at"], ends_at=data["ends_at"], actor=request.user)
        return Response(CentreActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class CentreActivityHoursRecordApi(APIView):
    """Record a volunteer's attendance (hours default to the activity's length)."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(serializers.Serializer):
        volunteer_id = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
        hours = HoursInputField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="centre_activity_hours_record", tags=CENTRE_TAGS, summary=gettext_lazy("Record attendance"),
                   request=InputSerializer, responses={201: HoursEntrySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        activity = selectors.centre_activity_get(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        entry = services.centre_activity_hours_record(activity=activity, volunteer=data["volunteer_id"], hours=data["hours"],
                                                      actor=request.user)
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

