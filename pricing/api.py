"""REST API for prices: the published guide prices, companies' contracted prices and price-change requests.

Every write goes through ``pricing.services``, which holds the rules (guide ≤ 85% of market, contracted
price ≤ guide price, no raise during the term); a refusal answers 400 with the rule's code and numbers.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oscar.core.loading import get_model
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace import selectors_catalogue
from marketplace.api import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    input_valid,
    money_field,
    page_of,
    paginated_response,
)
from marketplace.errors import DomainError
from marketplace.models import Region
from marketplace.roles import HasRole, Role
from pricing import errors, selectors, services
from pricing.models import GuidePrice, PriceChangeRequest
from pricing.serializers import (
    ContractPriceSerializer,
    GuidePriceSerializer,
    PriceChangeRequestSerializer,
)
from providers.api import company_within_reach

Product = get_model("catalogue", "Product")

GUIDE_TAGS = ["guide prices"]
CONTRACT_TAGS = ["contracted prices"]
CHANGE_TAGS = ["price-change requests"]

# A guide-price file is a few hundred rows; anything far larger is a mistake.
IMPORT_MAX_BYTES = 2 * 1024 * 1024


# --- guide prices -------------------------------------------------------------------------------


class GuidePriceListApi(APIView):
    """The published guide prices (市场收费指导价), searchable by words (?q=) and category (?category=)."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(
            required=False, allow_blank=True, help_text=gettext_lazy("Words in the item's title, description or category.")
        )
        category = serializers.PrimaryKeyRelatedField(
            queryset=selectors_catalogue.catalogue_categories(),
            required=False,
            help_text=gettext_lazy("Category id; its sub-categories count too."),
        )

    @extend_schema(
        operation_id="guide_prices_list",
        tags=GUIDE_TAGS,
        summary=gettext_lazy("List guide prices"),
        parameters=[FilterSerializer],
        responses={200: page_of(GuidePriceSerializer, name="GuidePricePage"), 400: BAD_REQUEST},
    )
    def get(self, request):
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        category = filters.get("category")
        prices = selectors.published_guide_price_list(
            query=filters.get("q", ""), category_id=category.pk if category else None
        )
        return paginated_response(request=request, view=self, queryset=prices, serializer_class=GuidePriceSerializer)


class GuidePriceSetApi(APIView):
    """Publish or change an item's guide price, city-wide or for one region. Setting the same values
    again changes nothing, so a retried request is harmless."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR)]

    class InputSerializer(serializers.Serializer):
        item = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
        region = serializers.SlugRelatedField(
            slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True, default=None,
            help_text=gettext_lazy("Region code; leave out for the city-wide price."),
        )
        market_price = money_field()
        guide_price = money_field()
        market_source = serializers.CharField(max_length=200)
        market_surveyed_on = serializers.DateField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="guide_price_set",
        tags=GUIDE_TAGS,
        summary=gettext_lazy("Publish or change a guide price"),
        request=InputSerializer,
        responses={
            200: OpenApiResponse(GuidePriceSerializer, description=gettext_lazy("An existing guide price was changed.")),
            201: OpenApiResponse(GuidePriceSerializer, description=gettext_lazy("A new guide price was published.")),
            400: BAD_REQUEST,
            403: FORBIDDEN,
        },
    )
    def post(self, request):
        data = input_valid(self.InputSerializer(data=request.data))
        existed = GuidePrice.objects.filter(product=data["item"], region=data["region"]).exists()
        record = services.guide_price_set(
            product=data["item"],
            region=data["region"],
            market_price=data["market_price"],
            market_source=data["market_source"],
            market_surveyed_on=data["market_surveyed_on"],
            guide_price=data["guide_price"],
            actor=request.user,
            reason=data["reason"],
        )
        return Response(
            GuidePriceSerializer(record).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


class GuidePriceImportApi(APIView):
    """Import guide prices from a CSV file (columns: item_upc, region_code, market_price, market_source,
    market_surveyed_on, guide_price). All rows or none: any bad row rejects the file, listing every row's error."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR)]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer):
        imported = serializers.IntegerField()

    class RejectedSerializer(serializers.Serializer):
        code = serializers.CharField()
        detail = serializers.CharField()
        errors = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        operation_id="guide_prices_import",
        tags=GUIDE_TAGS,
        summary=gettext_lazy("Import guide prices from CSV"),
        request={"multipart/form-data": InputSerializer},
        responses={201: OutputSerializer, 400: RejectedSerializer, 403: FORBIDDEN},
    )
    def post(self, request):
        data = input_valid(self.InputSerializer(data=request.data))
        upload = data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise DomainError(
                _("The file is too large (%(size)s bytes; at most %(limit)s).")
                % {"size": upload.size, "limit": IMPORT_MAX_BYTES},
                code="file_too_large",
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_("The file is not UTF-8 text; save the CSV as UTF-8."), code="file_not_utf8") from None
        try:
            count = services.guide_prices_import_csv(text=text, actor=request.user, reason=data["reason"])
        except errors.ImportRejected as rejected:
            return Response(
                {
                    "code": rejected.code,
                    "detail": str(rejected.message),
                    "errors": [str(error) for error in rejected.row_errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(self.OutputSerializer({"imported": count}).data, status=status.HTTP_201_CREATED)


# --- contracted prices --------------------------------------------------------------------------


def _contract_price_data(records, *, company) -> list:
    region = company.base_region
    guide_prices = {}
    for record in records:
        guide = selectors.guide_price_for(product_id=record.product_id, region=region)
        guide_prices[record.product_id] = guide.guide_price if guide else None
    return ContractPriceSerializer(records, many=True, context={"guide_prices": guide_prices}).data


class ContractPriceListApi(APIView):
    """A company's contracted prices, each beside the guide price that caps it."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR, Role.CENTRE_AGENT, Role.COMPANY_STAFF)]

    @extend_schema(
        operation_id="contract_prices_list",
        tags=CONTRACT_TAGS,
        summary=gettext_lazy("List a company's contracted prices"),
        responses={200: ContractPriceSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        company = company_within_reach(user=request.user, pk=pk)
        records = list(selectors.contract_prices_of(partner_id=company.partner_id))
        return Response(_contract_price_data(records, company=company))


class ContractPriceSetApi(APIView):
    """Set the company's price for an item: at most the guide price, and never a raise during the contract
    term (file a price-change request instead)."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR, Role.COMPANY_STAFF)]

    class InputSerializer(serializers.Serializer):
        item = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
        price = money_field()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="contract_price_set",
        tags=CONTRACT_TAGS,
        summary=gettext_lazy("Set a contracted price"),
        request=InputSerializer,
        responses={
            200: OpenApiResponse(ContractPriceSerializer, description=gettext_lazy("An existing price was changed.")),
            201: OpenApiResponse(ContractPriceSerializer, description=gettext_lazy("A new price was set.")),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        company = company_within_reach(user=request.user, pk=pk, overseers=(Role.ADMINISTRATOR,))
        data = input_valid(self.InputSerializer(data=request.data))
        existed = selectors.contract_price_for(partner_id=company.partner_id, product_id=data["item"].pk) is not None
        record = services.contract_price_set(
            partner=company.partner, product=data["item"], price=data["price"], actor=request.user, reason=data["reason"]
        )
        return Response(
            _contract_price_data([record], company=company)[0],
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


# --- price-change requests ----------------------------------------------------------------------


def _change_requests():
    return PriceChangeRequest.objects.select_related("stockrecord__partner__company", "stockrecord__product")


class CompanyPriceChangeRequestListApi(APIView):
    """A company's price-change requests, newest first."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR, Role.CENTRE_AGENT, Role.COMPANY_STAFF)]

    @extend_schema(
        operation_id="company_price_change_requests_list",
        tags=CHANGE_TAGS,
        summary=gettext_lazy("List a company's price-change requests"),
        responses={200: PriceChangeRequestSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        company = company_within_reach(user=request.user, pk=pk)
        changes = _change_requests().filter(stockrecord__partner_id=company.partner_id).order_by("-requested_at", "-pk")
        return Response(PriceChangeRequestSerializer(changes, many=True).data)


class PriceChangeRequestFileApi(APIView):
    """A company asks an administrator to change one of its contracted prices during its term."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.COMPANY_STAFF)]

    class InputSerializer(serializers.Serializer):
        item = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
        requested_price = money_field()
        reason = serializers.CharField(allow_blank=True)

    @extend_schema(
        operation_id="price_change_request_file",
        tags=CHANGE_TAGS,
        summary=gettext_lazy("Ask for a price change"),
        request=InputSerializer,
        responses={201: PriceChangeRequestSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        # Only the company's own staff: overseers decide requests, they do not file them.
        company = company_within_reach(user=request.user, pk=pk, overseers=())
        data = input_valid(self.InputSerializer(data=request.data))
        stockrecord = selectors.contract_price_for(partner_id=company.partner_id, product_id=data["item"].pk)
        if stockrecord is None:
            raise DomainError(
                _("The company has no contracted price for “%(item)s” to change; set one first.")
                % {"item": data["item"].title},
                code="no_contract_price",
            )
        change = services.price_change_request_file(
            stockrecord=stockrecord, requested_price=data["requested_price"], reason=data["reason"], actor=request.user
        )
        return Response(
            PriceChangeRequestSerializer(_change_requests().get(pk=change.pk)).data, status=status.HTTP_201_CREATED
        )


class PriceChangeRequestQueueApi(APIView):
    """Every company's price-change requests, for the centre; ?status=pending shows what awaits a decision."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR, Role.CENTRE_AGENT)]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=PriceChangeRequest.Status.choices, required=False)

    @extend_schema(
        operation_id="price_change_requests_list",
        tags=CHANGE_TAGS,
        summary=gettext_lazy("List price-change requests of all companies"),
        parameters=[FilterSerializer],
        responses={
            200: page_of(PriceChangeRequestSerializer, name="PriceChangeRequestPage"),
            400: BAD_REQUEST,
            403: FORBIDDEN,
        },
    )
    def get(self, request):
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        changes = _change_requests().order_by("-requested_at", "-pk")
        if filters.get("status"):
            changes = changes.filter(status=filters["status"])
        return paginated_response(
            request=request, view=self, queryset=changes, serializer_class=PriceChangeRequestSerializer
        )


class PriceChangeRequestApproveApi(APIView):
    """Approve a request: the company's price becomes the requested one (still capped by the guide price)."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR)]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="price_change_request_approve",
        tags=CHANGE_TAGS,
        summary=gettext_lazy("Approve a price-change request"),
        request=InputSerializer,
        responses={200: PriceChangeRequestSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        change = get_object_or_404(PriceChangeRequest, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.price_change_request_approve(change_request=change, actor=request.user, reason=data["reason"])
        return Response(PriceChangeRequestSerializer(_change_requests().get(pk=pk)).data)


class PriceChangeRequestRejectApi(APIView):
    """Reject a request, saying why; the price stays as it is."""

    permission_classes = [IsAuthenticated, HasRole.of(Role.ADMINISTRATOR)]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(allow_blank=True)

    @extend_schema(
        operation_id="price_change_request_reject",
        tags=CHANGE_TAGS,
        summary=gettext_lazy("Reject a price-change request"),
        request=InputSerializer,
        responses={200: PriceChangeRequestSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        change = get_object_or_404(PriceChangeRequest, pk=pk)
        data = input_valid(self.InputSerializer(data=request.data))
        services.price_change_request_reject(change_request=change, actor=request.user, reason=data["reason"])
        return Response(PriceChangeRequestSerializer(_change_requests().get(pk=pk)).data)
