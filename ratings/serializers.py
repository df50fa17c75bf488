"""Shapes of ratings, call-backs, complaints, removals, renewals, the monthly report and the league
table in the API. Output only; each operation's input serializer sits on its APIView."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api import ItemRefSerializer, money_field
from marketplace.serializers_requests import person_name


def rate_field(**kwargs) -> serializers.DecimalField:
    """A satisfaction rate, 0–1, four places (shown rounded; decisions use the counts)."""
    return serializers.DecimalField(max_digits=5, decimal_places=4, coerce_to_string=True, allow_null=True, **kwargs)


class RatedCompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request_id = serializers.IntegerField()
    item = ItemRefSerializer(source="request.product")
    company = RatedCompanyRefSerializer()
    overall = serializers.IntegerField()
    punctuality = serializers.IntegerField()
    attitude = serializers.IntegerField()
    quality = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ResidentRatingSerializer(RatingSerializer):
    editable_until = serializers.SerializerMethodField(help_text=_("The last day the rating may be changed."))

    @extend_schema_field(serializers.DateField())
    def get_editable_until(self, rating):
        from ratings.selectors import rating_last_edit_day

        return rating_last_edit_day(rating=rating)


class RatingSummarySerializer(serializers.Serializer):
    """How residents rate a company: the number of ratings and average stars (one decimal)."""

    count = serializers.IntegerField()
    overall = serializers.DecimalField(max_digits=2, decimal_places=1, allow_null=True)
    punctuality = serializers.DecimalField(max_digits=2, decimal_places=1, allow_null=True)
    attitude = serializers.DecimalField(max_digits=2, decimal_places=1, allow_null=True)
    quality = serializers.DecimalField(max_digits=2, decimal_places=1, allow_null=True)


class ComplaintHistoryEntrySerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    changed_at = serializers.DateTimeField()


class ComplaintHistoryEntryWithActorSerializer(ComplaintHistoryEntrySerializer):
    actor = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, change):
        return person_name(change.actor)


class PriceComparisonSerializer(serializers.Serializer):
    """For an overcharge complaint: what was paid beside the contracted and guide prices (per unit)."""

    final_price = money_field(allow_null=True)
    contract_price = money_field(allow_null=True)
    guide_price = money_field(allow_null=True)
    market_price = money_field(allow_null=True)


class ComplaintSerializer(serializers.Serializer):
    """A complaint as its resident or the company sees it."""

    id = serializers.IntegerField()
    request_id = serializers.IntegerField()
    item = ItemRefSerializer(source="request.product")
    company = RatedCompanyRefSerializer()
    channel = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    description = serializers.CharField()
    evidence_text = serializers.CharField()
    evidence_file = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    company_response = serializers.CharField()
    company_responded_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    reopen_until = serializers.SerializerMethodField(help_text=_("The last day the resident may reopen it."))
    prices = serializers.SerializerMethodField(help_text=_("Overcharge complaints only."))
    history = ComplaintHistoryEntrySerializer(many=True, source="status_changes.all")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_evidence_file(self, complaint):
        return complaint.evidence_file.url if complaint.evidence_file else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_reopen_until(self, complaint):
        from ratings.selectors import complaint_reopen_last_day

        return complaint_reopen_last_day(complaint=complaint)

    @extend_schema_field(PriceComparisonSerializer(allow_null=True))
    def get_prices(self, complaint):
        from ratings.selectors import price_comparison

        if complaint.category != "overcharge":
            return None
        return PriceComparisonSerializer(price_comparison(complaint=complaint)).data


class CentreComplaintSerializer(ComplaintSerializer):
    """A complaint for an agent: also who complained, who filed it, and who moved it."""

    resident = serializers.SerializerMethodField()
    filed_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    upheld_at = serializers.DateTimeField(allow_null=True)
    history = ComplaintHistoryEntryWithActorSerializer(many=True, source="status_changes.all")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_resident(self, complaint):
        return person_name(complaint.resident)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_filed_by(self, complaint):
        return person_name(complaint.filed_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by(self, complaint):
        return person_name(complaint.decided_by)


class CallBackAttemptSerializer(serializers.Serializer):
    agent = serializers.SerializerMethodField()
    reached = serializers.BooleanField()
    outcome = serializers.CharField()
    notes = serializers.CharField()
    called_at = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agent(self, attempt):
        return person_name(attempt.agent)


class CallBackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request_id = serializers.IntegerField()
    item = ItemRefSerializer(source="request.product")
    request_status = serializers.CharField(source="request.status")
    owner_name = serializers.SerializerMethodField(help_text=_("The responsible agent (首问负责)."))
    contact_phone = serializers.CharField(source="request.contact_phone")
    company = RatedCompanyRefSerializer(allow_null=True)
    linked_unit = serializers.CharField(source="linked_unit.name", allow_null=True, default=None)
    status = serializers.CharField()
    outcome = serializers.CharField()
    queued_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    attempts = CallBackAttemptSerializer(many=True, source="attempts.all")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner_name(self, callback):
        return person_name(callback.request.owner)


class RemovalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    company = RatedCompanyRefSerializer()
    company_status = serializers.CharField(source="company.status")
    term_start = serializers.DateField(source="agreement.term_start")
    term_end = serializers.DateField(source="agreement.term_end")
    complaint_ids = serializers.SerializerMethodField()
    removed_at = serializers.DateTimeField()
    jobs_rematched = serializers.IntegerField()
    offers_withdrawn = serializers.IntegerField()
    reinstated_at = serializers.DateTimeField(allow_null=True)
    reinstatement_reason = serializers.CharField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_complaint_ids(self, removal):
        return sorted(c.pk for c in removal.complaints.all())


class RenewalReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    company = RatedCompanyRefSerializer()
    term_start = serializers.DateField(source="agreement.term_start")
    term_end = serializers.DateField(source="agreement.term_end")
    listed_on = serializers.DateField()
    satisfied_jobs = serializers.IntegerField()
    judged_jobs = serializers.IntegerField()
    satisfaction = rate_field()
    satisfaction_target = rate_field()
    meets_target = serializers.BooleanField()
    upheld_complaints = serializers.IntegerField()
    complaint_limit = serializers.IntegerField()
    jobs_completed = serializers.IntegerField()
    recommendation = serializers.CharField()
    decision = serializers.CharField()
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class MonthlyReportRowSerializer(serializers.Serializer):
    subject_kind = serializers.CharField()
    subject_id = serializers.SerializerMethodField()
    subject_name = serializers.CharField()
    received = serializers.IntegerField()
    accepted = serializers.IntegerField(allow_null=True)
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    average_response_minutes = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    satisfied_jobs = serializers.IntegerField()
    judged_jobs = serializers.IntegerField()
    satisfaction = rate_field()
    complaints_received = serializers.IntegerField()
    complaints_upheld = serializers.IntegerField()

    @extend_schema_field(serializers.IntegerField())
    def get_subject_id(self, row):
        return row.company_id or row.linked_unit_id


class MonthlyReportSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    companies = MonthlyReportRowSerializer(many=True)
    units = MonthlyReportRowSerializer(many=True)


class LeagueRowSerializer(serializers.Serializer):
    company = RatedCompanyRefSerializer()
    status = serializers.CharField(source="company.status")
    categories = serializers.ListField(child=serializers.CharField())
    jobs_done = serializers.IntegerField()
    satisfaction = rate_field()
    judged_jobs = serializers.IntegerField()
    upheld_complaints = serializers.IntegerField()
    rating = RatingSummarySerializer()
