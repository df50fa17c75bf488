"""REST API for offers: a company's inbox, accepting and declining, and an agent's hand dispatch.

Races are answered 409 ("offer_taken", "offer_expired"): the client was right to try, somebody (or
the clock) got there first. Another company's offer answers 404. Writes go through
``matching.services`` only.
"""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace import selectors_requests as selectors
from marketplace.api import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    ErrorSerializer,
    input_valid,
    page_of,
)
from marketplace.api_requests import (
    CENTRE_TAGS,
    IsCentreStaff,
    IsCompanyStaff,
    centre_detail,
    company_of,
    paginated,
)
from marketplace.serializers_requests import (
    CompanyJobDetailSerializer,
    ReasonSerializer,
)
from matching import services
from matching.errors import OfferExpired, OfferTaken
from matching.serializers import (
    CentreRequestDetailSerializer,
    OfferDeclinedSerializer,
    OfferSerializer,
)
from providers.models import Company

OFFER_TAGS = ["company offers"]
CONFLICT = OpenApiResponse(ErrorSerializer, description=gettext_lazy("Too late: the offer was taken, withdrawn or expired."))


def conflict(exc: OfferTaken | OfferExpired) -> Response:
    """A race lost: the same {code, detail, params} shape as a 400, with 409 Conflict."""
    params = {key: str(value) for key, value in exc.params.items()}
    return Response({"code": exc.code, "detail": str(exc.message), "params": params}, status=status.HTTP_409_CONFLICT)


class CompanyOfferListApi(APIView):
    """Offers waiting for my company's answer, the most urgent first. The resident's phone is masked."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    @extend_schema(
        operation_id="company_offers_list",
        tags=OFFER_TAGS,
        summary=gettext_lazy("List offers waiting for my company"),
        responses={200: page_of(OfferSerializer, name="CompanyOfferPage"), 403: FORBIDDEN},
    )
    def get(self, request):
        now = timezone.now()
        company = company_of(request)
        return paginated(
            request=request, view=self, queryset=selectors.offers_inbox(company=company, now=now),
            serializer_class=OfferSerializer, context={"now": now, "company": company},
        )


class CompanyOfferAcceptApi(APIView):
    """Take the job. Only one company can win a request; a late answer gets 409."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    @extend_schema(
        operation_id="company_offer_accept",
        tags=OFFER_TAGS,
        summary=gettext_lazy("Accept an offer"),
        request=None,
        responses={200: CompanyJobDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        company = company_of(request)
        offer = selectors.offer_of_company(company=company, pk=pk)
        try:
            services.offer_accept(offer_id=offer.pk, company=company, actor=request.user)
        except (OfferTaken, OfferExpired) as exc:
            return conflict(exc)
        job = selectors.job_of_company(company=company, pk=offer.request_id)
        return Response(CompanyJobDetailSerializer(job, context={"now": timezone.now(), "company": company}).data)


class CompanyOfferDeclineApi(APIView):
    """Decline, saying why; the request goes on to the next company."""

    permission_classes = [IsAuthenticated, IsCompanyStaff]

    class InputSerializer(ReasonSerializer):
        pass

    @extend_schema(
        operation_id="company_offer_decline",
        tags=OFFER_TAGS,
        summary=gettext_lazy("Decline an offer"),
        request=InputSerializer,
        responses={200: OfferDeclinedSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        company = company_of(request)
        offer = selectors.offer_of_company(company=company, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        try:
            offer = services.offer_decline(offer_id=offer.pk, company=company, actor=request.user, reason=data["reason"])
        except (OfferTaken, OfferExpired) as exc:
            return conflict(exc)
        return Response(OfferDeclinedSerializer(offer).data)


class CentreRequestDispatchApi(APIView):
    """Offer a request to a named company by hand, with a reason; the agent becomes its owner if nobody is."""

    permission_classes = [IsAuthenticated, IsCentreStaff]

    class InputSerializer(ReasonSerializer):
        company_id = serializers.PrimaryKeyRelatedField(queryset=Company.objects.all(), help_text=gettext_lazy("The company's id."))

    @extend_schema(
        operation_id="centre_request_dispatch",
        tags=CENTRE_TAGS,
        summary=gettext_lazy("Dispatch a request to a company by hand"),
        request=InputSerializer,
        responses={200: CentreRequestDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        service_request = selectors.request_for_centre(pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.request_dispatch_by_hand(request=service_request, agent=request.user, company=data["company_id"], reason=data["reason"])
        return Response(centre_detail(pk))
