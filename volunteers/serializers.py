"""Shapes of the volunteer work in the API: people and teams, team jobs (the resident's phone masked
until the team has accepted), the hours ledger, progress and the duty list, commendations, district
visits and certificates. Hours are strings with two decimals, like money."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api import ItemRefSerializer, RegionRefSerializer
from marketplace.selectors_requests import mask_phone
from marketplace.serializers_requests import CoordinateField, person_name
from volunteers.models import Identity, TeamAssignment


def hours_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=True, **kwargs)


class HoursInputField(serializers.CharField):
    """Hours as text ("1.5"); volunteers.services.parse_hours refuses a third decimal place rather than
    rounding it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", _("Hours, at most two decimal places, e.g. \"2.5\"."))
        super().__init__(**kwargs)


# --- references ----------------------------------------------------------------------------------


class VolunteerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.__str__")


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TeamSerializer(TeamRefSerializer):
    area = RegionRefSerializer()
    skills = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills(self, team):
        return [category.name for category in team.skills.all()]


# --- jobs ----------------------------------------------------------------------------------------


class TeamJobRequestSerializer(serializers.Serializer):
    """What a team sees of the request: the phone stays masked until the team has accepted."""

    id = serializers.IntegerField()
    item = ItemRefSerializer(source="product")
    description = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    region = RegionRefSerializer(allow_null=True)
    as_soon_as_possible = serializers.BooleanField()
    window_start = serializers.DateTimeField(allow_null=True)
    window_end = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    owner_name = serializers.SerializerMethodField(help_text=_("The responsible agent (首问负责), if any."))
    contact_phone = serializers.SerializerMethodField(help_text=_("Masked until the team accepts."))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner_name(self, request):
        return person_name(request.owner)

    @extend_schema_field(serializers.CharField())
    def get_contact_phone(self, request):
        return request.contact_phone if self.context.get("phone_visible", {}).get(request.pk) else mask_phone(request.contact_phone)


class TeamJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The team assignment's id."))
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    team = TeamRefSerializer()
    offered_at = serializers.DateTimeField()
    offered_by_router = serializers.SerializerMethodField()
    offer_reason = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    responded_by = serializers.SerializerMethodField()
    decline_reason = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)
    members = VolunteerRefSerializer(many=True, source="members.all")
    request = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_offered_by_router(self, job):
        return job.offered_by_id is None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_responded_by(self, job):
        return person_name(job.responded_by)

    @extend_schema_field(TeamJobRequestSerializer)
    def get_request(self, job):
        visible = job.status in (TeamAssignment.Status.ACCEPTED, TeamAssignment.Status.COMPLETED)
        return TeamJobRequestSerializer(job.request, context={"phone_visible": {job.request_id: visible}}).data


# --- the ledger ----------------------------------------------------------------------------------


class HoursEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    volunteer = VolunteerRefSerializer()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    hours = hours_field(help_text=_("Signed: a correction may be negative."))
    service_date = serializers.DateField()
    description = serializers.CharField()
    team = TeamRefSerializer(allow_null=True, help_text=_("The team keeping the record; null: the centre."))
    request_id = serializers.IntegerField(allow_null=True)
    corrects_id = serializers.IntegerField(allow_null=True, help_text=_("The entry this one corrects."))
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    recorded_at = serializers.DateTimeField()
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by(self, entry):
        return person_name(entry.decided_by)


class AttendanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    checked_in_at = serializers.DateTimeField()
    check_in_latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    check_in_longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    check_in_place = serializers.CharField()
    check_in_distance_m = serializers.IntegerField(help_text=_("Metres from the request's address."))
    checked_out_at = serializers.DateTimeField(allow_null=True)
    entry = HoursEntrySerializer(allow_null=True, help_text=_("The pending hours written at check-out."))


class PlaceSerializer(serializers.Serializer):
    latitude = CoordinateField()
    longitude = CoordinateField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


# --- progress, duty, commendations ---------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    volunteer = VolunteerRefSerializer()
    year = serializers.IntegerField()
    identities = serializers.ListField(child=serializers.ChoiceField(choices=Identity.choices))
    approved = hours_field(help_text=_("The sum of approved ledger entries in the year."))
    pending = hours_field()
    owes_duty = serializers.BooleanField(help_text=_("Party members and deputies owe the yearly duty."))
    duty = hours_field()
    expected_by_today = hours_field(help_text=_("The pace: the duty spread evenly over the year."))
    remaining = hours_field()
    met = serializers.BooleanField()
    behind_pace = serializers.BooleanField()


class DutyReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    duty = hours_field()
    met = ProgressSerializer(many=True)
    not_met = ProgressSerializer(many=True)


class CommendedVolunteerSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    volunteer = VolunteerRefSerializer()
    hours = hours_field()


class CommendedTeamSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    team = TeamRefSerializer()
    hours = hours_field()
    jobs_completed = serializers.IntegerField()
    members_serving = serializers.IntegerField()


class CommendationsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    volunteers = CommendedVolunteerSerializer(many=True)
    teams = CommendedTeamSerializer(many=True)


# --- centre dispatch -----------------------------------------------------------------------------


class TeamSuggestionSerializer(serializers.Serializer):
    team = TeamRefSerializer()
    distance_km = serializers.FloatField()
    open_jobs = serializers.IntegerField(help_text=_("Jobs the team has in hand."))


class PublicInterestRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = ItemRefSerializer(source="product")
    description = serializers.CharField()
    address = serializers.CharField()
    region = RegionRefSerializer(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    owner_name = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    teams_so_far = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner_name(self, request):
        return person_name(request.owner)

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    def get_teams_so_far(self, request):
        return [{"team": a.team.name, "status": a.status, "decline_reason": a.decline_reason}
                for a in request.team_assignments.all()]


# --- visits, activities, certificates ------------------------------------------------------------


class DistrictVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = RegionRefSerializer()
    visited_on = serializers.DateField()
    summary = serializers.CharField()
    report = serializers.CharField()
    report_due_on = serializers.DateField(help_text=_("The 10th of the month after the visit."))
    report_filed_at = serializers.DateTimeField(allow_null=True)
    report_late = serializers.BooleanField(help_text=_("Filed after the due day."))
    report_overdue = serializers.SerializerMethodField(help_text=_("Not filed and past the due day."))

    @extend_schema_field(serializers.BooleanField())
    def get_report_overdue(self, visit):
        return visit.report_overdue(today=self.context["today"])


class CentreActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    region = RegionRefSerializer(allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class CertificateActivitySerializer(serializers.Serializer):
    kind = serializers.CharField()
    activity = serializers.CharField()
    entries = serializers.IntegerField()
    hours = serializers.CharField()


class CertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    issuer_name = serializers.CharField()
    team = TeamRefSerializer(allow_null=True, help_text=_("The issuing team; null: the service centre."))
    holder_name = serializers.CharField()
    holder_identities = serializers.ListField(child=serializers.CharField())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    total_hours = hours_field()
    activities = CertificateActivitySerializer(many=True)
    issued_on = serializers.DateField()
    pdf_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_pdf_url(self, certificate):
        return reverse("api-certificate-pdf", args=[certificate.number])


class CertificateVerifiedSerializer(serializers.Serializer):
    """What anyone learns from a certificate number: that it is genuine, and its figures."""

    number = serializers.CharField()
    holder = serializers.CharField(help_text=_("The holder's name, partly masked."))
    issuer_name = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    total_hours = hours_field()
    issued_on = serializers.DateField()
