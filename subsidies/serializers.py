"""Output and input shapes of the subsidy API."""
from __future__ import annotations

from rest_framework import serializers

from subsidies.models import PayoutLine, PayoutMethod, PayoutRun, SubsidyLedgerEntry


class PayoutRunSerializer(serializers.ModelSerializer):
    started_by = serializers.StringRelatedField()
    reviewed_by = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()

    class Meta:
        model = PayoutRun
        fields = ["id", "year", "status", "subsidy_rate", "reward_rate", "satisfaction_target", "started_by", "started_at",
                  "computed_at", "reviewed_by", "reviewed_at", "approved_by", "approved_at", "line_count", "total_volume",
                  "total_subsidy", "total_reward", "total_amount"]


class PayoutLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayoutLine
        fields = ["id", "run", "company", "company_name", "region_name", "category_name", "volume", "job_count",
                  "satisfied_jobs", "judged_jobs", "satisfaction", "upheld_complaints", "removed_for_complaints",
                  "eligible_for_reward", "eligibility", "subsidy", "reward", "total", "payout_state", "paid_via",
                  "payout_reference", "provider_reference", "paid_at"]


class PayoutRunDetailSerializer(PayoutRunSerializer):
    lines = PayoutLineSerializer(many=True, read_only=True)

    class Meta(PayoutRunSerializer.Meta):
        fields = [*PayoutRunSerializer.Meta.fields, "lines"]


class LedgerEntrySerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()

    class Meta:
        model = SubsidyLedgerEntry
        fields = ["id", "run", "line", "company", "kind", "amount", "reason", "corrects", "created_by", "created_at"]


class StatementSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="run.year")

    class Meta:
        model = PayoutLine
        fields = ["id", "year", "volume", "job_count", "satisfied_jobs", "judged_jobs", "satisfaction",
                  "upheld_complaints", "eligibility", "subsidy", "reward", "total", "payout_state", "paid_via", "paid_at"]


class RunStartInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class AdjustmentInput(serializers.Serializer):
    amount = serializers.CharField(help_text="Signed amount in yuan with at most two decimals, e.g. \"-12.50\".")
    reason = serializers.CharField(allow_blank=True)
    corrects = serializers.IntegerField(required=False, allow_null=True)


class PayInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=PayoutMethod.choices)
    reference = serializers.CharField(allow_blank=True, required=False, default="",
                                      help_text="The bank's transaction number (bank transfers only).")
