"""Reads about service requests for the portals and the API: a resident's own requests, a company's
offers and jobs, the centre's supervise queue (督办), and who may see a resident's phone number.

Every function is keyword-only; what a person may not see answers 404 (``Http404``), never 403.
"""
from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from marketplace.models import (
    OPEN_REQUEST_STATUSES,
    RequestStatus,
    RequestStatusChange,
    ServiceRequest,
)

# Not yet taken by anyone: the response deadline still runs.
AWAITING_RESPONSE_STATUSES = (
    RequestStatus.SUBMITTED, RequestStatus.MATCHING, RequestStatus.OFFERED, RequestStatus.ESCALATED,
)
# The work is over (or will not happen): the completion deadline no longer runs.
FINISHED_STATUSES = (
    RequestStatus.COMPLETED, RequestStatus.CLOSED, RequestStatus.CANCELLED, RequestStatus.HANDLED_AT_ONCE,
)


def _with_people(queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return queryset.select_related("product", "region", "owner", "company", "resident", "linked_unit")


def _with_history(queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return queryset.prefetch_related(
        Prefetch("status_changes", queryset=RequestStatusChange.objects.select_related("actor").order_by("changed_at", "pk"))
    )


# --- residents ---------------------------------------------------------------------------------


def requests_of_resident(*, user) -> QuerySet[ServiceRequest]:
    """The resident's own requests, newest first (nobody else's)."""
    if not getattr(user, "is_authenticated", False):
        return ServiceRequest.objects.none()
    return _with_people(ServiceRequest.objects.filter(resident=user)).order_by("-created_at", "-pk")


def request_of_resident(*, user, pk: int) -> ServiceRequest:
    """One of the resident's own requests with its history; anyone else's answers 404."""
    return get_object_or_404(_with_history(requests_of_resident(user=user)), pk=pk)


# --- companies ---------------------------------------------------------------------------------


def company_of_staff(*, user):
    """The company a company_staff user works for (the first, should they staff several), or None."""
    from providers.selectors import companies_of_user

    return companies_of_user(user=user).order_by("pk").first()


def jobs_of_company(*, company, statuses=None) -> QuerySet[ServiceRequest]:
    """Requests the company has accepted (active and finished), newest first; ``statuses`` filters."""
    jobs = _with_people(ServiceRequest.objects.filter(company=company, accepted_at__isnull=False))
    if statuses:
        jobs = jobs.filter(status__in=list(statuses))
    return jobs.order_by("-accepted_at", "-pk")


def job_of_company(*, company, pk: int) -> ServiceRequest:
    """One of the company's jobs with its history; another company's job (or an offer not yet
    accepted) answers 404."""
    return get_object_or_404(_with_history(jobs_of_company(company=company)), pk=pk)


def offers_inbox(*, company, now: datetime.datetime):
    """The company's offers still waiting for an answer and not yet expired, the most urgent first."""
    from matching.models import Offer

    return (
        Offer.objects.filter(company=company, status=Offer.Status.PENDING, expires_at__gt=now)
        .select_related("request__product", "request__region", "request__owner")
        .order_by("expires_at", "pk")
    )


def offer_of_company(*, company, pk: int):
    """One offer made to the company (any status); another company's offer answers 404."""
    from matching.models import Offer

    return get_object_or_404(Offer.objects.filter(company=company).select_related("request"), pk=pk)


def can_see_contact(*, request: ServiceRequest, company) -> bool:
    """A company's staff see the resident's phone only once their company has accepted the request
    (and while it is still theirs)."""
    return (
        company is not None
        and request.company_id == company.pk
        and request.accepted_at is not None
        and request.status not in AWAITING_RESPONSE_STATUSES
    )


def mask_phone(phone: str) -> str:
    """13900000001 / +8613900000001 → 139****0001: the first three and last four digits stay."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if str(phone or "").startswith("+86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


# --- deadlines and the centre ------------------------------------------------------------------


def request_overdue_kind(*, request: ServiceRequest, now: datetime.datetime) -> str | None:
    """Which deadline a request has missed: "response" (nobody has taken it yet), "completion" (the
    work is not completed, closed or cancelled), or None."""
    if request.status in AWAITING_RESPONSE_STATUSES and request.response_due_at <= now:
        return "response"
    if request.status not in FINISHED_STATUSES and request.completion_due_at <= now:
        return "completion"
    return None


def request_is_overdue(*, request: ServiceRequest, now: datetime.datetime) -> bool:
    """Overdue: the response deadline passed while nobody has taken it yet, or the completion deadline
    passed while the work is not completed, closed or cancelled."""
    return request_overdue_kind(request=request, now=now) is not None


def _overdue_q(now: datetime.datetime) -> Q:
    return Q(status__in=AWAITING_RESPONSE_STATUSES, response_due_at__lte=now) | (
        ~Q(status__in=FINISHED_STATUSES) & Q(completion_due_at__lte=now)
    )


def supervise_queue(*, now: datetime.datetime) -> QuerySet[ServiceRequest]:
    """督办: escalated requests plus open ones past a deadline, oldest first, with their owner."""
    return _with_people(
        ServiceRequest.objects.filter(Q(status=RequestStatus.ESCALATED) | (Q(status__in=OPEN_REQUEST_STATUSES) & _overdue_q(now)))
    ).order_by("created_at", "pk")


def request_for_centre(*, pk: int) -> ServiceRequest:
    """Any request, for a centre agent, with its history and the matcher's runs (best first)."""
    from matching.models import Match, Offer

    return get_object_or_404(
        _with_history(_with_people(ServiceRequest.objects.all())).prefetch_related(
            Prefetch("matches", queryset=Match.objects.order_by("-created_at", "-pk")),
            Prefetch("offers", queryset=Offer.objects.select_related("company").order_by("offered_at", "pk")),
        ),
        pk=pk,
    )


def company_average_rating(*, company):
    """The company's average overall rating from residents (one decimal), or None without ratings."""
    if company is None:
        return None
    from ratings.selectors import company_rating_summary

    return company_rating_summary(company=company)["overall"]

