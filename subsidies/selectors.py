"""Reads of the subsidy payout: the service volume (defined once, here), the grouped figures a run is
built from (one aggregate query per input, for every company at once), runs, lines, statements and the
finance dashboard.

The per-company functions (``company_service_volume``, ``company_line_inputs``) and the grouped ones
(``line_inputs_by_company``) give the same figures; tests/subsidies check that they agree.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from marketplace.money import FEN
from marketplace.payments.models import LedgerKind as PaymentLedgerKind
from marketplace.payments.models import PaymentLedgerEntry
from marketplace.payments.selectors import company_paid_volume
from providers.models import Agreement, Company
from ratings import selectors as ratings_selectors
from ratings.models import Complaint, Removal
from ratings.selectors import (
    SatisfactionTally,
    day_bounds,
    satisfaction_tally,
    upheld_complaints_in_year,
)
from subsidies.models import (
    LedgerKind,
    PayoutAccount,
    PayoutLine,
    PayoutRun,
    RunStatus,
    SubsidyBudget,
    SubsidyLedgerEntry,
)

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


# --- the fiscal year -------------------------------------------------------------------------------


def fiscal_year_days(*, year: int) -> tuple[datetime.date, datetime.date]:
    """The fiscal year is the calendar year: 1 January … 31 December (local days, both included)."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def fiscal_year_bounds(*, year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The fiscal year as an aware half-open interval [1 Jan 00:00, next 1 Jan 00:00) in local time."""
    first, last = fiscal_year_days(year=year)
    return day_bounds(start=first, end=last)


# --- service volume: the one definition ----------------------------------------------------------


def company_service_volume(*, company, year: int) -> Decimal:
    """A company's service volume for a fiscal year (the base of the subsidy and the reward).

    Rule: "the sum of the final prices of a company's completed jobs that were paid or confirmed paid in
    cash, net of refunds, over the fiscal year". Read from the payments ledger, which books exactly that:
    a charge when a completed job's final price is paid (by WeChat Pay / card when the provider confirms
    it; in cash when the resident or an agent confirms it), a refund entry per refund. Volume = charges −
    refunds booked in the year (local time), via ``marketplace.payments.selectors.company_paid_volume``,
    so a refund booked in January lowers the new year, never a closed one. Grouped for every company at
    once by ``line_inputs_by_company`` (same figures).
    """
    first, _last = fiscal_year_days(year=year)
    return company_paid_volume(company=company, start=first, end=datetime.date(year + 1, 1, 1))


def _signed_amount():
    return Case(
        When(kind=PaymentLedgerKind.CHARGE, then=F("amount")),
        When(kind=PaymentLedgerKind.REFUND, then=-F("amount")),
        output_field=_MONEY,
    )


def service_volumes_by_company(*, year: int) -> dict[int, tuple[Decimal, int]]:
    """``company_service_volume`` for every company at once: {company id: (volume, paid jobs)}, one
    aggregate query over the payments ledger grouped by company. Paid jobs = charges booked in the year
    (a job is paid at most once, so one charge per paid job)."""
    since, until = fiscal_year_bounds(year=year)
    rows = (
        PaymentLedgerEntry.objects.filter(created_at__gte=since, created_at__lt=until)
        .values("payment__company_id")
        .annotate(volume=Coalesce(Sum(_signed_amount()), Value(ZERO), output_field=_MONEY),
                  jobs=Count("pk", filter=Q(kind=PaymentLedgerKind.CHARGE)))
        .order_by()
    )
    return {row["payment__company_id"]: (Decimal(row["volume"]).quantize(FEN), row["jobs"]) for row in rows}


def company_paid_jobs(*, company, year: int) -> int:
    since, until = fiscal_year_bounds(year=year)
    # The kind goes in the aggregate's filter, not the WHERE: SQLite would otherwise scan the (kind,
    # created_at) index over every company's charges instead of this company's payments.
    return PaymentLedgerEntry.objects.filter(payment__company=company, created_at__gte=since, created_at__lt=until
                                             ).aggregate(n=Count("pk", filter=Q(kind=PaymentLedgerKind.CHARGE)))["n"]


# --- satisfaction, grouped -------------------------------------------------------------------------


def satisfaction_tallies_by_company(*, year: int) -> dict[int, SatisfactionTally]:
    """The fiscal year's satisfaction counts of every company at once: the grouped twin of
    ``ratings.selectors.satisfaction_tally``, which lives beside it in ratings (one definition)."""
    first, last = fiscal_year_days(year=year)
    return ratings_selectors.satisfaction_tallies_by_company(start=first, end=last)


# --- complaints and removals -----------------------------------------------------------------------


def upheld_complaints_by_company(*, year: int) -> dict[int, int]:
    """``ratings.selectors.upheld_complaints_in_year`` for every company at once."""
    rows = Complaint.objects.filter(upheld_at__year=year).values("company_id").annotate(n=Count("pk")).order_by()
    return {row["company_id"]: row["n"] for row in rows}


def _removals_in_year(year: int) -> QuerySet[Removal]:
    since, until = fiscal_year_bounds(year=year)
    return Removal.objects.filter(removed_at__gte=since, removed_at__lt=until, reinstated_at__isnull=True)


def company_removed_for_complaints(*, company, year: int) -> bool:
    """Removed for complaints in the fiscal year: a removal (ratings.Removal, made when upheld complaints
    reach the policy's limit) dated in the year and not reversed by a reinstatement."""
    return _removals_in_year(year).filter(company=company).exists()


def removed_companies(*, year: int) -> set[int]:
    return set(_removals_in_year(year).values_list("company_id", flat=True))


# --- who gets a line -------------------------------------------------------------------------------


def run_companies(*, year: int, with_volume: set[int] | None = None) -> list[dict]:
    """Every company with an agreement in force on some day of the year (joined mid-year or left early
    included), plus any company with paid volume booked in the year (``with_volume``). Rows carry the
    first category's name (for the dashboard) and the base region's name."""
    first, last = fiscal_year_days(year=year)
    fields = ("pk", "legal_name", "base_region__name", "category_name")

    def rows(queryset):
        return queryset.annotate(category_name=Min("categories__name")).values(*fields).order_by()

    contracted = Agreement.objects.filter(term_start__lte=last, term_end__gte=first).values("company_id")
    found = list(rows(Company.objects.filter(pk__in=contracted)))
    # Companies paid in the year without an agreement covering it (rare): fetched by id, in chunks.
    missing = sorted(set(with_volume or ()) - {row["pk"] for row in found})
    for index in range(0, len(missing), 500):
        found += list(rows(Company.objects.filter(pk__in=missing[index:index + 500])))
    return sorted(found, key=lambda row: row["pk"])


@dataclass(frozen=True)
class LineInputs:
    """Everything the rule reads for one company's year."""

    company_id: int
    company_name: str
    region_name: str
    category_name: str
    volume: Decimal
    job_count: int
    tally: SatisfactionTally
    upheld_complaints: int
    removed_for_complaints: bool


def line_inputs_by_company(*, year: int) -> list[LineInputs]:
    """The inputs of every company's line, from five grouped queries (no query per company)."""
    volumes = service_volumes_by_company(year=year)
    tallies = satisfaction_tallies_by_company(year=year)
    complaints = upheld_complaints_by_company(year=year)
    removed = removed_companies(year=year)
    inputs = []
    for row in run_companies(year=year, with_volume=set(volumes)):
        volume, jobs = volumes.get(row["pk"], (ZERO, 0))
        inputs.append(LineInputs(
            company_id=row["pk"], company_name=row["legal_name"], region_name=row["base_region__name"] or "",
            category_name=row["category_name"] or "", volume=volume, job_count=jobs,
            tally=tallies.get(row["pk"], SatisfactionTally(satisfied=0, judged=0)),
            upheld_complaints=complaints.get(row["pk"], 0), removed_for_complaints=row["pk"] in removed,
        ))
    return inputs


def company_line_inputs(*, company, year: int) -> LineInputs:
    """The same inputs for one company, through the per-company definitions (the naive path: several
    queries per company; used by the benchmark's comparison and the agreement tests)."""
    first, last = fiscal_year_days(year=year)
    category = company.categories.order_by("name").values_list("name", flat=True).first()
    return LineInputs(
        company_id=company.pk, company_name=company.legal_name,
        region_name=company.base_region.name if company.base_region_id else "", category_name=category or "",
        volume=company_service_volume(company=company, year=year), job_count=company_paid_jobs(company=company, year=year),
        tally=satisfaction_tally(company=company, start=first, end=last),
        upheld_complaints=upheld_complaints_in_year(company=company, year=year),
        removed_for_complaints=company_removed_for_complaints(company=company, year=year),
    )


# --- runs and lines --------------------------------------------------------------------------------


def payout_runs() -> QuerySet[PayoutRun]:
    return PayoutRun.objects.select_related("started_by", "reviewed_by", "approved_by").order_by("-year")


def payout_run(*, pk: int) -> PayoutRun:
    return get_object_or_404(payout_runs(), pk=pk)


def run_lines(*, run: PayoutRun) -> QuerySet[PayoutLine]:
    return run.lines.select_related("company", "paid_by").order_by("company_name", "pk")


def payout_line(*, pk: int) -> PayoutLine:
    return get_object_or_404(PayoutLine.objects.select_related("run", "company", "paid_by"), pk=pk)


def line_ledger(*, line: PayoutLine) -> QuerySet[SubsidyLedgerEntry]:
    return line.ledger_entries.select_related("created_by").order_by("created_at", "pk")


def _ledger_sum(entries: QuerySet[SubsidyLedgerEntry]) -> Decimal:
    signed = Case(When(kind=LedgerKind.PAYOUT, then=-F("amount")), default=F("amount"), output_field=_MONEY)
    return Decimal(entries.aggregate(s=Coalesce(Sum(signed), Value(ZERO), output_field=_MONEY))["s"]).quantize(FEN)


def line_owed(*, line: PayoutLine) -> Decimal:
    """Still owed on the line: accrual + adjustments − payouts (from the ledger)."""
    return _ledger_sum(line.ledger_entries.all())


def line_due(*, line: PayoutLine) -> Decimal:
    """What a payout of the line pays: its total plus adjustments booked so far (the accrual is booked
    at approval, so before that this is the line's total)."""
    adjustments = line.ledger_entries.filter(kind=LedgerKind.ADJUSTMENT).aggregate(
        s=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY))["s"]
    return (line.total + Decimal(adjustments)).quantize(FEN)


def payout_account_of(*, company) -> PayoutAccount | None:
    return PayoutAccount.objects.filter(company=company).first()


def payout_account_history(*, company) -> list:
    """The changes of the company's payout account, newest first (who, when, why, the values)."""
    return list(PayoutAccount.history.filter(company_id=company.pk).select_related("history_user")
                .order_by("-history_date", "-history_id")[:50])


def statements_of_company(*, company) -> QuerySet[PayoutLine]:
    """A company's statements: its lines in approved (or paid) runs, newest year first."""
    return (
        PayoutLine.objects.filter(company=company, run__status__in=(RunStatus.APPROVED, RunStatus.PAID))
        .select_related("run").order_by("-run__year")
    )


def statement_of_company(*, company, pk: int) -> PayoutLine:
    """One of the company's own statements; anyone else's (or a draft's) answers 404."""
    return get_object_or_404(statements_of_company(company=company), pk=pk)


# --- the finance dashboard -------------------------------------------------------------------------


def _line_totals(lines: QuerySet[PayoutLine], field: str) -> list[dict]:
    return list(
        lines.values(field).annotate(companies=Count("pk"), volume=Sum("volume"), subsidy=Sum("subsidy"),
                                     reward=Sum("reward"), total=Sum("total"))
        .order_by("-total", field)
    )


def dashboard(*, year: int) -> dict:
    """Totals of the year's run by category and region, budget vs spent, and the month-by-month trend
    of service volume (payments ledger) and of subsidy paid out."""
    run = PayoutRun.objects.filter(year=year).first()
    lines = run.lines.all() if run else PayoutLine.objects.none()
    budget = SubsidyBudget.objects.filter(year=year).first()
    entries = SubsidyLedgerEntry.objects.filter(run__year=year)
    committed = (run.total_amount if run and run.is_approved else ZERO) + Decimal(
        entries.filter(kind=LedgerKind.ADJUSTMENT).aggregate(s=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY))["s"])
    paid = Decimal(entries.filter(kind=LedgerKind.PAYOUT).aggregate(s=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY))["s"])
    since, until = fiscal_year_bounds(year=year)
    tz = timezone.get_current_timezone()
    volume_by_month = {
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: Decimal(row["volume"]).quantize(FEN)
        for row in PaymentLedgerEntry.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(month=TruncMonth("created_at", tzinfo=tz)).values("month")
        .annotate(volume=Sum(_signed_amount())).order_by()
    }
    paid_by_month = {
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: Decimal(row["paid"]).quantize(FEN)
        for row in entries.filter(kind=LedgerKind.PAYOUT).annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month").annotate(paid=Sum("amount")).order_by()
    }
    months = []
    for month in range(1, 13):
        day = datetime.date(year, month, 1)
        months.append({"month": day, "volume": volume_by_month.get(day, ZERO), "paid": paid_by_month.get(day, ZERO)})
    return {
        "year": year,
        "run": run,
        "by_category": _line_totals(lines, "category_name"),
        "by_region": _line_totals(lines, "region_name"),
        "budget": budget.amount if budget else None,
        "committed": committed.quantize(FEN),
        "paid": paid.quantize(FEN),
        "remaining": (budget.amount - committed).quantize(FEN) if budget else None,
        "months": months,
    }
