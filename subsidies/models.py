"""The year-end subsidy payout: a run per fiscal year with one line per company (every input kept), the
run's status history, an append-only ledger of what the platform owes and paid each company, each
company's payout account, and the yearly budget.

The rule itself lives in ``subsidies.services.subsidy_line_amounts``; see docs/subsidies.md.
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = dict(max_digits=14, decimal_places=2)
HALF_FEN = models.Value(Decimal("0.005"), output_field=models.DecimalField(max_digits=4, decimal_places=3))
RATE = dict(max_digits=5, decimal_places=4)


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # computed; may be recomputed
    REVIEWED = "reviewed", _("reviewed")  # checked by a finance officer; waits for a second one
    APPROVED = "approved", _("approved")  # immutable; lines may be paid
    PAID = "paid", _("paid")  # every line with money has been paid


class PayoutRun(models.Model):
    """One fiscal year's subsidy computation. The policy values it used are copied here (a snapshot),
    so editing that year's policy later never changes the run."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    subsidy_rate = models.DecimalField(_("subsidy rate"), **RATE)
    reward_rate = models.DecimalField(_("reward rate"), **RATE)
    satisfaction_target = models.DecimalField(_("satisfaction target"), **RATE)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    computed_at = models.DateTimeField(_("computed at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # Totals of the lines, kept with the run so lists need no aggregation.
    line_count = models.PositiveIntegerField(default=0)
    total_volume = models.DecimalField(_("total volume"), default=0, **MONEY)
    total_subsidy = models.DecimalField(_("total subsidy"), default=0, **MONEY)
    total_reward = models.DecimalField(_("total reward"), default=0, **MONEY)
    total_amount = models.DecimalField(_("total to pay"), default=0, **MONEY)

    class Meta:
        ordering = ["-year"]
        constraints = [
            # The second pair of eyes, also in the database.
            models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("started_by")),
                                   name="payout_run_approver_not_starter"),
        ]
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status in (RunStatus.APPROVED, RunStatus.PAID)


class PayoutRunStatusChange(models.Model):
    """One row per status move (and per recompute): who, when, from, to, why. Never edited."""

    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=RunStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=RunStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]


class Eligibility(models.TextChoices):
    ELIGIBLE = "eligible", _("satisfaction at or above the target")
    BELOW_TARGET = "below_target", _("satisfaction below the target")
    NOT_JUDGED = "not_judged", _("no job was judged (no rating or call-back answer)")
    REMOVED = "removed", _("removed for complaints in the year")


class PayoutMethod(models.TextChoices):
    BANK = "bank", _("bank transfer (file)")
    WECHAT = "wechat", _("WeChat Pay transfer")
    STRIPE = "stripe", _("Stripe Connect transfer")


class PayoutState(models.TextChoices):
    UNPAID = "unpaid", _("not paid")
    PROCESSING = "processing", _("sent, waiting for the provider")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed; may be sent again")


class PayoutLine(models.Model):
    """One company in one run, with every input of the rule and the result, and how it was paid."""

    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="lines")
    company = models.ForeignKey("providers.Company", on_delete=models.PROTECT, related_name="payout_lines")
    # Snapshots for statements and the dashboard (a later rename does not rewrite a closed year).
    company_name = models.CharField(_("company"), max_length=200)
    region_name = models.CharField(_("region"), max_length=100, blank=True)
    category_name = models.CharField(_("category"), max_length=255, blank=True)
    volume = models.DecimalField(_("service volume"), **MONEY)
    job_count = models.PositiveIntegerField(_("paid jobs"))
    satisfied_jobs = models.PositiveIntegerField(_("satisfied jobs"))
    judged_jobs = models.PositiveIntegerField(_("judged jobs"))
    satisfaction = models.DecimalField(_("satisfaction"), null=True, blank=True, **RATE)  # shown rounded; never compared
    upheld_complaints = models.PositiveIntegerField(_("upheld complaints"))
    removed_for_complaints = models.BooleanField(_("removed for complaints"))
    eligible_for_reward = models.BooleanField(_("eligible for the reward"))
    eligibility = models.CharField(_("reason"), max_length=20, choices=Eligibility.choices)
    subsidy = models.DecimalField(_("subsidy"), **MONEY)
    reward = models.DecimalField(_("reward"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    # Paying: set once, by a conditional update (see services.payout_line_pay).
    payout_state = models.CharField(_("payout"), max_length=12, choices=PayoutState.choices, default=PayoutState.UNPAID)
    paid_via = models.CharField(_("paid via"), max_length=10, choices=PayoutMethod.choices, blank=True)
    payout_reference = models.CharField(_("our payout reference"), max_length=64, blank=True)
    # Bumped after a provider definitively refused a transfer, so the next try uses a new reference
    # (a retry after a network error keeps the reference: the provider then deduplicates it).
    payout_attempt = models.PositiveSmallIntegerField(default=1)
    provider_reference = models.CharField(_("provider reference"), max_length=64, blank=True)
    payout_started_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payout_failure = models.TextField(blank=True)

    class Meta:
        ordering = ["company_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "company"], name="one_line_per_company_per_run"),
            models.UniqueConstraint(fields=["payout_reference"], condition=~Q(payout_reference=""),
                                    name="payout_reference_unique"),
            # total = subsidy + reward, to the fen. Compared within half a fen: SQLite keeps decimals as
            # binary floating point, where 123.45 + 61.73 is not exactly 185.18; on PostgreSQL (exact
            # numeric) amounts with two places can only meet this when they are equal.
            models.CheckConstraint(
                condition=Q(total__gt=models.F("subsidy") + models.F("reward") - HALF_FEN)
                & Q(total__lt=models.F("subsidy") + models.F("reward") + HALF_FEN),
                name="line_total_is_sum"),
        ]
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")

    def __str__(self) -> str:
        return f"{self.run.year} {self.company_name} ¥{self.total:.2f}"


class LedgerKind(models.TextChoices):
    ACCRUAL = "accrual", _("owed by the approved run")
    ADJUSTMENT = "adjustment", _("adjustment")
    PAYOUT = "payout", _("paid out")


class SubsidyLedgerEntry(models.Model):
    """Append-only: what the platform owes each company (accruals, adjustments) and what it paid.
    Owed = accruals + adjustments − payouts. Never edited or deleted; a correction is a new adjustment
    that names the line (and, if any, the entry it corrects) and gives the reason."""

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="ledger_entries")
    line = models.ForeignKey(PayoutLine, on_delete=models.PROTECT, related_name="ledger_entries")
    company = models.ForeignKey("providers.Company", on_delete=models.PROTECT, related_name="subsidy_ledger_entries")
    kind = models.CharField(max_length=12, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)  # signed for adjustments; positive otherwise
    reason = models.TextField(_("reason"), blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["line"], condition=Q(kind="accrual"), name="one_accrual_per_line"),
            # A line is paid once: at most one payout entry.
            models.UniqueConstraint(fields=["line"], condition=Q(kind="payout"), name="one_payout_per_line"),
            models.CheckConstraint(condition=Q(kind="adjustment") | Q(amount__gte=0), name="ledger_amount_signed_only_for_adjustments"),
            models.CheckConstraint(condition=~Q(kind="adjustment") | ~Q(reason=""), name="adjustment_has_reason"),
        ]
        verbose_name = _("subsidy ledger entry")
        verbose_name_plural = _("subsidy ledger entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ¥{self.amount:.2f} ({self.company_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:  # append-only: guard against an accidental edit
            raise ValueError("subsidy ledger entries are never edited; add an adjustment")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("subsidy ledger entries are never deleted")


class PayoutAccount(models.Model):
    """Where a company's subsidy goes: its bank account (the transfer file), and optionally a WeChat
    openid (WeChat Pay transfer) or a Stripe connected account. Set by the company's staff in their portal
    or by finance, through ``services.payout_account_set``; every change keeps a history row."""

    company = models.OneToOneField("providers.Company", on_delete=models.CASCADE, related_name="payout_account")
    account_name = models.CharField(_("account holder"), max_length=200)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account number"), max_length=40, blank=True)
    wechat_openid = models.CharField(_("WeChat openid"), max_length=64, blank=True)
    stripe_account = models.CharField(_("Stripe connected account"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed where the money goes, when, from what, and why (set through services.payout_account_set).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self) -> str:
        return self.account_name


class SubsidyBudget(models.Model):
    """The money set aside for a year's subsidies and rewards (budget vs spent on the dashboard)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("budget (CNY)"), **MONEY)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("subsidy budget")
        verbose_name_plural = _("subsidy budgets")

    def __str__(self) -> str:
        return f"{self.year}: ¥{self.amount:.2f}"
