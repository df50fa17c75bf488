"""REST API routes for payments (included under /api/ by marketplace/urls.py)."""
from django.urls import path

from marketplace.api_urls import by_method
from marketplace.payments import api

urlpatterns = [
    path("payments/requests/<int:pk>/", by_method(get=api.JobPaymentStatusApi, post=api.PaymentStartApi),
         name="api-job-payment"),
    path("payments/<int:pk>/refresh/", api.PaymentRefreshApi.as_view(), name="api-payment-refresh"),
    path("payments/company/jobs/<int:pk>/cash/", api.CompanyCashRecordApi.as_view(), name="api-payment-cash-record"),
    path("payments/<int:pk>/confirm-cash/", api.CashConfirmApi.as_view(), name="api-payment-cash-confirm"),
    path("payments/<int:pk>/refunds/", api.PaymentRefundApi.as_view(), name="api-payment-refund"),
]
