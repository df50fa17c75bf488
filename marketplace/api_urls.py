"""REST API routes (DRF). Each app keeps its endpoints in its own api.py, one APIView per operation."""
from functools import wraps

from django.urls import path
from rest_framework.views import APIView

from marketplace import api as catalogue_api
from pricing import api as pricing_api
from providers import api as providers_api


def by_method(**operations: type[APIView]):
    """One URL, several operations: each HTTP method is served by its own APIView class, which keeps
    its own serializers and permissions (``by_method(get=ListApi, post=CreateApi)``)."""

    class OperationsByMethod(APIView):
        def dispatch(self, request, *args, **kwargs):
            method = "get" if request.method == "HEAD" else request.method.lower()
            view_class = operations.get(method)
            if view_class is None:  # OPTIONS, or a method no operation serves (405)
                return super().dispatch(request, *args, **kwargs)
            return view_class.as_view()(request, *args, **kwargs)

        # Only schema generation and OPTIONS look at these; requests are dispatched above.
        def get_view_name(self):
            return " / ".join(view_class().get_view_name() for view_class in operations.values())

        def get_permissions(self):
            view_class = operations.get(self.request.method.lower()) if self.request else None
            return view_class().get_permissions() if view_class else super().get_permissions()

    for method, view_class in operations.items():
        setattr(OperationsByMethod, method, _schema_stub(view_class, method))
    OperationsByMethod.__name__ = OperationsByMethod.__qualname__ = "".join(v.__name__ for v in operations.values())
    return OperationsByMethod.as_view()


def _schema_stub(view_class, method):
    """A handler carrying the operation's @extend_schema annotation and description, for /api/schema/."""
    handler = getattr(view_class, method)

    @wraps(handler)
    def stub(self, request, *args, **kwargs):
        raise AssertionError("dispatched to the operation's own view")

    stub.__doc__ = handler.__doc__ or view_class.__doc__
    return stub


urlpatterns = [
    # Catalogue (public)
    path("catalogue/categories/", catalogue_api.CatalogueCategoryListApi.as_view(), name="api-catalogue-categories"),
    path("catalogue/items/", catalogue_api.CatalogueItemListApi.as_view(), name="api-catalogue-items"),
    path("catalogue/items/<int:pk>/", catalogue_api.CatalogueItemDetailApi.as_view(), name="api-catalogue-item"),
    # Guide prices
    path(
        "guide-prices/",
        by_method(get=pricing_api.GuidePriceListApi, post=pricing_api.GuidePriceSetApi),
        name="api-guide-prices",
    ),
    path("guide-prices/import/", pricing_api.GuidePriceImportApi.as_view(), name="api-guide-prices-import"),
    # Companies and their admission
    path(
        "companies/",
        by_method(get=providers_api.CompanyListApi, post=providers_api.CompanyApplyApi),
        name="api-companies",
    ),
    path("companies/<int:pk>/", providers_api.CompanyDetailApi.as_view(), name="api-company"),
    path(
        "companies/<int:pk>/transitions/",
        providers_api.CompanyTransitionApi.as_view(),
        name="api-company-transitions",
    ),
    path("companies/<int:pk>/agreements/", providers_api.CompanyContractApi.as_view(), name="api-company-agreements"),
    # Contracted prices and price-change requests
    path(
        "companies/<int:pk>/prices/",
        by_method(get=pricing_api.ContractPriceListApi, post=pricing_api.ContractPriceSetApi),
        name="api-company-prices",
    ),
    path(
        "companies/<int:pk>/price-change-requests/",
        by_method(get=pricing_api.CompanyPriceChangeRequestListApi, post=pricing_api.PriceChangeRequestFileApi),
        name="api-company-price-change-requests",
    ),
    path("price-change-requests/", pricing_api.PriceChangeRequestQueueApi.as_view(), name="api-price-change-requests"),
    path(
        "price-change-requests/<int:pk>/approve/",
        pricing_api.PriceChangeRequestApproveApi.as_view(),
        name="api-price-change-request-approve",
    ),
    path(
        "price-change-requests/<int:pk>/reject/",
        pricing_api.PriceChangeRequestRejectApi.as_view(),
        name="api-price-change-request-reject",
    ),
]
