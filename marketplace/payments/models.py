"""What residents paid for their jobs: payments, their status history, the append-only money ledger,
refunds, the provider notifications we believed, and the daily reconciliation against the providers.

The ledger is the record of money: a charge entry when a payment is accepted, a refund entry per refund.
Net paid = charges − refunds. A job is paid at most once (one ``paid`` payment per request, enforced by
the database).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    WECHAT_JSAPI = "wechat_jsapi", _("WeChat Pay (in WeChat or the mini program)")
    WECHAT_NATIVE = "wechat_native", _("WeChat Pay (scan a QR code)")
    STRIPE_CARD = "stripe_card", _("Bank card (Stripe)")
    CASH = "cash", _("Cash or transfer on site")


class Provider(models.TextChoices):
    WECHAT = "wechat", _("WeChat Pay")
    STRIPE = "stripe", _("Stripe")
    CASH = "cash", _("cash / transfer on site")


PROVIDER_OF_METHOD = {
    PaymentMethod.WECHAT_JSAPI: Provider.WECHAT,
    PaymentMethod.WECHAT_NATIVE: Provider.WECHAT,
    PaymentMethod.STRIPE_CARD: Provider.STRIPE,
    PaymentMethod.CASH: Provider.CASH,
}


class FlagOutcome(models.TextChoices):
    """What finance found when it looked into a flagged payment. The money was never booked, so no
    outcome touches the ledger."""

    RETURNED = "returned", _("money returned to the payer at the provider")
    NOT_RECEIVED = "not_received", _("checked: no money was received")
    OTHER = "other", _("settled otherwise (see the note)")


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("created")  # recorded here; the provider has not been asked yet
    PENDING = "pending", _("waiting for payment")  # the resident is paying (cash: waiting for confirmation)
    PAID = "paid", _("paid")  # accepted: a charge entry is in the ledger
    FAILED = "failed", _("failed")  # the provider refused it; the resident may try again
    CANCELLED = "cancelled", _("cancelled")  # replaced by another attempt, or given up
    NEEDS_REVIEW = "needs_review", _("needs review by finance")  # money that does not fit: not accepted


class Payment(models.Model):
    """One attempt to pay one job's final price by one method."""

    request = models.ForeignKey("marketplace.ServiceRequest", on_delete=models.PROTECT, related_name="payments")
    # The job's company when the payment was made: the company whose service volume it counts for.
    company = models.ForeignKey("providers.Company", on_delete=models.PROTECT, related_name="payments")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    # Our order number (WeChat's out_trade_no; Stripe metadata), unique across attempts.
    reference = models.CharField(_("our reference"), max_length=32, unique=True)
    # The provider's id: Stripe PaymentIntent id, WeChat transaction_id once paid.
    provider_reference = models.CharField(_("provider reference"), max_length=64, blank=True, db_index=True)
    # What the client needs to pay (prepay_id, code_url, client_secret); never shown to other people.
    client_data = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # Cash on site: the company records it, the resident (or an agent at the call-back) confirms it.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Finance-visible flag: money arrived that was not accepted (wrong amount, job already paid, disputed).
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    flag_reason = models.TextField(_("why it needs review"), blank=True)
    # Finance's answer to the flag: who, when, what was found. A resolved flag stays visible as history.
    flag_resolved_at = models.DateTimeField(_("flag resolved at"), null=True, blank=True)
    flag_resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("flag resolved by"))
    flag_outcome = models.CharField(_("outcome"), max_length=20, choices=FlagOutcome.choices, blank=True)
    flag_resolution = models.TextField(_("what finance did"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A job is paid exactly once.
            models.UniqueConstraint(fields=["request"], condition=Q(status="paid"), name="one_paid_payment_per_request"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "provider"]), models.Index(fields=["company", "status"])]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.reference} ¥{self.amount:.2f} ({self.get_status_display()})"

    @property
    def flag_open(self) -> bool:
        """Flagged for finance and not yet resolved."""
        return (self.flagged_at is not None or self.status == PaymentStatus.NEEDS_REVIEW) and self.flag_resolved_at is None


class PaymentStatusChange(models.Model):
    """One row per status move: who (or which notification), when, from, to, why. Never edited."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=PaymentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notification = models.ForeignKey("PaymentNotification", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("in progress")
    SUCCEEDED = "succeeded", _("refunded")
    FAILED = "failed", _("failed")


class PaymentRefund(models.Model):
    """Money given back on a paid payment, full or partial, started by an administrator (or learnt from
    the provider when made in its dashboard: ``requested_by`` is empty then)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    reference = models.CharField(_("our refund reference"), max_length=64, unique=True)  # WeChat out_refund_no
    provider_reference = models.CharField(_("provider refund id"), max_length=64, blank=True, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.reference} ¥{self.amount:.2f} ({self.get_status_display()})"


class LedgerKind(models.TextChoices):
    CHARGE = "charge", _("charge")
    REFUND = "refund", _("refund")


class PaymentLedgerEntry(models.Model):
    """Append-only record of money that moved. Never edited or deleted: a correction is a new entry.

    ``provider_event_id`` names the provider's transaction (``wechat:charge:<transaction_id>``,
    ``stripe:refund:<re_…>``, ``cash:charge:<reference>``); it is unique, so the same money can be booked
    only once however many notifications, retries or status checks report it.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    # The provider's id of this transaction (WeChat transaction_id / refund_id, Stripe pi_… / re_…,
    # our reference for cash): what reconciliation matches on.
    reference = models.CharField(max_length=64)
    provider_event_id = models.CharField(max_length=128, unique=True)
    refund = models.OneToOneField(PaymentRefund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entry")
    occurred_at = models.DateTimeField(_("at the provider"))  # the provider's time, used by reconciliation
    created_at = models.DateTimeField(_("booked at"))  # our time, used by service volume

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.UniqueConstraint(fields=["payment"], condition=Q(kind="charge"), name="one_charge_per_payment"),
        ]
        indexes = [models.Index(fields=["kind", "created_at"]), models.Index(fields=["occurred_at"])]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        sign = "-" if self.kind == LedgerKind.REFUND else "+"
        return f"{sign}¥{self.amount:.2f} {self.provider_event_id}"


class NotificationOutcome(models.TextChoices):
    PROCESSED = "processed", _("applied")
    DUPLICATE = "duplicate", _("already applied (replay)")
    DEFERRED = "deferred", _("waiting for the payment it refers to")
    IGNORED = "ignored", _("nothing to change")
    FLAGGED = "flagged", _("flagged for finance")
    UNKNOWN_PAYMENT = "unknown_payment", _("no such payment here")


class PaymentNotification(models.Model):
    """A provider notification whose signature was verified, with what it did. (Refused ones are logged,
    not stored: they change nothing.)"""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=128)
    event_type = models.CharField(max_length=64)
    received_at = models.DateTimeField()
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications")
    outcome = models.CharField(max_length=20, choices=NotificationOutcome.choices)
    detail = models.TextField(blank=True)
    payload = models.JSONField(default=dict)
    # The verified changes it reported, kept so a deferred one (a refund before its payment) can be applied later.
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="one_notification_per_event")]


class ReconciliationStatus(models.TextChoices):
    MATCHED = "matched", _("no mismatch")
    MISMATCHED = "mismatched", _("mismatches found")
    FAILED = "failed", _("could not read the provider's records")


class ReconciliationRun(models.Model):
    """One day's comparison of our ledger with one provider's records."""

    day = models.DateField(_("day"))
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    status = models.CharField(_("result"), max_length=12, choices=ReconciliationStatus.choices)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    our_charges = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    our_refunds = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    provider_charges = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    provider_refunds = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "provider", "-started_at"]
        verbose_name = _("reconciliation run")
        verbose_name_plural = _("reconciliation runs")

    def __str__(self) -> str:
        return f"{self.day} {self.provider}: {self.get_status_display()}"


class MismatchKind(models.TextChoices):
    MISSING_HERE = "missing_here", _("at the provider, not in our ledger")
    MISSING_AT_PROVIDER = "missing_at_provider", _("in our ledger, not at the provider")
    AMOUNT_DIFFERS = "amount_differs", _("amounts differ")


class ReconciliationMismatch(models.Model):
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="mismatches")
    kind = models.CharField(max_length=24, choices=MismatchKind.choices)
    entry_kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    reference = models.CharField(max_length=128)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    our_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    provider_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
