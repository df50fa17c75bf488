"""Shapes of service requests in the API, one per audience: the resident who raised it, the company
doing the job, the centre's agents. Each shows the responsible agent (首问负责) and the deadlines.

Derived facts (overdue, masked phone) come from ``marketplace.selectors_requests``; serializers need
``now`` in their context (and ``company`` for a company's view) so a page is judged at one moment.
"""
from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from oscar.core.loading import get_model
from rest_framework import serializers

from marketplace.api import ItemRefSerializer, RegionRefSerializer, money_field
from marketplace.selectors_requests import (
    can_see_contact,
    company_average_rating,
    mask_phone,
    request_overdue_kind,
)

Product = get_model("catalogue", "Product")


def person_name(user) -> str | None:
    return str(user) if user is not None else None


def now_of(serializer) -> datetime.datetime:
    return serializer.context.get("now") or timezone.now()


# --- input ---------------------------------------------------------------------------------------


class CoordinateField(serializers.DecimalField):
    """A latitude or longitude in degrees, kept to six decimal places (about 0.1 m); apps send more
    digits than that, so extra ones are rounded rather than refused (coordinates are not money)."""

    STEP = Decimal("0.000001")

    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=6, **kwargs)

    def validate_precision(self, value):
        return super().validate_precision(value.quantize(self.STEP, rounding=ROUND_HALF_UP))


class RequestFieldsSerializer(serializers.Serializer):
    """What a request is about: shared by the resident's create and the hotline intake. The rules
    (item offered, answers, time window) are checked by ``marketplace.services.request_create``."""

    item = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), help_text=_("Service item id."))
    description = serializers.CharField(allow_blank=True, help_text=_("What is needed, in the resident's words."))
    answers = serializers.DictField(required=False, default=dict, help_text=_("Answers to the item's booking questions, by code."))
    address = serializers.CharField(max_length=255)
    latitude = CoordinateField()
    longitude = CoordinateField()
    as_soon_as_possible = serializers.BooleanField(required=False, default=True)
    window_start = serializers.DateTimeField(required=False, allow_null=True, default=None)
    window_end = serializers.DateTimeField(required=False, allow_null=True, default=None)
    public_interest = serializers.BooleanField(required=False, default=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text=_("Why; recorded in the request's history."))


# --- output --------------------------------------------------------------------------------------


class RequestHistoryEntrySerializer(serializers.Serializer):
    """One move of the request's status (from the history rows)."""

    from_status = serializers.CharField()
    to_status = serializers.CharField()
    to_status_label = serializers.CharField(source="get_to_status_display")
    reason = serializers.CharField(source="reason_for_resident")
    changed_at = serializers.DateTimeField()


class RequestHistoryEntryWithActorSerializer(RequestHistoryEntrySerializer):
    """Staff see the whole reason, working notes included."""

    reason = serializers.CharField()
    actor = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, change):
        return person_name(change.actor)


class RequestBaseSerializer(serializers.Serializer):
    """What every audience sees of a request, the responsible agent and the deadlines included."""

    id = serializers.IntegerField()
    item = ItemRefSerializer(source="product")
    description = serializers.CharField()
    answers = serializers.JSONField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    region = RegionRefSerializer(allow_null=True)
    as_soon_as_possible = serializers.BooleanField()
    window_start = serializers.DateTimeField(allow_null=True)
    window_end = serializers.DateTimeField(allow_null=True)
    channel = serializers.CharField()
    public_interest = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    owner_name = serializers.SerializerMethodField(help_text=_("The responsible agent (首问负责), if an agent took it."))
    response_due_at = serializers.DateTimeField()
    completion_due_at = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField(help_text=_("A deadline has passed with the work not done."))
    overdue_kind = serializers.SerializerMethodField(help_text=_("Which deadline: response or completion."))
    created_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner_name(self, request):
        return person_name(request.owner)

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, request):
        return request_overdue_kind(request=request, now=now_of(self)) is not None

    @extend_schema_field(serializers.ChoiceField(choices=["response", "completion"], allow_null=True))
    def get_overdue_kind(self, request):
        return request_overdue_kind(request=request, now=now_of(self))


class CompanyNameMixin(serializers.Serializer):
    company_id = serializers.IntegerField(allow_null=True)
    company_name = serializers.SerializerMethodField()
    company_average_rating = serializers.SerializerMethodField(
        help_text=_("The company's average rating; null until ratings are recorded.")
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_company_name(self, request):
        return request.company.legal_name if request.company_id else None

    @extend_schema_field(serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True))
    def get_company_average_rating(self, request):
        return company_average_rating(company=request.company) if request.company_id else None


class ResidentRequestSerializer(CompanyNameMixin, RequestBaseSerializer):
    """A request as the resident who raised it sees it (in lists)."""

    contact_phone = serializers.CharField()


class ResidentRequestDetailSerializer(ResidentRequestSerializer):
    """One request with its history, as the resident sees it."""

    final_price = money_field(allow_null=True)
    resolution = serializers.CharField()
    history = RequestHistoryEntrySerializer(many=True, source="status_changes.all")


class CompanyJobSerializer(RequestBaseSerializer):
    """A job as the company doing it sees it. The resident's phone stays masked until the company
    has accepted (``context["company"]``)."""

    contact_phone = serializers.SerializerMethodField(help_text=_("Masked (139****0001) until your company accepts."))
    contact_phone_masked = serializers.SerializerMethodField()
    final_price = money_field(allow_null=True)
    resolution = serializers.CharField()

    @extend_schema_field(serializers.CharField())
    def get_contact_phone(self, request):
        if can_see_contact(request=request, company=self.context.get("company")):
            return request.contact_phone
        return mask_phone(request.contact_phone)

    @extend_schema_field(serializers.BooleanField())
    def get_contact_phone_masked(self, request):
        return not can_see_contact(request=request, company=self.context.get("company"))


class CompanyJobDetailSerializer(CompanyJobSerializer):
    history = RequestHistoryEntrySerializer(many=True, source="status_changes.all")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    phone = serializers.CharField(allow_null=True)


class LinkedUnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    duty_contact_name = serializers.CharField()
    duty_contact_phone = serializers.CharField()


class CentreRequestSerializer(CompanyNameMixin, RequestBaseSerializer):
    """A request as the centre's agents see it: everything, the resident's phone included."""

    resident = PersonSerializer()
    contact_phone = serializers.CharField()
    linked_unit = LinkedUnitRefSerializer(allow_null=True)
    final_price = money_field(allow_null=True)
    resolution = serializers.CharField()
