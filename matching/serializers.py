"""Shapes of offers and of the matcher's reasoning in the API: a company's inbox of offers (phone
masked, seconds left) and, for the centre, every candidate with the parts of its score."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api import ItemRefSerializer, RegionRefSerializer
from marketplace.selectors_requests import mask_phone
from marketplace.serializers_requests import (
    CentreRequestSerializer,
    RequestHistoryEntryWithActorSerializer,
    now_of,
    person_name,
)


class OfferedRequestSerializer(serializers.Serializer):
    """What a company learns of a request before accepting it: enough to decide, never the phone."""

    id = serializers.IntegerField()
    item = ItemRefSerializer(source="product")
    description = serializers.CharField()
    answers = serializers.JSONField()
    address = serializers.CharField()
    region = RegionRefSerializer(allow_null=True)
    as_soon_as_possible = serializers.BooleanField()
    window_start = serializers.DateTimeField(allow_null=True)
    window_end = serializers.DateTimeField(allow_null=True)
    contact_phone = serializers.SerializerMethodField(help_text=_("Masked until your company accepts."))
    owner_name = serializers.SerializerMethodField(help_text=_("The responsible agent (首问负责), if any."))
    response_due_at = serializers.DateTimeField()
    completion_due_at = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField())
    def get_contact_phone(self, request):
        return mask_phone(request.contact_phone)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner_name(self, request):
        return person_name(request.owner)


class OfferSerializer(serializers.Serializer):
    """One offer in a company's inbox."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    offered_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    seconds_left = serializers.SerializerMethodField(help_text=_("Seconds until the offer expires (0 once expired)."))
    by_hand = serializers.BooleanField(help_text=_("Dispatched by an agent rather than the matcher."))
    request = OfferedRequestSerializer()

    @extend_schema_field(serializers.IntegerField())
    def get_seconds_left(self, offer):
        return max(0, int((offer.expires_at - now_of(self)).total_seconds()))


class OfferDeclinedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    decline_reason = serializers.CharField()
    responded_at = serializers.DateTimeField()


class CandidateSerializer(serializers.Serializer):
    """One company the matcher considered, with the parts of its score (lower cost is better)."""

    company_id = serializers.IntegerField()
    company_name = serializers.CharField()
    distance_km = serializers.FloatField()
    parts = serializers.DictField(child=serializers.FloatField(), help_text=_("distance, rating, acceptance, load, fairness"))
    cost = serializers.FloatField()
    chosen = serializers.BooleanField(default=False)


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    batch = serializers.BooleanField()
    candidates = CandidateSerializer(many=True)


class OfferHistorySerializer(serializers.Serializer):
    """An offer as the centre sees it: to whom, how it ended, why."""

    id = serializers.IntegerField()
    company_id = serializers.IntegerField()
    company_name = serializers.CharField(source="company.legal_name")
    status = serializers.CharField()
    offered_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    by_hand = serializers.BooleanField()
    hand_reason = serializers.CharField()


class CentreRequestDetailSerializer(CentreRequestSerializer):
    """One request for an agent: everything, its history with who acted, the offers made and the
    matcher's runs (candidates and the parts of their scores)."""

    history = RequestHistoryEntryWithActorSerializer(many=True, source="status_changes.all")
    offers = OfferHistorySerializer(many=True, source="offers.all")
    matches = MatchSerializer(many=True, source="matches.all")
