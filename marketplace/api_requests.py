"""REST API for service requests: residents raise and follow their own; company staff run the jobs
their company accepted; centre agents take hotline calls, supervise (督办), handle at once (即办) and
transfer (转办). Offers and hand dispatch live in ``matching/api.py``.

Who sees what: a resident only their own requests, a company only its own jobs, an agent all of
them. Anything out of reach answers 404 (an outsider learns nothing); a wrong role answers 403.
Reads go through ``marketplace.selectors_requests``, writes through ``marketplace.services`` only.
"""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from marketplace import selectors_requests as selectors
from marketplace import services
from marketplace.api import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    input_valid,
    money_field,
    page_of,
)
from marketplace.errors import DomainError
from marketplace.models import LinkedUnit, RequestStatus, ServiceRequest
from marketplace.roles import HasRole, Role
from marketplace.serializers_requests import (
    CentreRequestSerializer,
    CompanyJobDetailSerializer,
    CompanyJobSerializer,
    ReasonSerializer,
    RequestFieldsSerializer,
    ResidentRequestDetailSerializer,
    ResidentRequestSerializer,
)
from matching.serializers import CentreRequestDetailSerializer

RESIDENT_TAGS = ["requests"]
COMPANY_TAGS = ["company jobs"]
CENTRE_TAGS = ["centre"]

IsResident = HasRole.of(Role.RESIDENT)
IsCompanyStaff = HasRole.of(Role.COMPANY_STAFF)
IsCentreStaff = HasRole.of(Role.CENTRE_AGENT, Role.ADMINISTRATOR)

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 64  # ServiceRequest.idempotency_key
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=True,
    description=gettext_lazy("A key the client makes once per request it raises (e.g. a UUID). Sending the same "
                             "key again returns the request first made with it (200) and creates nothing."),
)


# --- shared plumbing -----------------------------------------------------------------------------


def paginated(*, request, view, queryset, serializer_class, context: dict) -> Response:
    """A page of rows, serialised with ``context`` (``now``, ``company``)."""
    paginator = api_settings.DEFAULT_PAGINATION_CLASS()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True, context=context).data)


def company_of(request):
    """The company the signed-in staff member works for; a company_staff user without one is refused."""
    company = selectors.company_of_staff(user=request.user)
    if company is None:
        raise PermissionDenied(_("You are not on the staff of any company."))
    return company


def idempotency_key_of(request, *, required: bool) -> str | None:
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key:
        if required:
            raise DomainError(
                _("Send an %(header)s header (one new key per request you raise) so a retry cannot raise it twice.")
                % {"header": IDEMPOTENCY_HEADER},
                code="idempotency_key_required",
            )
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise DomainError(
            _("The %(header)s header may be at most %(max)s characters.") % {"header": IDEMPOTENCY_HEADER, "max": IDEMPOTENCY_KEY_MAX_LENGTH},
            code="idempotency_key_invalid",
        )
    return key


def plain_number(value) -> str:
    """2.00 → "2", 1.50 → "1.5": the quantity as typed by a person, so limits read 160.00 not 160.0000."""
    return f"{Decimal(value).normalize():f}"


def request_fields(data: dict) -> dict:
    """The validated request fields, named as ``services.request_create`` takes them."""
    fields = {key: data[key] for key in RequestFieldsSerializer().fields if key in data}
    fields["product"] = fields.pop("item")
    return fields


# --- residents -----------------------------------------------------------------------------------


def _resident_detail(request, pk: int) -> dict:
    service_request = selectors.request_of_resident(user=request.user, pk=pk)
    return ResidentRequestDetailSerializer(service_request, context={"now": timezone.now()}).data


class RequestCreateApi(APIView):
    """Raise a request from the app. Needs an ``Idempotency-Key`` header: a retry with the same key
    returns the first request (200) and raises nothing new."""

    permission_classes = [IsAuthenticated, IsResident]

    class InputSerializer(RequestFieldsSerializer):
        contact_phone = serializers.CharField(max_length=20, help_text=gettext_lazy("Where the company may call you."))

    @extend_schema(
        operation_id="request_create",
        tags=RESIDENT_TAGS,
        summary=gettext_lazy("Raise a request"),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=InputSerializer,
        responses={
            201: ResidentRequestDetailSerializer,
            200: OpenApiResponse(ResidentRequestDetailSerializer, description=gettext_lazy("A retry: the request first raised with this key.")),
            400: BAD_REQUEST,
            403: FORBIDDEN,
        },
    )
    def post(self, request):
        key = idempotency_key_of(request, required=True)
        data = input_valid(self.InputSerializer(data=request.data))
        service_request, created = services.request_create(
            resident=request.user, created_by=request.user, channel=ServiceRequest.Channel.APP, idempotency_key=key,
            contact_phone=data["contact_phone"], **request_fields(data),
        )
        return Response(
            _resident_detail(request, service_request.pk), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class RequestListApi(APIView):
    """The signed-in resident's own requests, newest first."""

    permission_classes = [IsAuthenticated, IsResident]

    @extend_schema(
        operation_id="requests_list",
        tags=RESIDENT_TAGS,
        summary=gettext_lazy("List my requests"),
        responses={200: page_of(ResidentRequestSerializer, name="ResidentRequestPage"), 403: FORBIDDEN},
    )
    def get(self, request):
        return paginated(
            request=request, view=self, queryset=selectors.requests_of_resident(user=request.user),
            serializer_class=ResidentRequestSerializer, context={"now": timezone.now()},
        )


class RequestDetailApi(APIView):
    """One of my requests: status and its history, the responsible agent, the company, deadlines."""

    permission_classes = [IsAuthenticated, IsResident]

    @extend_schema(
        operation_id="request_retrieve",
        tags=RESIDENT_TAGS,
        summary=gettext_lazy("Show one of my requests"),
        responses={200: ResidentRequestDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return Response(_resident_detail(request, pk))


class RequestCancelApi(APIView):
    """Cancel one of my requests before service starts, saying why."""

    permission_classes = [IsAuthenticated, IsResident]

    class InputSerializer(ReasonSerializer):
        pass

    @extend_schema(
        operation_id="request_cancel",
        tags=RESIDENT_TAGS,
        summary=gettext_lazy("Cancel one of my requests"),
        request=InputSerializer,
        responses={200: ResidentRequestDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        service_request = selectors.request_of_resident(user=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.request_cancel(request=service_request, actor=request.user, reason=data["reason"])
        return Response(_resident_detail(request, pk))


# --- company jobs --------------------------------------------------------------------------------


def _job_detail(company, pk: int) -> dict:
    job = selectors.job_of_company(company=company, pk=pk)
    return CompanyJobDetailSerializer(job, context={"now": timezone.now(), "company": company}).data


class CompanyJobListApi(APIView):
    """The jobs my company accepted (filter by ?status=), the most recently accepted first."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)

    @extend_schema(
        operation_id="company_jobs_list",
        tags=COMPANY_TAGS,
        summary=gettext_lazy("List my company's jobs"),
        parameters=[FilterSerializer],
        responses={200: page_of(CompanyJobSerializer, name="CompanyJobPage"), 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def get(self, request):
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        company = company_of(request)
        statuses = [filters["status"]] if filters.get("status") else None
        return paginated(
            request=request, view=self, queryset=selectors.jobs_of_company(company=company, statuses=statuses),
            serializer_class=CompanyJobSerializer, context={"now": timezone.now(), "company": company},
        )


class CompanyJobDetailApi(APIView):
    """One of my company's jobs, with the resident's full phone number (the company accepted it)."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    @extend_schema(
        operation_id="company_job_retrieve",
        tags=COMPANY_TAGS,
        summary=gettext_lazy("Show one of my company's jobs"),
        responses={200: CompanyJobDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return Response(_job_detail(company_of(request), pk))


class CompanyJobSetOffApi(APIView):
    """We are on our way to the resident."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    @extend_schema(
        operation_id="company_job_set_off",
        tags=COMPANY_TAGS,
        summary=gettext_lazy("Set off to a job"),
        request=None,
        responses={200: CompanyJobDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        company = company_of(request)
        services.job_set_off(request=selectors.job_of_company(company=company, pk=pk), company=company, actor=request.user)
        return Response(_job_detail(company, pk))


class CompanyJobArriveApi(APIView):
    """We arrived; service starts."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    @extend_schema(
        operation_id="company_job_arrive",
        tags=COMPANY_TAGS,
        summary=gettext_lazy("Arrive at a job"),
        request=None,
        responses={200: CompanyJobDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        company = company_of(request)
        services.job_arrive(request=selectors.job_of_company(company=company, pk=pk), company=company, actor=request.user)
        return Response(_job_detail(company, pk))


class CompanyJobCompleteApi(APIView):
    """The work is done: record the final price, at most quantity × the contracted price."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    class InputSerializer(serializers.Serializer):
        final_price = money_field(help_text=gettext_lazy("In yuan, two decimals."))
        quantity = serializers.DecimalField(
            max_digits=9, decimal_places=2, required=False, default="1",
            help_text=gettext_lazy("How many units (hours, m², pieces) of the item were served."),
        )
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="company_job_complete",
        tags=COMPANY_TAGS,
        summary=gettext_lazy("Complete a job"),
        request=InputSerializer,
        responses={200: CompanyJobDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        company = company_of(request)
        job = selectors.job_of_company(company=company, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.job_complete(request=job, company=company, actor=request.user, final_price=data["final_price"],
                              quantity=plain_number(data["quantity"]), note=data["note"])
        return Response(_job_detail(company, pk))


# --- the centre ----------------------------------------------------------------------------------


def centre_detail(pk: int) -> dict:
    return CentreRequestDetailSerializer(selectors.request_for_centre(pk=pk), context={"now": timezone.now()}).data


class HotlineIntakeApi(APIView):
    """Enter a hotline call: the caller's phone finds the resident (or makes one); the agent becomes
    the request's owner (首问负责). An ``Idempotency-Key`` header is optional here."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(RequestFieldsSerializer):
        phone = serializers.CharField(max_length=20, help_text=gettext_lazy("The caller's phone number."))
        name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="",
                                     help_text=gettext_lazy("The caller's name, for a new resident."))
        contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                              help_text=gettext_lazy("Where to call back, if not the caller's phone."))

    @extend_schema(
        operation_id="centre_hotline_intake",
        tags=CENTRE_TAGS,
        summary=gettext_lazy("Enter a hotline call"),
        request=InputSerializer,
        responses={
            201: CentreRequestDetailSerializer,
            200: OpenApiResponse(CentreRequestDetailSerializer, description=gettext_lazy("A retry with the same key.")),
            400: BAD_REQUEST,
            403: FORBIDDEN,
        },
    )
    def post(self, request):
        key = idempotency_key_of(request, required=False)
        data = input_valid(self.InputSerializer(data=request.data))
        # One unit of work: a refused request must not leave a new resident behind.
        with transaction.atomic():
            resident = services.resident_for_phone(phone=data["phone"], name=data["name"])
            service_request, created = services.request_create(
                resident=resident, created_by=request.user, owner=request.user, channel=ServiceRequest.Channel.HOTLINE,
                contact_phone=data["contact_phone"] or data["phone"], idempotency_key=key, **request_fields(data),
            )
        return Response(centre_detail(service_request.pk), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SuperviseQueueApi(APIView):
    """督办: escalated requests and open requests past a deadline, oldest first, with their owner."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(
        operation_id="centre_supervise_list",
        tags=CENTRE_TAGS,
        summary=gettext_lazy("Supervise queue"),
        responses={200: page_of(CentreRequestSerializer, name="SuperviseQueuePage"), 403: FORBIDDEN},
    )
    def get(self, request):
        now = timezone.now()
        return paginated(
            request=request, view=self, queryset=selectors.supervise_queue(now=now),
            serializer_class=CentreRequestSerializer, context={"now": now},
        )


class CentreRequestDetailApi(APIView):
    """Any request, with its history, the offers made and the matcher's candidates with their score parts."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(
        operation_id="centre_request_retrieve",
        tags=CENTRE_TAGS,
        summary=gettext_lazy("Show a request to an agent"),
        responses={200: CentreRequestDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return Response(centre_detail(pk))


class CentreRequestHandleAtOnceApi(APIView):
    """即办: the agent answers the request and closes it."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(serializers.Serializer):
        resolution = serializers.CharField(allow_blank=True, help_text=gettext_lazy("The answer given to the resident."))

    @extend_schema(
        operation_id="centre_request_handle_at_once",
        tags=CENTRE_TAGS,
        summary=gettext_lazy("Handle a request at once"),
        request=InputSerializer,
        responses={200: CentreRequestDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        service_request = selectors.request_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.request_handle_at_once(request=service_request, agent=request.user, resolution=data["resolution"])
        return Response(centre_detail(pk))


class CentreRequestTransferApi(APIView):
    """转办: send the request to a linked government unit, whose duty contact reports back."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(ReasonSerializer):
        unit_code = serializers.SlugRelatedField(slug_field="code", queryset=LinkedUnit.objects.all(),
                                                 help_text=gettext_lazy("The linked unit's code."))

    @extend_schema(
        operation_id="centre_request_transfer",
        tags=CENTRE_TAGS,
        summary=gettext_lazy("Transfer a request to a linked unit"),
        request=InputSerializer,
        responses={200: CentreRequestDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        service_request = selectors.request_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.request_transfer_to_unit(request=service_request, agent=request.user, unit=data["unit_code"], reason=data["reason"])
        return Response(centre_detail(pk))


class CentreRequestRestartMatchingApi(APIView):
    """督办: send an escalated request back to the matcher, saying why."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(help_text=gettext_lazy("Why matching starts again; recorded in the history."))

    @extend_schema(
        operation_id="centre_request_restart_matching",
        tags=CENTRE_TAGS,
        summary=gettext_lazy("Restart matching"),
        request=InputSerializer,
        responses={200: CentreRequestDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        service_request = selectors.request_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.request_restart_matching(request=service_request, agent=request.user, reason=data["reason"])
        return Response(centre_detail(pk))
