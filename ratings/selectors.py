"""Reads of the quality loop: the satisfaction rate (defined once, here), rating summaries, upheld
complaint counts, the call-back queue, complaint lists and the monthly report's figures.

Every page, report and the subsidy calculation reads satisfaction through ``satisfaction_rate`` (or its
counts, ``satisfaction_tally``); nothing else counts satisfied jobs.
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from marketplace.models import (
    LinkedUnit,
    RequestStatus,
    RequestStatusChange,
    ServiceRequest,
)
from marketplace.selectors import policy_for_year
from ratings.models import (
    SATISFIED_OUTCOMES,
    CallBack,
    CallBackOutcome,
    Complaint,
    ComplaintStatusChange,
    MonthlyReport,
    Rating,
    Removal,
    RenewalReview,
)

# A rating of at least this many stars (of 5) counts as satisfied when there is no call-back answer.
SATISFIED_MIN_STARS = 4
# Requests in these statuses are jobs a resident may rate.
RATEABLE_STATUSES = (RequestStatus.COMPLETED, RequestStatus.CLOSED)


# --- periods -------------------------------------------------------------------------------------


def day_bounds(*, start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local days ``start`` … ``end`` (both included) as an aware half-open interval [from, until)."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return since, until


def month_bounds(*, month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month ``month`` falls in."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def previous_month(*, today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


# --- satisfaction --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionTally:
    satisfied: int  # jobs judged satisfied
    judged: int  # jobs with a call-back answer or a rating

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.satisfied) / Decimal(self.judged) if self.judged else None

    def meets(self, target: Decimal) -> bool:
        """Exactly at the target counts as met. Compared on the counts, so no rounding can decide it."""
        return self.judged > 0 and Decimal(self.satisfied) >= target * self.judged


def satisfaction_tally(
    *, company=None, start: datetime.date, end: datetime.date, linked_unit: LinkedUnit | None = None
) -> SatisfactionTally:
    """The counts behind ``satisfaction_rate`` (same definition; see there)."""
    if (company is None) == (linked_unit is None):
        raise ValueError("satisfaction is measured for one company or one linked unit")
    since, until = day_bounds(start=start, end=end)
    if company is not None:
        jobs = ServiceRequest.objects.filter(company=company, completed_at__gte=since, completed_at__lt=until)
    else:
        jobs = ServiceRequest.objects.filter(linked_unit=linked_unit, closed_at__gte=since, closed_at__lt=until)
    satisfied = judged = 0
    for outcome, stars in jobs.values_list("callback__outcome", "rating__overall"):
        if outcome:  # the call-back answer wins over the rating
            judged += 1
            satisfied += outcome in SATISFIED_OUTCOMES
        elif stars is not None:
            judged += 1
            satisfied += stars >= SATISFIED_MIN_STARS
    return SatisfactionTally(satisfied=satisfied, judged=judged)


def satisfaction_rate(
    *, company=None, start: datetime.date, end: datetime.date, linked_unit: LinkedUnit | None = None
) -> Decimal | None:
    """The satisfaction rate (群众服务满意率) of a company — or of a linked unit — over the local days
    ``start`` … ``end``, both included. The one definition (docs/satisfaction.md):

    - The jobs: the company's requests *completed* in the period (by ``completed_at``); for a linked
      unit, the requests transferred to it and *closed* (reported) in the period. Cancelled requests
      are not jobs.
    - Each job is judged once. If the centre's call-back reached the resident, its answer decides:
      "satisfied" or "basically satisfied" is satisfied, "dissatisfied" is not. Otherwise the
      resident's rating decides: 4 or 5 stars overall is satisfied, 1–3 is not. A job with neither
      (no rating, call-back not yet made or never answered) is left out.
    - Rate = satisfied jobs ÷ judged jobs, as an exact ``Decimal`` quotient (28 significant digits);
      ``None`` when no job in the period was judged.

    A rate exactly at the policy's ``satisfaction_target`` meets it (``SatisfactionTally.meets``).
    """
    return satisfaction_tally(company=company, linked_unit=linked_unit, start=start, end=end).rate


def satisfaction_tallies_by_company(*, start: datetime.date, end: datetime.date) -> dict[int, SatisfactionTally]:
    """``satisfaction_tally`` for every company at once over the local days ``start`` … ``end``: one
    grouped query, {company id: tally}, same rule and constants (each job completed in the period judged
    once, by the call-back answer if the resident was reached, else by the rating, ≥ ``SATISFIED_MIN_STARS``
    stars satisfied; a job with neither is left out). Companies without a completed job are absent. Used
    by the year-end subsidy run; tests/subsidies/test_grouped_figures_agree.py checks both agree."""
    since, until = day_bounds(start=start, end=end)
    answered = Q(callback__outcome__in=CallBackOutcome.values)
    unanswered = Q(callback__outcome__isnull=True) | Q(callback__outcome="")
    rows = (
        ServiceRequest.objects.filter(company__isnull=False, completed_at__gte=since, completed_at__lt=until)
        .values("company_id")
        .annotate(
            judged=Count("pk", filter=answered | (unanswered & Q(rating__overall__isnull=False))),
            satisfied=Count("pk", filter=Q(callback__outcome__in=SATISFIED_OUTCOMES)
                            | (unanswered & Q(rating__overall__gte=SATISFIED_MIN_STARS))),
        )
        .order_by()
    )
    return {row["company_id"]: SatisfactionTally(satisfied=row["satisfied"], judged=row["judged"]) for row in rows}


def satisfaction_display(rate: Decimal | None) -> Decimal | None:
    """A rate rounded half-up to four places (99.87%), for storing and showing; never for comparing."""
    return None if rate is None else rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# --- ratings -------------------------------------------------------------------------------------


def company_rating_summary(*, company) -> dict:
    """How residents rate a company, over all its ratings: the number of ratings and the average
    stars (one decimal, half-up) overall and per aspect; averages are ``None`` without ratings."""
    totals = Rating.objects.filter(company=company).aggregate(
        count=Count("pk"), overall=Sum("overall"), punctuality=Sum("punctuality"),
        attitude=Sum("attitude"), quality=Sum("quality"),
    )
    count = totals.pop("count")
    summary = {"count": count}
    for aspect, total in totals.items():
        summary[aspect] = (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if count else None
    return summary


def ratings_of_company(*, company) -> QuerySet[Rating]:
    return Rating.objects.filter(company=company).select_related("request__product").order_by("-created_at", "-pk")


def jobs_to_rate(*, resident) -> QuerySet[ServiceRequest]:
    """The resident's finished company jobs that have no rating yet."""
    return (
        ServiceRequest.objects.filter(resident=resident, company__isnull=False, status__in=RATEABLE_STATUSES,
                                      rating__isnull=True)
        .select_related("product", "company")
        .order_by("-completed_at", "-pk")
    )


def ratings_of_resident(*, resident) -> QuerySet[Rating]:
    return Rating.objects.filter(resident=resident).select_related("request__product", "company")


def rating_last_edit_day(*, rating: Rating) -> datetime.date:
    """Rule (policy ``rating_edit_days``, 7): a rating given on day 0 may be changed up to and
    including day 7 (local dates); from day 8 it is final."""
    given_on = timezone.localdate(rating.created_at)
    return given_on + datetime.timedelta(days=policy_for_year(year=given_on.year).rating_edit_days)


def rating_is_editable(*, rating: Rating, now: datetime.datetime | None = None) -> bool:
    return timezone.localdate(now or timezone.now()) <= rating_last_edit_day(rating=rating)


def resident_job(*, resident, pk: int) -> ServiceRequest:
    """One of the resident's own requests served by a company; anyone else's answers 404."""
    return get_object_or_404(
        ServiceRequest.objects.select_related("product", "company", "region").filter(resident=resident, company__isnull=False),
        pk=pk,
    )


# --- call-backs ----------------------------------------------------------------------------------


def callback_queue(*, status: str = CallBack.Status.OPEN) -> QuerySet[CallBack]:
    """The centre's call-back queue, oldest first, with the number of tries so far."""
    return (
        CallBack.objects.filter(status=status)
        .select_related("request__product", "request__resident", "request__owner", "company", "linked_unit")
        .annotate(tries=Count("attempts", filter=Q(attempts__reached=False)))
        .order_by("queued_at", "pk")
    )


def callback_for_centre(*, pk: int) -> CallBack:
    return get_object_or_404(
        CallBack.objects.select_related("request__product", "request__resident", "request__owner", "company", "linked_unit")
        .prefetch_related("attempts__agent"),
        pk=pk,
    )


# --- complaints ----------------------------------------------------------------------------------


def _complaints() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("request__product", "company", "resident", "filed_by", "decided_by")


def _with_history(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return queryset.prefetch_related(
        Prefetch("status_changes", queryset=ComplaintStatusChange.objects.select_related("actor").order_by("changed_at", "pk"))
    )


def complaints_of_resident(*, resident) -> QuerySet[Complaint]:
    return _complaints().filter(resident=resident)


def complaints_of_company(*, company) -> QuerySet[Complaint]:
    return _complaints().filter(company=company)


def complaints_for_centre(*, status: str | None = None) -> QuerySet[Complaint]:
    qs = _complaints()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "pk") if status else qs


def complaint_of_resident(*, resident, pk: int) -> Complaint:
    return get_object_or_404(_with_history(complaints_of_resident(resident=resident)), pk=pk)


def complaint_of_company(*, company, pk: int) -> Complaint:
    return get_object_or_404(_with_history(complaints_of_company(company=company)), pk=pk)


def complaint_for_centre(*, pk: int) -> Complaint:
    return get_object_or_404(_with_history(_complaints()), pk=pk)


def complaint_reopen_last_day(*, complaint: Complaint) -> datetime.date | None:
    """Rule (policy ``complaint_reopen_days``, 30): the resident may reopen a decided complaint up to
    and including day 30 after the decision (local dates)."""
    if complaint.decided_at is None:
        return None
    decided_on = timezone.localdate(complaint.decided_at)
    return decided_on + datetime.timedelta(days=policy_for_year(year=decided_on.year).complaint_reopen_days)


def upheld_complaints_in_term(*, agreement) -> QuerySet[Complaint]:
    """The complaints that stand upheld against the agreement's company in that agreement's term (its
    contract year): each counted in the term of the agreement in force when it was first upheld."""
    return Complaint.objects.filter(counted_agreement=agreement, upheld_at__isnull=False).order_by("upheld_at", "pk")


def upheld_complaints_in_year(*, company, year: int) -> int:
    """Complaints standing upheld against the company that were upheld in the calendar ``year``."""
    return Complaint.objects.filter(company=company, upheld_at__year=year).count()


def price_comparison(*, complaint: Complaint) -> dict:
    """For an overcharge complaint: what the resident paid beside what the company contracted and
    the guide price that applies to it (its base region's, else the nearest ancestor's or city-wide)."""
    from pricing.selectors import contract_price_for, guide_price_for

    request = complaint.request
    stock = contract_price_for(partner_id=complaint.company.partner_id, product_id=request.product_id)
    guide = guide_price_for(product_id=request.product_id, region=complaint.company.base_region)
    return {
        "final_price": request.final_price,
        "contract_price": stock.price if stock else None,
        "guide_price": guide.guide_price if guide else None,
        "market_price": guide.market_price if guide else None,
    }


# --- removals and renewals -----------------------------------------------------------------------


def removals_list() -> QuerySet[Removal]:
    return Removal.objects.select_related("company", "agreement", "removed_by", "reinstated_by").prefetch_related("complaints")


def removal_for_centre(*, pk: int) -> Removal:
    return get_object_or_404(removals_list(), pk=pk)


def renewal_list(*, undecided_only: bool = False) -> QuerySet[RenewalReview]:
    qs = RenewalReview.objects.select_related("agreement", "company", "decided_by")
    return qs.filter(decision="") if undecided_only else qs


def renewal_for_centre(*, pk: int) -> RenewalReview:
    return get_object_or_404(renewal_list(), pk=pk)


# --- the monthly report's figures ----------------------------------------------------------------


def _average_minutes(durations: list[datetime.timedelta]) -> Decimal | None:
    if not durations:
        return None
    seconds = sum(Decimal(d.total_seconds()) for d in durations) / len(durations)
    return (seconds / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def company_month_figures(*, company, month: datetime.date, now: datetime.datetime) -> dict:
    """A company's figures for one month (see docs/satisfaction.md, "Monthly report"):

    received: offers made to it in the month; accepted: offers it accepted in the month; completed: its
    jobs completed in the month; overdue: its jobs whose completion deadline fell in the month (and has
    passed) that were not completed by it, cancelled ones aside; average response: raised → accepted,
    in minutes, over the offers it accepted in the month; satisfaction: ``satisfaction_tally`` over the
    month; complaints received (filed in the month) and upheld (upheld in the month, still standing).
    """
    from matching.models import Offer

    first, last = month_bounds(month=month)
    since, until = day_bounds(start=first, end=last)
    offers = Offer.objects.filter(company=company)
    accepted = list(
        offers.filter(status=Offer.Status.ACCEPTED, responded_at__gte=since, responded_at__lt=until)
        .values_list("responded_at", "request__created_at")
    )
    tally = satisfaction_tally(company=company, start=first, end=last)
    return {
        "received": offers.filter(offered_at__gte=since, offered_at__lt=until).count(),
        "accepted": len(accepted),
        "completed": ServiceRequest.objects.filter(company=company, completed_at__gte=since, completed_at__lt=until).count(),
        "overdue": ServiceRequest.objects.filter(
            Q(completed_at__isnull=True) | Q(completed_at__gt=F("completion_due_at")),
            company=company, completion_due_at__gte=since, completion_due_at__lt=min(until, now),
        ).exclude(status=RequestStatus.CANCELLED).count(),
        "average_response_minutes": _average_minutes([at - raised for at, raised in accepted]),
        "satisfied_jobs": tally.satisfied,
        "judged_jobs": tally.judged,
        "satisfaction": satisfaction_display(tally.rate),
        "complaints_received": Complaint.objects.filter(company=company, created_at__gte=since, created_at__lt=until).count(),
        "complaints_upheld": Complaint.objects.filter(company=company, upheld_at__gte=since, upheld_at__lt=until).count(),
    }


def unit_month_figures(*, unit: LinkedUnit, month: datetime.date, now: datetime.datetime) -> dict:
    """A linked unit's figures for one month: received = requests transferred to it in the month;
    completed = those it reported (closed) in the month; overdue = its requests whose completion
    deadline fell in the month (and has passed) without a report by then; average response = transfer
    → report, in minutes, over the reports of the month; satisfaction as for companies. Units do not
    accept offers and take no complaints: accepted is empty, complaints 0."""
    first, last = month_bounds(month=month)
    since, until = day_bounds(start=first, end=last)
    transfers = RequestStatusChange.objects.filter(request__linked_unit=unit, to_status=RequestStatus.TRANSFERRED)
    reported = list(
        ServiceRequest.objects.filter(linked_unit=unit, status=RequestStatus.CLOSED, closed_at__gte=since, closed_at__lt=until)
        .values_list("pk", "closed_at")
    )
    transferred_at = dict(
        transfers.filter(request_id__in=[pk for pk, _closed in reported]).values_list("request_id", "changed_at")
    )
    tally = satisfaction_tally(linked_unit=unit, start=first, end=last)
    return {
        "received": transfers.filter(changed_at__gte=since, changed_at__lt=until).values("request_id").distinct().count(),
        "accepted": None,
        "completed": len(reported),
        "overdue": ServiceRequest.objects.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gt=F("completion_due_at")),
            linked_unit=unit, completion_due_at__gte=since, completion_due_at__lt=min(until, now),
        ).count(),
        "average_response_minutes": _average_minutes(
            [closed - transferred_at[pk] for pk, closed in reported if pk in transferred_at]
        ),
        "satisfied_jobs": tally.satisfied,
        "judged_jobs": tally.judged,
        "satisfaction": satisfaction_display(tally.rate),
        "complaints_received": 0,
        "complaints_upheld": 0,
    }


def report_months() -> list[datetime.date]:
    """Months with a generated report, newest first."""
    return list(MonthlyReport.objects.order_by("-month").values_list("month", flat=True).distinct())


def report_rows(*, month: datetime.date) -> dict[str, list[MonthlyReport]]:
    rows = MonthlyReport.objects.filter(month=month.replace(day=1)).order_by("subject_name", "pk")
    return {
        "companies": [r for r in rows if r.subject_kind == MonthlyReport.SubjectKind.COMPANY],
        "units": [r for r in rows if r.subject_kind == MonthlyReport.SubjectKind.LINKED_UNIT],
    }


# --- public league table -------------------------------------------------------------------------


LEAGUE_STATUSES = ("contracted", "suspended", "removed", "expired")


def league_table(*, today: datetime.date | None = None) -> list[dict]:
    """The public league table: every company that has held an agreement, with its categories, jobs
    completed this year, satisfaction this year (``satisfaction_rate``), upheld complaints this year,
    its average stars and its status. Best satisfaction first; companies without data last."""
    from providers.models import Company

    today = today or timezone.localdate()
    year_start = today.replace(month=1, day=1)
    since, until = day_bounds(start=year_start, end=today)
    companies = (
        Company.objects.filter(status__in=LEAGUE_STATUSES)
        .prefetch_related("categories")
        .annotate(jobs_done=Count("jobs", filter=Q(jobs__completed_at__gte=since, jobs__completed_at__lt=until)))
    )
    rows = []
    for company in companies:
        tally = satisfaction_tally(company=company, start=year_start, end=today)
        rows.append({
            "company": company,
            "categories": [c.name for c in company.categories.all()],
            "jobs_done": company.jobs_done,
            "satisfaction": satisfaction_display(tally.rate),
            "judged_jobs": tally.judged,
            "upheld_complaints": upheld_complaints_in_year(company=company, year=today.year),
            "rating": company_rating_summary(company=company),
        })
    rows.sort(key=lambda r: (r["satisfaction"] is None, -(r["satisfaction"] or 0), -r["jobs_done"], r["company"].legal_name))
    return rows
