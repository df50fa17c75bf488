"""Subsidy API routes. Included under /api/."""
from django.urls import path

from subsidies import api

urlpatterns = [
    path("subsidies/runs/", api.PayoutRunListApi.as_view(), name="api-subsidy-runs"),
    path("subsidies/runs/start/", api.PayoutRunStartApi.as_view(), name="api-subsidy-run-start"),
    path("subsidies/runs/<int:pk>/", api.PayoutRunDetailApi.as_view(), name="api-subsidy-run-detail"),
    path("subsidies/runs/<int:pk>/recompute/", api.PayoutRunRecomputeApi.as_view(), name="api-subsidy-run-recompute"),
    path("subsidies/runs/<int:pk>/review/", api.PayoutRunReviewApi.as_view(), name="api-subsidy-run-review"),
    path("subsidies/runs/<int:pk>/send-back/", api.PayoutRunSendBackApi.as_view(), name="api-subsidy-run-send-back"),
    path("subsidies/runs/<int:pk>/approve/", api.PayoutRunApproveApi.as_view(), name="api-subsidy-run-approve"),
    path("subsidies/lines/<int:pk>/adjustments/", api.PayoutLineAdjustApi.as_view(), name="api-subsidy-line-adjust"),
    path("subsidies/lines/<int:pk>/pay/", api.PayoutLinePayApi.as_view(), name="api-subsidy-line-pay"),
    path("subsidies/statements/mine/", api.CompanyStatementsApi.as_view(), name="api-subsidy-statements-mine"),
]
