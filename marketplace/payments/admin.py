"""Read-only admin views of the payment records: money moves only through the services (and the ledger is
append-only), so nothing here can add, change or delete."""
from django.contrib import admin

from marketplace.admin_base import ReadOnlyAdmin
from marketplace.payments.models import (
    Payment,
    PaymentLedgerEntry,
    PaymentNotification,
    PaymentRefund,
    ReconciliationRun,
)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "request", "company", "method", "amount", "status", "created_at", "paid_at", "flagged_at")
    list_filter = ("status", "method", "provider")
    search_fields = ("reference", "provider_reference")
    exclude = ("client_data",)


@admin.register(PaymentLedgerEntry)
class PaymentLedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "payment", "kind", "amount", "reference", "occurred_at")
    list_filter = ("kind",)
    search_fields = ("reference", "provider_event_id")


@admin.register(PaymentRefund)
class PaymentRefundAdmin(ReadOnlyAdmin):
    list_display = ("reference", "payment", "amount", "status", "requested_by", "requested_at")
    list_filter = ("status",)


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "event_type", "event_id", "outcome", "payment")
    list_filter = ("provider", "outcome")


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ("day", "provider", "status", "our_charges", "provider_charges", "our_refunds", "provider_refunds")
    list_filter = ("provider", "status")
