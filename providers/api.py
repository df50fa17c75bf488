"""REST API for companies: applying, the admission moves and agreements.

Who sees what: administrators and centre agents see every company; company staff see only their own
company (another company's id answers 404, so an outsider learns nothing); everyone else gets 403.
Writes go through ``providers.services`` only.
"""
from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from oscar.core.loading import get_model
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    input_valid,
    page_of,
    paginated_response,
)
from marketplace.models import Region
from marketplace.roles import HasRole, Role, has_role
from providers import services
from providers.models import Company, CompanyStatus, CompanyStatusChange
from providers.selectors import companies_of_user
from providers.serializers import CompanyDetailSerializer, CompanySummarySerializer

Category = get_model("catalogue", "Category")

TAGS = ["companies"]
# Roles that oversee every company; company staff reach only their own.
OVERSEERS = (Role.ADMINISTRATOR, Role.CENTRE_AGENT)


def companies_within_reach(*, user, overseers=OVERSEERS):
    """The companies ``user`` may see: all for an overseer, else only the companies they staff."""
    if has_role(user, *overseers):
        return Company.objects.all()
    if has_role(user, Role.COMPANY_STAFF):
        return companies_of_user(user=user)
    return Company.objects.none()


def company_within_reach(*, user, pk: int, overseers=OVERSEERS) -> Company:
    """One company the user may act on, or 404 (never 403: another company's existence is not told)."""
    return get_object_or_404(companies_within_reach(user=user, overseers=overseers), pk=pk)


def _detail_queryset():
    return Company.objects.select_related("base_region").prefetch_related(
        "categories",
        "service_regions",
        "agreements",
        Prefetch("status_changes", queryset=CompanyStatusChange.objects.select_related("actor")),
    )


def _detail(company: Company) -> dict:
    return CompanyDetailSerializer(_detail_queryset().get(pk=company.pk)).data


class CompanyListApi(APIView):
    """Companies: all of them for administrators and centre agents (filter by ?status=), one's own for company staff."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR, Role.CENTRE_AGENT, Role.COMPANY_STAFF)]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=CompanyStatus.choices, required=False)

    @extend_schema(
        operation_id="companies_list",
        tags=TAGS,
        summary=_("List companies"),
        parameters=[FilterSerializer],
        responses={200: page_of(CompanySummarySerializer, name="CompanyPage"), 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def get(self, request):
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        companies = (
            companies_within_reach(user=request.user)
            .select_related("base_region")
            .prefetch_related("categories")
            .order_by("legal_name", "pk")
        )
        if filters.get("status"):
            companies = companies.filter(status=filters["status"])
        return paginated_response(
            request=request, view=self, queryset=companies, serializer_class=CompanySummarySerializer
        )


class CompanyDetailApi(APIView):
    """One company with its status, the moves it may make next, its history and agreements."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR, Role.CENTRE_AGENT, Role.COMPANY_STAFF)]

    @extend_schema(
        operation_id="company_retrieve",
        tags=TAGS,
        summary=_("Show one company"),
        responses={200: CompanyDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        company = company_within_reach(user=request.user, pk=pk)
        return Response(_detail(company))


class CompanyApplyApi(APIView):
    """Apply to become a contracted company (自愿申报). The applicant becomes the company's first staff user."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        legal_name = serializers.CharField(max_length=200)
        credit_code = serializers.CharField(max_length=18, help_text=_("Unified social credit code, 18 characters."))
        licence_number = serializers.CharField(max_length=64)
        contact_name = serializers.CharField(max_length=64)
        contact_phone = serializers.CharField(max_length=20)
        categories = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), many=True)
        base_region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
        base_latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
        base_longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
        service_regions = serializers.SlugRelatedField(
            slug_field="code", queryset=Region.objects.all(), many=True, required=False
        )
        service_radius_km = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
        opens_at = serializers.TimeField()
        closes_at = serializers.TimeField()
        capacity = serializers.IntegerField(required=False)

    @extend_schema(
        operation_id="company_apply",
        tags=TAGS,
        summary=_("Apply as a company"),
        request=InputSerializer,
        responses={201: CompanyDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request):
        fields = dict(input_valid(self.InputSerializer(data=request.data)))
        categories = fields.pop("categories")
        service_regions = fields.pop("service_regions", [])
        company = services.company_apply(
            applicant=request.user, fields=fields, categories=categories, service_regions=service_regions
        )
        return Response(_detail(company), status=status.HTTP_201_CREATED)


class CompanyTransitionApi(APIView):
    """Move a company along the admission pipeline (inspection, approval within the quota, suspension…)."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR)]

    class InputSerializer(serializers.Serializer):
        to_status = serializers.ChoiceField(choices=CompanyStatus.choices)
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="company_transition",
        tags=TAGS,
        summary=_("Move a company to another admission status"),
        request=InputSerializer,
        responses={200: CompanyDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        company = get_object_or_404(Company, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        company = services.company_transition(
            company=company, to_status=data["to_status"], actor=request.user, reason=data["reason"]
        )
        return Response(_detail(company))


class CompanyContractApi(APIView):
    """Sign the franchise agreement (加盟协议): contracts an approved company, or renews one."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR)]

    class InputSerializer(serializers.Serializer):
        term_start = serializers.DateField()
        term_end = serializers.DateField()
        signed_on = serializers.DateField()
        service_hours = serializers.CharField(max_length=200)
        service_norms = serializers.CharField()
        dispute_handling = serializers.CharField()
        legal_liability = serializers.CharField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="company_contract",
        tags=TAGS,
        summary=_("Sign a company's agreement"),
        request=InputSerializer,
        responses={201: CompanyDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        company = get_object_or_404(Company, pk=pk)
        agreement_fields = dict(input_valid(self.InputSerializer(data=request.data)))
        reason = agreement_fields.pop("reason")
        services.company_contract(company=company, actor=request.user, agreement_fields=agreement_fields, reason=reason)
        return Response(_detail(company), status=status.HTTP_201_CREATED)
