"""REST API for payments: a resident pays their completed job and follows it; the company records cash;
the resident (or an agent) confirms it; an administrator refunds.

Fences as everywhere: a resident reaches only their own jobs, a company only its own, anything else answers
404; a wrong role answers 403. A provider that cannot be reached answers 502 and nothing changes.
Writes go through ``marketplace.payments.services`` only.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace import selectors_requests
from marketplace.api import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    ErrorSerializer,
    input_valid,
    money_field,
)
from marketplace.api_errors import _jsonable
from marketplace.api_requests import IsCompanyStaff, IsResident, company_of
from marketplace.payments import selectors, services
from marketplace.payments.errors import GatewayError
from marketplace.payments.models import Payment, PaymentMethod
from marketplace.payments.serializers import (
    JobPaymentSerializer,
    PaymentSerializer,
    PaymentStartedSerializer,
    RefundSerializer,
)
from marketplace.roles import HasRole, Role, has_role

TAGS = ["payments"]
IsAdministrator = HasRole.of(Role.ADMINISTRATOR)
IsCentre = HasRole.of(Role.CENTRE_AGENT, Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
BAD_GATEWAY = OpenApiResponse(ErrorSerializer, description=gettext_lazy("The payment provider could not be reached; nothing changed."))


def gateway_failed(exc: GatewayError) -> Response:
    return Response({"code": exc.code, "detail": str(exc.message), "params": _jsonable(exc.params)},
                    status=status.HTTP_502_BAD_GATEWAY)


def job_payment(request) -> dict:
    summary = selectors.job_payment_summary(request=request)
    return JobPaymentSerializer({
        "request_id": request.pk, "state": summary.state, "price": summary.price, "net_paid": summary.net_paid,
        "paid": summary.paid, "open": summary.open, "refunds": summary.refunds,
    }).data


def _request_in_reach(user, pk: int):
    """The job as this user may see it: the resident's own, the company's own, any for the centre."""
    if has_role(user, Role.CENTRE_AGENT, Role.FINANCE_OFFICER, Role.ADMINISTRATOR):
        return selectors_requests.request_for_centre(pk=pk)
    if has_role(user, Role.COMPANY_STAFF):
        company = selectors_requests.company_of_staff(user=user)
        if company is not None:
            return selectors_requests.job_of_company(company=company, pk=pk)
    if has_role(user, Role.RESIDENT):
        return selectors_requests.request_of_resident(user=user, pk=pk)
    raise PermissionDenied


class JobPaymentStatusApi(APIView):
    """Where the job's payment stands: the resident's own job, the company's own job, or any for the centre."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.RESIDENT, Role.COMPANY_STAFF, Role.CENTRE_AGENT,
                                                      Role.FINANCE_OFFICER, Role.ADMINISTRATOR)]

    @extend_schema(operation_id="job_payment_status", tags=TAGS, summary=gettext_lazy("Get a job's payment status"),
                   responses={200: JobPaymentSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(job_payment(_request_in_reach(request.user, pk)))


class PaymentStartApi(APIView):
    """Pay my completed job: returns what the client needs (signed JSAPI parameters, a Native code_url or a
    Stripe client_secret). Asking again with the same method returns the open payment."""

    permission_classes = [IsAuthenticated, IsResident]

    class InputSerializer(serializers.Serializer):
        method = serializers.ChoiceField(choices=[m for m in PaymentMethod.values if m != PaymentMethod.CASH])
        openid = serializers.CharField(required=False, allow_blank=True, default="", max_length=128,
                                       help_text=gettext_lazy(
                                           "WeChat JSAPI only. Leave it out: the payer's WeChat account linked "
                                           "through the mini program's sign-in is used. One that differs from it "
                                           "is refused."))

    @extend_schema(operation_id="job_payment_start", tags=TAGS, summary=gettext_lazy("Start paying my completed job"),
                   request=InputSerializer,
                   responses={201: PaymentStartedSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 502: BAD_GATEWAY})
    def post(self, request, pk: int):
        job = selectors_requests.request_of_resident(user=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        try:
            payment, params = services.payment_start(request=job, method=data["method"], actor=request.user,
                                                     openid=data["openid"])
        except GatewayError as exc:
            return gateway_failed(exc)
        return Response(PaymentStartedSerializer({"payment": payment, "client_params": params}).data,
                        status=status.HTTP_201_CREATED)


def _own_payment(user, pk: int) -> Payment:
    return get_object_or_404(Payment.objects.select_related("request"), pk=pk, resident=user)


class PaymentRefreshApi(APIView):
    """Ask the provider where my payment stands (when the app has paid but the status has not moved)."""

    permission_classes = [IsAuthenticated, IsResident]

    @extend_schema(operation_id="payment_refresh", tags=TAGS, summary=gettext_lazy("Check my payment with the provider"),
                   request=None, responses={200: PaymentSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 502: BAD_GATEWAY})
    def post(self, request, pk: int):
        payment = _own_payment(request.user, pk)
        try:
            payment = services.payment_refresh(payment=payment, actor=request.user)
        except GatewayError as exc:
            return gateway_failed(exc)
        return Response(PaymentSerializer(payment).data)


class CompanyCashRecordApi(APIView):
    """My company was paid in cash or by transfer on site: record it. It counts once the resident confirms."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    class InputSerializer(serializers.Serializer):
        amount = money_field(help_text=gettext_lazy("The amount received; must be the job's final price."))
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    @extend_schema(operation_id="company_job_cash_record", tags=TAGS, summary=gettext_lazy("Record a cash payment"),
                   request=InputSerializer, responses={201: PaymentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        company = company_of(request)
        job = selectors_requests.job_of_company(company=company, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        payment = services.payment_record_cash(request=job, company=company, actor=request.user, amount=data["amount"],
                                               note=data["note"])
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class CashConfirmApi(APIView):
    """Confirm the cash the company recorded: the resident for their own job, or a centre agent at the call-back."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.RESIDENT, Role.CENTRE_AGENT, Role.ADMINISTRATOR)]

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    @extend_schema(operation_id="payment_cash_confirm", tags=TAGS, summary=gettext_lazy("Confirm a cash payment"),
                   request=InputSerializer, responses={200: PaymentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        if has_role(request.user, Role.CENTRE_AGENT, Role.ADMINISTRATOR):
            payment = get_object_or_404(Payment, pk=pk)
        else:
            payment = _own_payment(request.user, pk)
        data = input_valid(self.InputSerializer(data=request.data))
        payment = services.payment_confirm_cash(payment=payment, actor=request.user, note=data["note"])
        return Response(PaymentSerializer(payment).data)


class PaymentRefundApi(APIView):
    """Refund all or part of a paid payment (administrators), e.g. after an upheld overcharge complaint."""

    permission_classes = [IsAuthenticated, IsAdministrator]

    class InputSerializer(serializers.Serializer):
        amount = money_field(help_text=gettext_lazy("In yuan; at most what is still paid."))
        reason = serializers.CharField(max_length=500)

    @extend_schema(operation_id="payment_refund", tags=TAGS, summary=gettext_lazy("Refund a payment"),
                   request=InputSerializer,
                   responses={201: RefundSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 502: BAD_GATEWAY})
    def post(self, request, pk: int):
        payment = get_object_or_404(Payment, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        try:
            refund = services.payment_refund(payment=payment, amount=data["amount"], reason=data["reason"], actor=request.user)
        except GatewayError as exc:
            return gateway_failed(exc)
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)
