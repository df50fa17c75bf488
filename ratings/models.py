"""The quality loop's records: residents' ratings, the centre's call-backs (回访), complaints with their
review history, removals for upheld complaints, renewal reviews and the monthly report (月情况通报).

Status pipelines are data (see ``ratings.services``); every move writes a history row.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


# --- ratings -------------------------------------------------------------------------------------


class Rating(models.Model):
    """A resident's judgement of one finished job: 1–5 overall and on three aspects. One per job."""

    request = models.OneToOneField("marketplace.ServiceRequest", on_delete=models.CASCADE, related_name="rating")
    company = models.ForeignKey("providers.Company", on_delete=models.PROTECT, related_name="ratings")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings_given")
    overall = models.PositiveSmallIntegerField(_("overall"), validators=SCORE_VALIDATORS)
    punctuality = models.PositiveSmallIntegerField(_("punctuality"), validators=SCORE_VALIDATORS)
    attitude = models.PositiveSmallIntegerField(_("attitude"), validators=SCORE_VALIDATORS)
    quality = models.PositiveSmallIntegerField(_("quality of work"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"))
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__range=(1, 5), punctuality__range=(1, 5), attitude__range=(1, 5),
                                   quality__range=(1, 5)),
                name="rating_scores_1_to_5",
            ),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"#{self.request_id} {self.overall}/5"


class RatingReminder(models.Model):
    """The one reminder sent to a resident who has not rated a job. Its existence means "sent"."""

    request = models.OneToOneField("marketplace.ServiceRequest", on_delete=models.CASCADE, related_name="rating_reminder")
    sent_at = models.DateTimeField()


# --- call-backs ----------------------------------------------------------------------------------


class CallBackOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


SATISFIED_OUTCOMES = (CallBackOutcome.SATISFIED, CallBackOutcome.BASICALLY_SATISFIED)


class CallBack(models.Model):
    """The centre calls the resident back after every finished request (回访)."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting to be called")  # in the queue
        ANSWERED = "answered", _("answered")  # the resident was reached and answered
        UNREACHED = "unreached", _("closed: not reached")  # closed after the policy's number of tries

    request = models.OneToOneField("marketplace.ServiceRequest", on_delete=models.CASCADE, related_name="callback")
    # Who served it, as it stood when the request entered the queue (for the centre's filters).
    company = models.ForeignKey("providers.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks")
    linked_unit = models.ForeignKey(
        "marketplace.LinkedUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks"
    )
    request_status = models.CharField(_("request status when queued"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("answer"), max_length=20, choices=CallBackOutcome.choices, blank=True)
    queued_at = models.DateTimeField(_("queued at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["status", "queued_at"])]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")

    def __str__(self) -> str:
        return f"#{self.request_id} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CallBackAttempt(models.Model):
    """One call an agent made. Never edited."""

    callback = models.ForeignKey(CallBack, on_delete=models.CASCADE, related_name="attempts")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reached = models.BooleanField(_("reached the resident"))
    outcome = models.CharField(_("answer"), max_length=20, choices=CallBackOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    called_at = models.DateTimeField()

    class Meta:
        ordering = ["called_at", "pk"]


# --- complaints ----------------------------------------------------------------------------------


class ComplaintCategory(models.TextChoices):
    OVERCHARGE = "overcharge", _("overcharge")
    NO_SHOW = "no_show", _("no-show")
    LATE = "late", _("late")
    QUALITY = "quality", _("poor quality")
    ATTITUDE = "attitude", _("attitude")
    DAMAGE = "damage", _("damage")
    OTHER = "other", _("other")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("received")  # filed, nobody has looked yet
    UNDER_REVIEW = "under_review", _("under review")  # an agent is reviewing it
    UPHELD = "upheld", _("upheld")  # the centre found the complaint justified
    REJECTED = "rejected", _("rejected")  # not justified; never counts against the company
    REOPENED = "reopened", _("reopened")  # the resident says the fix did not hold


class Complaint(models.Model):
    """A complaint against one job, filed by the resident or by an agent on the phone."""

    class Channel(models.TextChoices):
        WEB = "web", _("web / app")
        HOTLINE = "hotline", _("hotline (entered by an agent)")

    request = models.ForeignKey("marketplace.ServiceRequest", on_delete=models.PROTECT, related_name="complaints")
    company = models.ForeignKey("providers.Company", on_delete=models.PROTECT, related_name="complaints")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    description = models.TextField(_("what happened"))
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="complaints/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Set while the complaint stands upheld (cleared if a later review rejects it): it then counts
    # against the company in the contract year of ``counted_agreement`` (the agreement in force when
    # it was first upheld). See ratings.services.complaint_limit_enforce.
    upheld_at = models.DateTimeField(_("upheld at"), null=True, blank=True)
    counted_agreement = models.ForeignKey(
        "providers.Agreement", null=True, blank=True, on_delete=models.PROTECT, related_name="upheld_complaints"
    )
    company_response = models.TextField(_("company's response"), blank=True)
    company_responded_at = models.DateTimeField(null=True, blank=True)
    company_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "upheld_at"]), models.Index(fields=["status", "created_at"])]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return str(_("Complaint #%(id)s") % {"id": self.pk})

    @property
    def is_decided(self) -> bool:
        return self.status in (ComplaintStatus.UPHELD, ComplaintStatus.REJECTED)


class ComplaintStatusChange(models.Model):
    """One row per complaint move: who, when, from, to, why. Never edited."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ComplaintStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]


# --- enforcement ---------------------------------------------------------------------------------


class Removal(models.Model):
    """A company removed (解约) because its upheld complaints reached the policy's limit in a contract
    year, citing those complaints; and, if it comes, the administrator's reinstatement on appeal."""

    company = models.ForeignKey("providers.Company", on_delete=models.PROTECT, related_name="removals")
    agreement = models.ForeignKey("providers.Agreement", on_delete=models.PROTECT, related_name="+")
    complaints = models.ManyToManyField(Complaint, related_name="removals")
    status_change = models.OneToOneField("providers.CompanyStatusChange", on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField()
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    jobs_rematched = models.PositiveIntegerField(default=0)
    offers_withdrawn = models.PositiveIntegerField(default=0)
    reinstated_at = models.DateTimeField(null=True, blank=True)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reinstatement_reason = models.TextField(_("reason for reinstatement"), blank=True)

    class Meta:
        ordering = ["-removed_at", "-pk"]
        verbose_name = _("removal for complaints")
        verbose_name_plural = _("removals for complaints")

    def __str__(self) -> str:
        return f"{self.company} {self.removed_at:%Y-%m-%d}"


class RenewalReview(models.Model):
    """An agreement near its end on the renewal list, with the figures that decide it (kept as they
    stood when listed) and the administrator's decision."""

    class Recommendation(models.TextChoices):
        RENEW = "renew", _("renew")
        DO_NOT_RENEW = "do_not_renew", _("do not renew")

    agreement = models.OneToOneField("providers.Agreement", on_delete=models.PROTECT, related_name="renewal_review")
    company = models.ForeignKey("providers.Company", on_delete=models.PROTECT, related_name="renewal_reviews")
    listed_on = models.DateField(_("listed on"))
    satisfied_jobs = models.PositiveIntegerField(_("satisfied jobs"))
    judged_jobs = models.PositiveIntegerField(_("jobs with a rating or call-back answer"))
    satisfaction = models.DecimalField(_("satisfaction"), max_digits=5, decimal_places=4, null=True, blank=True)
    satisfaction_target = models.DecimalField(_("satisfaction target"), max_digits=5, decimal_places=4)
    meets_target = models.BooleanField(_("meets the target"))
    upheld_complaints = models.PositiveIntegerField(_("upheld complaints in the term"))
    complaint_limit = models.PositiveSmallIntegerField(_("complaint limit"))
    jobs_completed = models.PositiveIntegerField(_("jobs completed in the term"))
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=Recommendation.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agreement__term_end", "pk"]
        verbose_name = _("renewal review")
        verbose_name_plural = _("renewal reviews")

    def __str__(self) -> str:
        return f"{self.company} → {self.agreement.term_end}"


# --- monthly report ------------------------------------------------------------------------------


class MonthlyReport(models.Model):
    """One row of the monthly report (月情况通报): one company or one linked unit in one month.

    Keyed by month and subject, so generating a month again replaces the figures in place."""

    class SubjectKind(models.TextChoices):
        COMPANY = "company", _("company")
        LINKED_UNIT = "linked_unit", _("linked unit")

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    subject_kind = models.CharField(max_length=12, choices=SubjectKind.choices)
    company = models.ForeignKey("providers.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    linked_unit = models.ForeignKey("marketplace.LinkedUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("name"), max_length=200)
    received = models.PositiveIntegerField(_("received"))
    accepted = models.PositiveIntegerField(_("accepted"), null=True, blank=True)  # units do not accept: empty
    completed = models.PositiveIntegerField(_("completed"))
    overdue = models.PositiveIntegerField(_("overdue"))
    average_response_minutes = models.DecimalField(
        _("average response time (minutes)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    satisfied_jobs = models.PositiveIntegerField(_("satisfied jobs"))
    judged_jobs = models.PositiveIntegerField(_("jobs with a rating or call-back answer"))
    satisfaction = models.DecimalField(_("satisfaction"), max_digits=5, decimal_places=4, null=True, blank=True)
    complaints_received = models.PositiveIntegerField(_("complaints received"))
    complaints_upheld = models.PositiveIntegerField(_("complaints upheld"))
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["month", "subject_kind", "subject_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["month", "company"], condition=models.Q(company__isnull=False),
                                    name="one_report_row_per_company_month"),
            models.UniqueConstraint(fields=["month", "linked_unit"], condition=models.Q(linked_unit__isnull=False),
                                    name="one_report_row_per_unit_month"),
            models.CheckConstraint(
                condition=(models.Q(company__isnull=False, linked_unit__isnull=True)
                           | models.Q(company__isnull=True, linked_unit__isnull=False)),
                name="report_row_has_one_subject",
            ),
        ]
        verbose_name = _("monthly report row")
        verbose_name_plural = _("monthly report rows")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.subject_name}"
