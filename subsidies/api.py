"""REST API of the subsidy payout: one APIView per operation. Finance officers act; administrators may
read; company staff read their own statements. Reads through subsidies.selectors, writes through
subsidies.services; a refusal answers 400 with a stable code, a wrong role 403, out of reach 404.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, input_valid
from marketplace.api_requests import company_of
from marketplace.roles import HasRole, Role
from subsidies import selectors, services
from subsidies.models import SubsidyLedgerEntry
from subsidies.serializers import (
    AdjustmentInput,
    LedgerEntrySerializer,
    PayInput,
    PayoutLineSerializer,
    PayoutRunDetailSerializer,
    PayoutRunSerializer,
    ReasonInput,
    RunStartInput,
    StatementSerializer,
)

TAGS = ["subsidies"]
IsFinance = HasRole.of(Role.FINANCE_OFFICER)
IsFinanceReader = HasRole.of(Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
IsCompanyStaff = HasRole.of(Role.COMPANY_STAFF)


class PayoutRunListApi(APIView):
    permission_classes = [IsAuthenticated, IsFinanceReader]

    @extend_schema(operation_id="subsidy_runs_list", tags=TAGS, responses={200: PayoutRunSerializer(many=True), 403: FORBIDDEN})
    def get(self, request):
        return Response(PayoutRunSerializer(selectors.payout_runs(), many=True).data)


class PayoutRunStartApi(APIView):
    permission_classes = [IsAuthenticated, IsFinance]

    @extend_schema(operation_id="subsidy_run_start", tags=TAGS, request=RunStartInput,
                   responses={201: PayoutRunSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def post(self, request):
        data = input_valid(RunStartInput(data=request.data))
        run = services.payout_run_start(year=data["year"], actor=request.user)
        return Response(PayoutRunSerializer(run).data, status=status.HTTP_201_CREATED)


class PayoutRunDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsFinanceReader]

    @extend_schema(operation_id="subsidy_run_detail", tags=TAGS,
                   responses={200: PayoutRunDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(PayoutRunDetailSerializer(selectors.payout_run(pk=pk)).data)


class _RunActionApi(APIView):
    permission_classes = [IsAuthenticated, IsFinance]

    def act(self, run, actor, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk: int):
        run = selectors.payout_run(pk=pk)
        data = input_valid(ReasonInput(data=request.data))
        self.act(run, request.user, data)
        return Response(PayoutRunSerializer(selectors.payout_run(pk=pk)).data)


_RUN_ACTION_SCHEMA = dict(tags=TAGS, request=ReasonInput,
                          responses={200: PayoutRunSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})


class PayoutRunRecomputeApi(_RunActionApi):
    @extend_schema(operation_id="subsidy_run_recompute", **_RUN_ACTION_SCHEMA)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, run, actor, data):
        services.payout_run_recompute(run=run, actor=actor)


class PayoutRunReviewApi(_RunActionApi):
    @extend_schema(operation_id="subsidy_run_review", **_RUN_ACTION_SCHEMA)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, run, actor, data):
        services.payout_run_review(run=run, actor=actor)


class PayoutRunSendBackApi(_RunActionApi):
    @extend_schema(operation_id="subsidy_run_send_back", **_RUN_ACTION_SCHEMA)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, run, actor, data):
        services.payout_run_send_back(run=run, actor=actor, reason=data["reason"])


class PayoutRunApproveApi(_RunActionApi):
    @extend_schema(operation_id="subsidy_run_approve", **_RUN_ACTION_SCHEMA)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, run, actor, data):
        services.payout_run_approve(run=run, actor=actor)


class PayoutLineAdjustApi(APIView):
    permission_classes = [IsAuthenticated, IsFinance]

    @extend_schema(operation_id="subsidy_line_adjust", tags=TAGS, request=AdjustmentInput,
                   responses={201: LedgerEntrySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        line = selectors.payout_line(pk=pk)
        data = input_valid(AdjustmentInput(data=request.data))
        corrects = get_object_or_404(SubsidyLedgerEntry, pk=data["corrects"]) if data.get("corrects") else None
        entry = services.payout_line_adjust(line=line, amount=data["amount"], reason=data["reason"], actor=request.user,
                                            corrects=corrects)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class PayoutLinePayApi(APIView):
    permission_classes = [IsAuthenticated, IsFinance]

    @extend_schema(operation_id="subsidy_line_pay", tags=TAGS, request=PayInput,
                   responses={200: PayoutLineSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        line = selectors.payout_line(pk=pk)
        data = input_valid(PayInput(data=request.data))
        paid = services.payout_line_pay(line=line, method=data["method"], actor=request.user, reference=data["reference"])
        return Response(PayoutLineSerializer(paid).data)


class CompanyStatementsApi(APIView):
    permission_classes = [IsAuthenticated, IsCompanyStaff]

    @extend_schema(operation_id="subsidy_company_statements", tags=TAGS,
                   responses={200: StatementSerializer(many=True), 403: FORBIDDEN})
    def get(self, request):
        return Response(StatementSerializer(selectors.statements_of_company(company=company_of(request)), many=True).data)
