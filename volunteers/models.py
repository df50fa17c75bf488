"""Volunteer teams (志愿服务队) and their people, the public-interest work offered to teams, and the
append-only ledger of service hours from which progress, the yearly duty, reminders, commendations
and certificates (志愿服务记录证明) are all read."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Identity(models.TextChoices):
    """What a volunteer is besides a volunteer; a person may hold several."""

    PARTY_MEMBER = "party_member", _("party member")
    PARTY_DEPUTY = "party_deputy", _("party congress deputy")
    PEOPLES_CONGRESS_DEPUTY = "peoples_congress_deputy", _("people's congress deputy")
    CPPCC_MEMBER = "cppcc_member", _("CPPCC member")
    YOUTH_VOLUNTEER = "youth_volunteer", _("youth volunteer")
    OTHER = "other", _("other")


# DOMAIN.md: "Party members, and party deputies, people's congress deputies and CPPCC members, must serve
# residents at least 20 hours a year."
DUTY_IDENTITIES = (
    Identity.PARTY_MEMBER, Identity.PARTY_DEPUTY, Identity.PEOPLES_CONGRESS_DEPUTY, Identity.CPPCC_MEMBER,
)
# DOMAIN.md: "Deputies visit their district at least monthly and file what they collected by the 10th."
DEPUTY_IDENTITIES = (Identity.PARTY_DEPUTY, Identity.PEOPLES_CONGRESS_DEPUTY, Identity.CPPCC_MEMBER)


class Volunteer(models.Model):
    """A person who serves as a volunteer (one row per user)."""

    user = models.OneToOneField("marketplace.User", on_delete=models.PROTECT, related_name="volunteer")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        ordering = ["user__last_name", "user__first_name", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def identity_codes(self) -> list[str]:
        return sorted(row.identity for row in self.identities.all())


class VolunteerIdentity(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="identities")
    identity = models.CharField(_("identity"), max_length=30, choices=Identity.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["volunteer", "identity"], name="one_row_per_identity")]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return self.get_identity_display()


class Team(models.Model):
    """A volunteer service team, e.g. the "little red hats" (小红帽). It serves its area (a region and
    everything under it) in the catalogue categories it has skills for."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    area = models.ForeignKey("marketplace.Region", on_delete=models.PROTECT, related_name="volunteer_teams",
                             verbose_name=_("area"))
    skills = models.ManyToManyField("catalogue.Category", blank=True, related_name="volunteer_teams",
                                    verbose_name=_("skills (catalogue categories)"))
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="memberships")
    is_lead = models.BooleanField(_("team lead"), default=False)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["team", "-is_lead", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="one_membership_per_team")]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.team}"


class TeamAssignment(models.Model):
    """A public-interest request offered to one team: the lead accepts (and assigns members) or declines.
    A team is offered a request at most once; a request has at most one live assignment at a time."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")  # waiting for a lead's answer
        ACCEPTED = "accepted", _("accepted")  # the team has the job
        DECLINED = "declined", _("declined")  # a lead said no, with a reason
        WITHDRAWN = "withdrawn", _("withdrawn")  # an agent gave it to another team
        COMPLETED = "completed", _("completed")  # the lead recorded the work as done

    LIVE = (Status.OFFERED, Status.ACCEPTED, Status.COMPLETED)

    request = models.ForeignKey("marketplace.ServiceRequest", on_delete=models.CASCADE, related_name="team_assignments")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField()
    offered_by = models.ForeignKey("marketplace.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text=_("The agent who dispatched it; empty when the router did."))
    offer_reason = models.CharField(max_length=300, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey("marketplace.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decline_reason = models.CharField(max_length=300, blank=True)
    members = models.ManyToManyField(Volunteer, blank=True, related_name="assigned_jobs", verbose_name=_("assigned members"))
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "team"], name="one_assignment_per_team_per_request"),
            models.UniqueConstraint(fields=["request"], condition=Q(status__in=["offered", "accepted", "completed"]),
                                    name="one_live_assignment_per_request"),
        ]
        verbose_name = _("team assignment")
        verbose_name_plural = _("team assignments")

    def __str__(self) -> str:
        return f"#{self.request_id} → {self.team}"


class Attendance(models.Model):
    """A member's check-in and check-out on site (time and place). Checking out writes a pending
    hours entry for the time between."""

    assignment = models.ForeignKey(TeamAssignment, on_delete=models.CASCADE, related_name="attendances")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="attendances")
    checked_in_at = models.DateTimeField()
    check_in_latitude = models.DecimalField(max_digits=9, decimal_places=6)
    check_in_longitude = models.DecimalField(max_digits=9, decimal_places=6)
    check_in_place = models.CharField(max_length=200, blank=True)
    check_in_distance_m = models.PositiveIntegerField(help_text=_("Metres from the request's address."))
    checked_out_at = models.DateTimeField(null=True, blank=True)
    check_out_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_out_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_out_place = models.CharField(max_length=200, blank=True)
    entry = models.OneToOneField("HoursEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="attendance")

    class Meta:
        ordering = ["-checked_in_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "volunteer"], condition=Q(checked_out_at__isnull=True),
                                    name="one_open_check_in_per_member_per_job"),
        ]


class CentreActivity(models.Model):
    """A volunteer activity the service centre organises itself; its hours are kept by the centre."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey("marketplace.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("where"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    organised_by = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("centre activity")
        verbose_name_plural = _("centre activities")

    def __str__(self) -> str:
        return self.title


class DistrictVisit(models.Model):
    """A deputy's visit to their district. Its report is due by the 10th of the next month; a report
    filed after that day is flagged late (and stays flagged)."""

    deputy = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="district_visits")
    region = models.ForeignKey("marketplace.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    visited_on = models.DateField(_("visited on"))
    summary = models.CharField(_("summary"), max_length=300)
    report = models.TextField(_("report"), blank=True)
    report_due_on = models.DateField(_("report due on"))
    report_filed_at = models.DateTimeField(_("report filed at"), null=True, blank=True)
    report_late = models.BooleanField(_("report filed late"), default=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["report_filed_at", "report_due_on"])]
        verbose_name = _("district visit")
        verbose_name_plural = _("district visits")

    def __str__(self) -> str:
        return f"{self.deputy} · {self.region} · {self.visited_on}"

    def report_overdue(self, *, today) -> bool:
        """Not filed and the due day has passed."""
        return self.report_filed_at is None and today > self.report_due_on

    def flagged(self, *, today) -> bool:
        return self.report_late or self.report_overdue(today=today)


class HoursEntry(models.Model):
    """One line of the append-only hours ledger.

    pending → approved or declined, with a reason; decided entries never change. A correction is a new
    entry whose ``hours`` is the signed difference (e.g. −1.50) and whose ``corrects`` points at the
    original entry; it goes through the same approval. A person's total is the sum of their approved
    entries, corrections included."""

    class Kind(models.TextChoices):
        TEAM_JOB = "team_job", _("public-interest job")  # kept by the team
        DISTRICT_VISIT = "district_visit", _("deputy's district visit")  # kept by the centre
        CENTRE_ACTIVITY = "centre_activity", _("centre activity")  # kept by the centre

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours_entries")
    kind = models.CharField(_("activity"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    service_date = models.DateField(_("service date"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    # Who keeps the record (and so issues its certificate): a team, or the centre when empty.
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="hours_entries")
    request = models.ForeignKey("marketplace.ServiceRequest", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="volunteer_hours")
    assignment = models.ForeignKey(TeamAssignment, null=True, blank=True, on_delete=models.PROTECT, related_name="hours_entries")
    district_visit = models.ForeignKey(DistrictVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="hours_entries")
    centre_activity = models.ForeignKey(CentreActivity, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="hours_entries")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                 verbose_name=_("corrects entry"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recorded_by = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    decided_by = models.ForeignKey("marketplace.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-service_date", "-pk"]
        indexes = [
            models.Index(fields=["volunteer", "status", "service_date"]),
            models.Index(fields=["team", "status"]),
        ]
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")

    def __str__(self) -> str:
        return f"{self.volunteer} {self.hours} h {self.service_date} ({self.status})"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


class DutyReminder(models.Model):
    """A reminder sent to someone behind pace at a checkpoint of the year. One per person per
    checkpoint, so the periodic job can run any number of times."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="duty_reminders")
    checkpoint = models.DateField()
    approved_hours = models.DecimalField(max_digits=6, decimal_places=2)
    expected_hours = models.DecimalField(max_digits=6, decimal_places=2)
    duty_hours = models.DecimalField(max_digits=6, decimal_places=2)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-checkpoint", "pk"]
        constraints = [models.UniqueConstraint(fields=["volunteer", "checkpoint"], name="one_reminder_per_checkpoint")]


class Certificate(models.Model):
    """A volunteer service record certificate (志愿服务记录证明) as issued: the figures are a snapshot, so
    the PDF and the public verification page show what was certified on the day."""

    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates",
                             help_text=_("The issuing team; empty when the service centre issues it."))
    issuer_name = models.CharField(_("issued by"), max_length=100)
    holder_name = models.CharField(_("holder"), max_length=150)
    holder_identities = models.JSONField(default=list)  # identity codes on the day
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    total_hours = models.DecimalField(_("total hours"), max_digits=8, decimal_places=2)
    # [{"kind", "activity", "entries", "hours"}], hours as text with two places
    activities = models.JSONField(default=list)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("volunteer service record certificate")
        verbose_name_plural = _("volunteer service record certificates")

    def __str__(self) -> str:
        return self.number
