"""Payment pages and the providers' notification endpoints."""
from django.urls import path

from marketplace.payments import views

urlpatterns = [
    path("payments/request/<int:pk>/", views.request_payment, name="payment-request"),
    path("payments/company/jobs/<int:pk>/", views.company_job_payment, name="payment-company-job"),
    path("payments/centre/", views.centre_payments, name="payment-centre-list"),
    path("payments/centre/requests/<int:pk>/", views.centre_request_payment, name="payment-centre-request"),
    path("payments/finance/reconciliation/", views.reconciliation_list, name="payment-reconciliation-list"),
    path("payments/finance/reconciliation/<int:pk>/", views.reconciliation_detail, name="payment-reconciliation-detail"),
    path("payments/finance/flagged/<int:pk>/", views.flagged_payment, name="payment-flagged"),
    path("payments/notify/wechat/", views.notify_wechat, name="payment-notify-wechat"),
    path("payments/notify/stripe/", views.notify_stripe, name="payment-notify-stripe"),
]
