"""Cash or transfer on site. There is no provider to ask: the company records the money, the resident (or
an agent at the call-back) confirms it (see services.payment_record_cash / payment_confirm_cash), and a
refund is money the company hands back, booked when the administrator records it."""
from __future__ import annotations

import datetime

from django.utils import timezone

from marketplace.payments.errors import NotificationRejected
from marketplace.payments.providers import base


class CashGateway(base.PaymentGateway):
    provider = "cash"

    def create_payment(self, payment, **options) -> base.StartedPayment:
        return base.StartedPayment(provider_reference=payment.reference)

    def client_params(self, payment) -> dict:
        return {}

    def parse_notification(self, request) -> base.VerifiedNotification:
        raise NotificationRejected("cash has no provider notifications")

    def fetch_status(self, payment) -> list[base.ProviderChange]:
        return []

    def refund(self, payment, refund) -> base.RefundResult:
        return base.RefundResult(provider_reference=refund.reference, status="succeeded", occurred_at=timezone.now())

    def cancel(self, payment) -> None:
        return None

    def list_transactions(self, day: datetime.date) -> list[base.ProviderTransaction]:
        return []  # nothing to compare with: cash is reconciled by the resident's confirmation
