"""Reads about payments. Sums of money are computed in the database (aggregation over the ledger), so the
figures the Subsidies issue builds on come from one query, not from Python loops."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.money import FEN
from marketplace.payments.models import (
    LedgerKind,
    Payment,
    PaymentLedgerEntry,
    PaymentRefund,
    PaymentStatus,
    ReconciliationRun,
    RefundStatus,
)

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _net(entries: QuerySet[PaymentLedgerEntry]) -> Decimal:
    """charges − refunds over ``entries``, summed by the database."""
    signed = Case(
        When(kind=LedgerKind.CHARGE, then=F("amount")),
        When(kind=LedgerKind.REFUND, then=-F("amount")),
        output_field=_MONEY,
    )
    total = entries.aggregate(net=Coalesce(Sum(signed), Value(ZERO), output_field=_MONEY))["net"]
    return Decimal(total).quantize(FEN)


def job_net_paid(*, request) -> Decimal:
    """What the resident has paid for the job, net of refunds (charges − refunds in the ledger)."""
    return _net(PaymentLedgerEntry.objects.filter(payment__request=request))


def _moment(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return datetime.datetime.combine(value, datetime.time.min, tzinfo=timezone.get_current_timezone())


def company_paid_volume(*, company, start, end) -> Decimal:
    """The company's service volume paid through the platform in [start, end): charges − refunds booked in
    that period (dates are local midnights; ``end`` is excluded). Counted by when each entry was booked,
    so a closed period's figure never changes afterwards: a refund booked later lowers the later period."""
    return _net(PaymentLedgerEntry.objects.filter(payment__company=company, created_at__gte=_moment(start),
                                                  created_at__lt=_moment(end)))


def payment_net_paid(*, payment: Payment) -> Decimal:
    return _net(PaymentLedgerEntry.objects.filter(payment=payment))


def payment_refundable(*, payment: Payment) -> Decimal:
    """Still refundable: net paid minus refunds already in progress."""
    in_progress = PaymentRefund.objects.filter(payment=payment, status=RefundStatus.PENDING).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY))["total"]
    return (payment_net_paid(payment=payment) - Decimal(in_progress)).quantize(FEN)


def payment_refund_state(*, payment: Payment) -> str | None:
    """'refunded' / 'partially_refunded' / None, derived from the ledger (a paid payment keeps status paid)."""
    if payment.status != PaymentStatus.PAID:
        return None
    net = payment_net_paid(payment=payment)
    if net <= 0:
        return "refunded"
    if net < payment.amount:
        return "partially_refunded"
    return None


@dataclass
class JobPaymentSummary:
    """What every screen about a job shows about its payment."""

    price: Decimal | None
    paid: Payment | None  # the payment that paid the job
    open: Payment | None  # a payment in progress (waiting for the provider or the resident's confirmation)
    net_paid: Decimal
    refund_state: str | None
    refunds: list[PaymentRefund]
    flagged: list[Payment]
    payments: list[Payment]

    @property
    def state(self) -> str:
        """One word for a badge: unpaid / pending / paid / partially_refunded / refunded."""
        if self.paid is not None:
            return self.refund_state or "paid"
        if self.open is not None:
            return "pending"
        return "unpaid"


def job_payment_summary(*, request) -> JobPaymentSummary:
    payments = list(Payment.objects.filter(request=request).select_related("recorded_by", "confirmed_by").order_by("-created_at", "-pk"))
    paid = next((p for p in payments if p.status == PaymentStatus.PAID), None)
    open_payment = next((p for p in payments if p.status in (PaymentStatus.CREATED, PaymentStatus.PENDING)), None)
    refunds = list(PaymentRefund.objects.filter(payment__request=request).select_related("requested_by").order_by("requested_at", "pk"))
    return JobPaymentSummary(
        price=request.final_price, paid=paid, open=open_payment, net_paid=job_net_paid(request=request),
        refund_state=payment_refund_state(payment=paid) if paid else None, refunds=refunds,
        flagged=[p for p in payments if p.flag_open], payments=payments,
    )


def payment_ledger(*, request) -> QuerySet[PaymentLedgerEntry]:
    return PaymentLedgerEntry.objects.filter(payment__request=request).select_related("payment").order_by("created_at", "pk")


def payments_for_centre(*, status: str | None = None, flagged: bool = False) -> QuerySet[Payment]:
    payments = Payment.objects.select_related("request__product", "company", "resident")
    if status:
        payments = payments.filter(status=status)
    if flagged:  # open flags only; resolved ones stay on the payment as history
        payments = payments.filter(Q(flagged_at__isnull=False) | Q(status=PaymentStatus.NEEDS_REVIEW),
                                   flag_resolved_at__isnull=True)
    return payments.order_by("-created_at", "-pk")


def flagged_payments() -> QuerySet[Payment]:
    return payments_for_centre(flagged=True)


def reconciliation_runs() -> QuerySet[ReconciliationRun]:
    return ReconciliationRun.objects.select_related("started_by").order_by("-day", "provider", "-started_at")


# --- WeChat Pay JSAPI: whose openid -----------------------------------------------------------------

MINIPROGRAM_PROVIDER = "wechat_miniprogram"  # marketplace.wechat_miniprogram's allauth provider id


def miniprogram_openids_of(*, user) -> list[str]:
    """The openids of the mini-program WeChat accounts linked to ``user`` (allauth SocialAccount uids),
    the one that signed in most recently first. WeChat Pay JSAPI in the mini program charges one of these."""
    from marketplace.social.selectors import wechat_accounts_of

    accounts = wechat_accounts_of(user=user).filter(provider=MINIPROGRAM_PROVIDER)
    return list(accounts.order_by(F("last_login").desc(nulls_last=True), "-pk").values_list("uid", flat=True))
