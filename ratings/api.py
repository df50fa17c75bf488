"""REST API of the quality loop: residents rate and complain; companies read their ratings and answer
complaints; agents work call-backs and review complaints; administrators reinstate and decide renewals;
the centre reads the monthly report; anyone reads the league table and a company's rating summary.

One APIView per operation, each with its own input serializer. Reads go through ``ratings.selectors``,
writes through ``ratings.services`` only. Out of reach answers 404; a wrong role 403; a refusal 400
with a stable code.
"""
from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
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
from marketplace.api_requests import company_of
from marketplace.models import ServiceRequest
from marketplace.roles import HasRole, Role, has_role
from marketplace.selectors_requests import company_of_staff
from providers.models import Company
from ratings import selectors, services
from ratings.models import (
    CallBack,
    CallBackOutcome,
    ComplaintCategory,
    ComplaintStatus,
    Rating,
    RenewalReview,
)
from ratings.serializers import (
    CallBackSerializer,
    CentreComplaintSerializer,
    ComplaintSerializer,
    LeagueRowSerializer,
    MonthlyReportSerializer,
    RatingSerializer,
    RatingSummarySerializer,
    RemovalSerializer,
    RenewalReviewSerializer,
    ResidentRatingSerializer,
)

RATING_TAGS = ["ratings"]
COMPLAINT_TAGS = ["complaints"]
CENTRE_TAGS = ["centre quality"]
PUBLIC_TAGS = ["public supervision"]

IsResident = HasRole.of(Role.RESIDENT)
IsCompanyStaff = HasRole.of(Role.COMPANY_STAFF)
IsResidentOrCompanyStaff = HasRole.of(Role.RESIDENT, Role.COMPANY_STAFF)
IsCentreStaff = HasRole.of(Role.CENTRE_AGENT, Role.ADMINISTRATOR)
IsAdministrator = HasRole.of(Role.ADMINISTRATOR)
IsReportReader = HasRole.of(Role.CENTRE_AGENT, Role.ADMINISTRATOR, Role.FINANCE_OFFICER)


class ScoresSerializer(serializers.Serializer):
    overall = serializers.IntegerField(help_text=gettext_lazy("1–5 stars"))
    punctuality = serializers.IntegerField(help_text=gettext_lazy("1–5 stars"))
    attitude = serializers.IntegerField(help_text=gettext_lazy("1–5 stars"))
    quality = serializers.IntegerField(help_text=gettext_lazy("1–5 stars"))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ComplaintFieldsSerializer(serializers.Serializer):
    # Any text is taken here: complaint_file refuses an unknown category or a blank description itself.
    category = serializers.CharField(help_text=", ".join(ComplaintCategory.values))
    description = serializers.CharField(allow_blank=True, max_length=4000)
    evidence_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


# --- ratings -------------------------------------------------------------------------------------


def _resident_rating(request, pk: int) -> tuple[ServiceRequest, Rating | None]:
    job = selectors.resident_job(resident=request.user, pk=pk)
    return job, Rating.objects.filter(request=job).select_related("request__product", "company").first()


class RequestRatingRetrieveApi(APIView):
    """My rating of one of my jobs (404 while there is none)."""

    permission_classes = [IsAuthenticated, IsResident]

    @extend_schema(operation_id="request_rating_retrieve", tags=RATING_TAGS, summary=gettext_lazy("Show my rating of a job"),
                   responses={200: ResidentRatingSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        _job, rating = _resident_rating(request, pk)
        if rating is None:
            raise Http404
        return Response(ResidentRatingSerializer(rating).data)


class RequestRatingGiveApi(APIView):
    """Rate a finished job of mine: 1–5 overall, punctuality, attitude and quality, and a comment."""

    permission_classes = [IsAuthenticated, IsResident]

    class InputSerializer(ScoresSerializer):
        pass

    @extend_schema(operation_id="request_rating_give", tags=RATING_TAGS, summary=gettext_lazy("Rate a job"),
                   request=InputSerializer,
                   responses={201: ResidentRatingSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        job, _rating = _resident_rating(request, pk)
        data = input_valid(self.InputSerializer(data=request.data))
        rating = services.rating_give(request=job, resident=request.user, **data)
        return Response(ResidentRatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class RequestRatingEditApi(APIView):
    """Change my rating while the edit window is open (7 days by default)."""

    permission_classes = [IsAuthenticated, IsResident]

    class InputSerializer(ScoresSerializer):
        pass

    @extend_schema(operation_id="request_rating_edit", tags=RATING_TAGS, summary=gettext_lazy("Change my rating"),
                   request=InputSerializer,
                   responses={200: ResidentRatingSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def put(self, request, pk: int):
        _job, rating = _resident_rating(request, pk)
        if rating is None:
            raise Http404
        data = input_valid(self.InputSerializer(data=request.data))
        rating = services.rating_edit(rating=rating, resident=request.user, **data)
        return Response(ResidentRatingSerializer(rating).data)


class CompanyRatingListApi(APIView):
    """My company's ratings, newest first."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    @extend_schema(operation_id="company_ratings_list", tags=RATING_TAGS, summary=gettext_lazy("List my company's ratings"),
                   responses={200: page_of(RatingSerializer, name="CompanyRatingPage"), 403: FORBIDDEN})
    def get(self, request):
        company = company_of(request)
        return paginated_response(request=request, view=self, queryset=selectors.ratings_of_company(company=company),
                                  serializer_class=RatingSerializer)


class CompanyRatingSummaryApi(APIView):
    """How residents rate a company (public: residents look before booking)."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="company_rating_summary", tags=PUBLIC_TAGS, summary=gettext_lazy("A company's average rating"),
                   responses={200: RatingSummarySerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        company = get_object_or_404(Company.objects.filter(status__in=selectors.LEAGUE_STATUSES), pk=pk)
        return Response(RatingSummarySerializer(selectors.company_rating_summary(company=company)).data)


# --- complaints: residents and companies ---------------------------------------------------------


def _complaint_in_reach(request, pk: int):
    """A resident's own complaint, or one against the staff member's company; else 404."""
    if has_role(request.user, Role.RESIDENT) and selectors.complaints_of_resident(resident=request.user).filter(pk=pk).exists():
        return selectors.complaint_of_resident(resident=request.user, pk=pk)
    if has_role(request.user, Role.COMPANY_STAFF):
        company = company_of_staff(user=request.user)
        if company is not None:
            return selectors.complaint_of_company(company=company, pk=pk)
    raise Http404


class RequestComplaintFileApi(APIView):
    """Complain about a job of mine (JSON, or multipart with an evidence file)."""

    permission_classes = [IsAuthenticated, IsResident]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(ComplaintFieldsSerializer):
        pass

    @extend_schema(operation_id="request_complaint_file", tags=COMPLAINT_TAGS, summary=gettext_lazy("Complain about a job"),
                   request=InputSerializer,
                   responses={201: ComplaintSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        job = selectors.resident_job(resident=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        complaint = services.complaint_file(request=job, filed_by=request.user, **data)
        complaint = selectors.complaint_of_resident(resident=request.user, pk=complaint.pk)
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)


class ComplaintListApi(APIView):
    """A resident's own complaints; for company staff, the complaints against their company."""

    permission_classes = [IsAuthenticated, IsResidentOrCompanyStaff]

    @extend_schema(operation_id="complaints_list", tags=COMPLAINT_TAGS, summary=gettext_lazy("List my complaints"),
                   responses={200: page_of(ComplaintSerializer, name="ComplaintPage"), 403: FORBIDDEN})
    def get(self, request):
        if has_role(request.user, Role.COMPANY_STAFF):
            queryset = selectors.complaints_of_company(company=company_of(request))
        else:
            queryset = selectors.complaints_of_resident(resident=request.user)
        return paginated_response(request=request, view=self, queryset=queryset.prefetch_related("status_changes"),
                                  serializer_class=ComplaintSerializer)


class ComplaintRetrieveApi(APIView):
    permission_classes = [IsAuthenticated, IsResidentOrCompanyStaff]

    @extend_schema(operation_id="complaint_retrieve", tags=COMPLAINT_TAGS, summary=gettext_lazy("Show a complaint"),
                   responses={200: ComplaintSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(ComplaintSerializer(_complaint_in_reach(request, pk)).data)


class ComplaintReopenApi(APIView):
    """Reopen my decided complaint within 30 days of the decision, saying why the fix did not hold."""

    permission_classes = [IsAuthenticated, IsResident]

    class InputSerializer(ReasonInputSerializer):
        pass

    @extend_schema(operation_id="complaint_reopen", tags=COMPLAINT_TAGS, summary=gettext_lazy("Reopen my complaint"),
                   request=InputSerializer, responses={200: ComplaintSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        complaint = selectors.complaint_of_resident(resident=request.user, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.complaint_reopen(complaint=complaint, resident=request.user, reason=data["reason"])
        return Response(ComplaintSerializer(selectors.complaint_of_resident(resident=request.user, pk=pk)).data)


class ComplaintRespondApi(APIView):
    """My company answers a complaint against it, until the centre decides."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    class InputSerializer(serializers.Serializer):
        response = serializers.CharField(allow_blank=True, max_length=4000)

    @extend_schema(operation_id="complaint_respond", tags=COMPLAINT_TAGS, summary=gettext_lazy("Respond to a complaint"),
                   request=InputSerializer, responses={200: ComplaintSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        company = company_of(request)
        complaint = selectors.complaint_of_company(company=company, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.complaint_respond(complaint=complaint, company=company, actor=request.user, response=data["response"])
        return Response(ComplaintSerializer(selectors.complaint_of_company(company=company, pk=pk)).data)


# --- centre: call-backs --------------------------------------------------------------------------


class CentreCallBackListApi(APIView):
    """The call-back queue (回访), oldest first; ``?status=answered|unreached`` for closed ones."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=CallBack.Status.choices, required=False, default=CallBack.Status.OPEN)

    @extend_schema(operation_id="centre_callbacks_list", tags=CENTRE_TAGS, summary=gettext_lazy("List call-backs"),
                   parameters=[FilterSerializer],
                   responses={200: page_of(CallBackSerializer, name="CallBackPage"), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request):
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        queryset = selectors.callback_queue(status=filters["status"]).prefetch_related("attempts__agent")
        return paginated_response(request=request, view=self, queryset=queryset, serializer_class=CallBackSerializer)


class CentreCallBackAttemptApi(APIView):
    """Record one call: reached (with the answer) or not; the third unanswered call closes it."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(serializers.Serializer):
        reached = serializers.BooleanField()
        outcome = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text=", ".join(CallBackOutcome.values))
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    @extend_schema(operation_id="centre_callback_attempt_record", tags=CENTRE_TAGS, summary=gettext_lazy("Record a call-back call"),
                   request=InputSerializer, responses={200: CallBackSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        callback = selectors.callback_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.callback_attempt_record(callback=callback, agent=request.user, **data)
        return Response(CallBackSerializer(selectors.callback_for_centre(pk=pk)).data)


# --- centre: complaints --------------------------------------------------------------------------


class CentreComplaintListApi(APIView):
    """Every complaint (``?status=`` filters), newest first."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ComplaintStatus.choices, required=False)

    @extend_schema(operation_id="centre_complaints_list", tags=CENTRE_TAGS, summary=gettext_lazy("List complaints"),
                   parameters=[FilterSerializer],
                   responses={200: page_of(CentreComplaintSerializer, name="CentreComplaintPage"), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request):
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        queryset = selectors.complaints_for_centre(status=filters.get("status")).prefetch_related("status_changes__actor")
        return paginated_response(request=request, view=self, queryset=queryset, serializer_class=CentreComplaintSerializer)


class CentreComplaintFileApi(APIView):
    """Enter a complaint a resident made on the phone, about the named request."""

    permission_classes = [IsAuthenticated, IsCentreStaff]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(ComplaintFieldsSerializer):
        request_id = serializers.IntegerField(min_value=1)

    @extend_schema(operation_id="centre_complaint_file", tags=CENTRE_TAGS, summary=gettext_lazy("Enter a hotline complaint"),
                   request=InputSerializer, responses={201: CentreComplaintSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request):
        data = dict(input_valid(self.InputSerializer(data=request.data)))
        job = get_object_or_404(ServiceRequest, pk=data.pop("request_id"))
        complaint = services.complaint_file(request=job, filed_by=request.user, **data)
        return Response(CentreComplaintSerializer(selectors.complaint_for_centre(pk=complaint.pk)).data,
                        status=status.HTTP_201_CREATED)


class CentreComplaintRetrieveApi(APIView):
    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_complaint_retrieve", tags=CENTRE_TAGS, summary=gettext_lazy("Show a complaint"),
                   responses={200: CentreComplaintSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(CentreComplaintSerializer(selectors.complaint_for_centre(pk=pk)).data)


class CentreComplaintReviewApi(APIView):
    """Take up a received or reopened complaint."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_complaint_review_start", tags=CENTRE_TAGS, summary=gettext_lazy("Start reviewing a complaint"),
                   request=None, responses={200: CentreComplaintSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        services.complaint_review_start(complaint=selectors.complaint_for_centre(pk=pk), agent=request.user)
        return Response(CentreComplaintSerializer(selectors.complaint_for_centre(pk=pk)).data)


class CentreComplaintDecideApi(APIView):
    """Uphold or reject a complaint under review, with the reason. The upheld complaint that reaches
    the year's limit removes the company."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(ReasonInputSerializer):
        decision = serializers.ChoiceField(choices=[ComplaintStatus.UPHELD, ComplaintStatus.REJECTED])

    @extend_schema(operation_id="centre_complaint_decide", tags=CENTRE_TAGS, summary=gettext_lazy("Decide a complaint"),
                   request=InputSerializer, responses={200: CentreComplaintSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        complaint = selectors.complaint_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.complaint_decide(complaint=complaint, agent=request.user, upheld=data["decision"] == ComplaintStatus.UPHELD,
                                  reason=data["reason"])
        return Response(CentreComplaintSerializer(selectors.complaint_for_centre(pk=pk)).data)


# --- centre: removals, renewals ------------------------------------------------------------------


class CentreRemovalListApi(APIView):
    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_removals_list", tags=CENTRE_TAGS, summary=gettext_lazy("List removals for complaints"),
                   responses={200: page_of(RemovalSerializer, name="RemovalPage"), 403: FORBIDDEN})
    def get(self, request):
        return paginated_response(request=request, view=self, queryset=selectors.removals_list(), serializer_class=RemovalSerializer)


class CentreRemovalReinstateApi(APIView):
    """Administrators: reinstate a removed company on appeal, with the reason."""

    permission_classes = [IsAuthenticated, IsAdministrator]

    class InputSerializer(ReasonInputSerializer):
        pass

    @extend_schema(operation_id="centre_removal_reinstate", tags=CENTRE_TAGS, summary=gettext_lazy("Reinstate on appeal"),
                   request=InputSerializer, responses={200: RemovalSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        removal = selectors.removal_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.company_reinstate(removal=removal, actor=request.user, reason=data["reason"])
        return Response(RemovalSerializer(selectors.removal_for_centre(pk=pk)).data)


class CentreRenewalListApi(APIView):
    permission_classes = [IsAuthenticated, IsCentreStaff]

    @extend_schema(operation_id="centre_renewals_list", tags=CENTRE_TAGS, summary=gettext_lazy("List renewal reviews"),
                   responses={200: page_of(RenewalReviewSerializer, name="RenewalReviewPage"), 403: FORBIDDEN})
    def get(self, request):
        return paginated_response(request=request, view=self, queryset=selectors.renewal_list(),
                                  serializer_class=RenewalReviewSerializer)


class CentreRenewalDecideApi(APIView):
    """Administrators: record the renewal decision (renew / do not renew) with the reason."""

    permission_classes = [IsAuthenticated, IsAdministrator]

    class InputSerializer(ReasonInputSerializer):
        decision = serializers.ChoiceField(choices=RenewalReview.Recommendation.choices)

    @extend_schema(operation_id="centre_renewal_decide", tags=CENTRE_TAGS, summary=gettext_lazy("Decide a renewal"),
                   request=InputSerializer, responses={200: RenewalReviewSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk: int):
        review = selectors.renewal_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.renewal_decide(review=review, actor=request.user, decision=data["decision"], reason=data["reason"])
        return Response(RenewalReviewSerializer(selectors.renewal_for_centre(pk=pk)).data)


# --- monthly report and league table -------------------------------------------------------------


def _report(first: datetime.date) -> dict:
    rows = selectors.report_rows(month=first)
    return {"month": first.strftime("%Y-%m"), **rows}


class CentreMonthlyReportRetrieveApi(APIView):
    """The monthly report (月情况通报) of one month, per company and per linked unit."""

    permission_classes = [IsAuthenticated, IsReportReader]

    @extend_schema(operation_id="centre_monthly_report_retrieve", tags=CENTRE_TAGS, summary=gettext_lazy("Show a monthly report"),
                   responses={200: MonthlyReportSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, year: int, month: int):
        try:
            first = datetime.date(year, month, 1)
        except ValueError:
            raise Http404 from None
        report = _report(first)
        if not report["companies"] and not report["units"]:
            raise Http404
        return Response(MonthlyReportSerializer(report).data)


class CentreMonthlyReportGenerateApi(APIView):
    """Generate (or generate again) the report of a month; the same records give the same report."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(serializers.Serializer):
        month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")

    @extend_schema(operation_id="centre_monthly_report_generate", tags=CENTRE_TAGS,
                   summary=gettext_lazy("Generate a monthly report"), request=InputSerializer,
                   responses={200: MonthlyReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def post(self, request):
        data = input_valid(self.InputSerializer(data=request.data))
        first = datetime.date.fromisoformat(f"{data['month']}-01")
        services.monthly_report_generate(month=first, now=timezone.now())
        return Response(MonthlyReportSerializer(_report(first)).data)


class CompanyLeagueListApi(APIView):
    """The public league table: contracted companies with jobs done, satisfaction, upheld complaints."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="company_league_list", tags=PUBLIC_TAGS, summary=gettext_lazy("Company league table"),
                   responses={200: LeagueRowSerializer(many=True)})
    def get(self, request):
        return Response(LeagueRowSerializer(selectors.league_table(), many=True).data)
