"""Output shapes of companies that several API operations answer with (providers/api.py).

Every answer about one company carries its status, the moves it may make next and its history,
so a client never has to guess the admission pipeline.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api import CategoryRefSerializer, RegionRefSerializer
from providers.services import allowed_moves


class AllowedMoveSerializer(serializers.Serializer):
    to_status = serializers.CharField()
    label = serializers.CharField()


def _moves(company) -> list[dict]:
    return [{"to_status": to_status, "label": label} for to_status, label in allowed_moves(company=company)]


class CompanySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    credit_code = serializers.CharField()
    base_region = RegionRefSerializer()
    categories = CategoryRefSerializer(many=True, source="categories.all")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    allowed_moves = serializers.SerializerMethodField()

    @extend_schema_field(AllowedMoveSerializer(many=True))
    def get_allowed_moves(self, company):
        return _moves(company)


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField()
    changed_at = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, change):
        return str(change.actor) if change.actor else None


class AgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    renews = serializers.IntegerField(source="renews_id", allow_null=True)
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    signed_on = serializers.DateField()
    service_hours = serializers.CharField()
    service_norms = serializers.CharField()
    dispute_handling = serializers.CharField()
    legal_liability = serializers.CharField()
    fee_schedule = serializers.DictField(
        child=serializers.CharField(), help_text=_("Contracted prices at signing: item id → price.")
    )


class CompanyDetailSerializer(CompanySummarySerializer):
    licence_number = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    base_latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    base_longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    service_regions = RegionRefSerializer(many=True, source="service_regions.all")
    service_radius_km = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    opens_at = serializers.TimeField()
    closes_at = serializers.TimeField()
    capacity = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    history = StatusChangeSerializer(many=True, source="status_changes.all")
    agreements = AgreementSerializer(many=True, source="agreements.all")
