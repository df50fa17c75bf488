"""REST API: the public service catalogue, plus the small pieces every app's api.py shares
(schema naming, pagination, the error shape, input validation).

Endpoints follow the HackSoft layout: one APIView per operation, each with its own small input and
output serializers; views read through selectors and write only through services.
"""
from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from marketplace import selectors_catalogue
from pricing.selectors import guide_price_for

# --- shared by every api.py ---------------------------------------------------------------------


class AutoSchema(openapi.AutoSchema):
    """Names a nested ``SomethingApi.InputSerializer`` component ``SomethingInput`` (and the output one
    ``SomethingOutput``), so the many per-operation serializers do not collide in /api/schema/."""

    def get_serializer_name(self, serializer, direction):
        *outer, inner = type(serializer).__qualname__.split(".")
        if outer:
            return "".join(part.removesuffix("Api").removesuffix("Serializer") for part in outer) + inner
        return super().get_serializer_name(serializer, direction)


class ErrorSerializer(serializers.Serializer):
    """The shape of every 400: a stable code, a message (or per-field messages) and the numbers."""

    code = serializers.CharField()
    detail = serializers.JSONField()
    params = serializers.DictField(child=serializers.CharField(), required=False)


BAD_REQUEST = OpenApiResponse(ErrorSerializer, description=_("Refused: see code and detail; nothing changed."))
FORBIDDEN = OpenApiResponse(description=_("Not signed in, or the role does not allow this."))
NOT_FOUND = OpenApiResponse(description=_("No such record within your reach."))


def input_valid(serializer: serializers.Serializer) -> dict:
    """Validate input; a bad field answers 400 in the same {"code", "detail"} shape as a domain refusal."""
    if not serializer.is_valid():
        raise ValidationError({"code": "invalid", "detail": serializer.errors})
    return serializer.validated_data


def page_of(serializer_class, *, name: str):
    """The schema of a paginated answer holding ``serializer_class`` rows."""
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def paginated_response(*, request, view, queryset, serializer_class) -> Response:
    paginator = api_settings.DEFAULT_PAGINATION_CLASS()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


def money_field(**kwargs) -> serializers.DecimalField:
    """Amounts in yuan, fen precision; a third decimal place is refused, never rounded."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True, **kwargs)


class ItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    upc = serializers.CharField()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- catalogue ----------------------------------------------------------------------------------

CATALOGUE_TAGS = ["catalogue"]


class CatalogueCategoryListApi(APIView):
    """The categories of the service catalogue, as a flat list in tree order (parent before children)."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        slug = serializers.CharField()
        depth = serializers.IntegerField()
        parent = serializers.IntegerField(allow_null=True)

    @extend_schema(
        operation_id="catalogue_categories_list",
        tags=CATALOGUE_TAGS,
        summary=_("List catalogue categories"),
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request):
        categories = list(selectors_catalogue.catalogue_categories())
        id_by_path = {category.path: category.pk for category in categories}
        rows = [
            {
                "id": category.pk,
                "name": category.name,
                "slug": category.slug,
                "depth": category.depth,
                "parent": id_by_path.get(category.path[: -category.steplen]) if category.depth > 1 else None,
            }
            for category in categories
        ]
        return Response(self.OutputSerializer(rows, many=True).data)


class CatalogueItemListApi(APIView):
    """Service items, searchable by words (?q=) and by category, sub-categories included (?category=)."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(
            required=False, allow_blank=True, help_text=_("Words in the title, description or category name.")
        )
        category = serializers.PrimaryKeyRelatedField(
            queryset=selectors_catalogue.catalogue_categories(),
            required=False,
            help_text=_("Category id; its sub-categories count too."),
        )

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        upc = serializers.CharField()
        categories = CategoryRefSerializer(many=True, source="categories.all")
        # An item without its profile row shows null here rather than failing.
        unit = serializers.CharField(source="service_profile.unit", allow_null=True)
        served_by = serializers.CharField(source="service_profile.served_by", allow_null=True)
        department = serializers.CharField(source="service_profile.department", allow_null=True)
        guide_price = serializers.SerializerMethodField(help_text=_("The city-wide guide price, if published."))

        @extend_schema_field(money_field(allow_null=True))
        def get_guide_price(self, product):
            prices = product.citywide_guide_prices
            return f"{prices[0].guide_price:.2f}" if prices else None

    @extend_schema(
        operation_id="catalogue_items_list",
        tags=CATALOGUE_TAGS,
        summary=_("List service items"),
        parameters=[FilterSerializer],
        responses={200: page_of(OutputSerializer, name="CatalogueItemPage"), 400: BAD_REQUEST},
    )
    def get(self, request):
        filters = input_valid(self.FilterSerializer(data=request.query_params))
        items = selectors_catalogue.catalogue_items(query=filters.get("q", ""), category=filters.get("category"))
        return paginated_response(request=request, view=self, queryset=items, serializer_class=self.OutputSerializer)


class CatalogueItemDetailApi(APIView):
    """One service item with its unit, who serves it, the booking questions and the city-wide guide price."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        class QuestionSerializer(serializers.Serializer):
            code = serializers.CharField()
            name = serializers.CharField()
            type = serializers.CharField()
            required = serializers.BooleanField()
            options = serializers.ListField(child=serializers.CharField())

        class GuidePriceSerializer(serializers.Serializer):
            market_price = money_field()
            guide_price = money_field()
            saving = money_field()
            market_source = serializers.CharField()
            market_surveyed_on = serializers.DateField()

        id = serializers.IntegerField()
        title = serializers.CharField()
        upc = serializers.CharField()
        description = serializers.CharField()
        categories = CategoryRefSerializer(many=True)
        unit = serializers.CharField()
        unit_label = serializers.CharField()
        served_by = serializers.CharField()
        served_by_label = serializers.CharField()
        department = serializers.CharField()
        booking_questions = QuestionSerializer(many=True)
        guide_price = GuidePriceSerializer(allow_null=True)

    @extend_schema(
        operation_id="catalogue_item_retrieve",
        tags=CATALOGUE_TAGS,
        summary=_("Show one service item"),
        responses={200: OutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        product = selectors_catalogue.catalogue_item_get(pk=pk)
        if product is None:
            raise Http404
        profile = getattr(product, "service_profile", None)  # an item may lack its profile row
        questions = selectors_catalogue.catalogue_item_questions(product=product)
        data = {
            "id": product.pk,
            "title": product.title,
            "upc": product.upc or "",
            "description": product.description,
            "categories": product.categories.all(),
            "unit": profile.unit if profile else "",
            "unit_label": profile.get_unit_display() if profile else "",
            "served_by": profile.served_by if profile else "",
            "served_by_label": profile.get_served_by_display() if profile else "",
            "department": profile.department if profile else "",
            "booking_questions": [
                {
                    "code": question.code,
                    "name": question.name,
                    "type": question.type,
                    "required": question.required,
                    "options": [o.option for o in question.option_group.options.all()] if question.option_group else [],
                }
                for question in questions
            ],
            "guide_price": guide_price_for(product_id=product.pk, region=None),
        }
        return Response(self.OutputSerializer(data).data)
