"""The company portal's work pages: the offers inbox (accept or decline before the offer runs out),
the jobs board (set off → arrive → complete), one job's detail, a two-week calendar of scheduled
visits and the history of finished work and refused offers.

Views stay thin: they check the role, read through marketplace.selectors_requests and hand every
write to matching.services / marketplace.services, showing a refusal as a message or a form error.
Another company's offer or job answers 404.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from marketplace import selectors_requests as selectors
from marketplace import services as request_services
from marketplace.errors import DomainError
from marketplace.models import ACTIVE_JOB_STATUSES, ServiceRequest
from marketplace.models import RequestStatus as R
from marketplace.roles import Role, role_required
from matching import engine, services
from matching.errors import DispatchInvalid, OfferExpired, OfferTaken
from matching.forms import JobCompleteForm, OfferDeclineForm
from matching.models import Offer
from matching.selectors import region_label
from providers.models import CompanyStatus

RECENT_COMPLETED_SHOWN = 10
HISTORY_PAGE_SIZE = 20
CALENDAR_DAYS = 14

# Which field of the completion form a refusal from job_complete belongs on (by error code).
_COMPLETE_ERROR_FIELDS = {
    "invalid_amount": "final_price",
    "final_price_above_contract": "final_price",
    "invalid_quantity": "quantity",
}


def company_page(view):
    """Company staff only; the view gets the user's company. A staff user whose account is linked to
    no company sees an explanation instead of an empty page."""

    @role_required(Role.COMPANY_STAFF)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        company = selectors.company_of_staff(user=request.user)
        if company is None:
            return render(request, "matching/no_company.html")
        return view(request, company, *args, **kwargs)

    return wrapped


# --- what a row shows ---------------------------------------------------------------------------


@dataclass
class RequestFacts:
    """What the pages show about a request, worked out once (phone masked unless the company may see it)."""

    request: ServiceRequest
    categories: list[str]
    answers: list[tuple[str, str]]
    region: str
    distance_km: float | None
    phone: str
    phone_is_masked: bool
    overdue: str | None = None  # "response" / "completion" / None


def _answers(request: ServiceRequest, questions: dict) -> list[tuple[str, str]]:
    """The resident's answers under the item's question names (Oscar product attributes)."""
    product_class_id = request.product.product_class_id
    if product_class_id not in questions:
        product_class = request.product.get_product_class()
        questions[product_class_id] = dict(product_class.attributes.values_list("code", "name")) if product_class else {}
    names = questions[product_class_id]
    shown = []
    for code, value in (request.answers or {}).items():
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        shown.append((names.get(code, code), str(value)))
    return shown


def _facts(request: ServiceRequest, *, company, now, questions: dict) -> RequestFacts:
    visible = selectors.can_see_contact(request=request, company=company)
    return RequestFacts(
        request=request,
        categories=[c.name for c in request.product.categories.all()],
        answers=_answers(request, questions),
        region=region_label(request.region),
        distance_km=engine.haversine_km(float(company.base_latitude), float(company.base_longitude),
                                        float(request.latitude), float(request.longitude)),
        phone=request.contact_phone if visible else selectors.mask_phone(request.contact_phone),
        phone_is_masked=not visible,
        overdue=selectors.request_overdue_kind(request=request, now=now),
    )


@dataclass
class OfferRow:
    offer: Offer
    facts: RequestFacts
    seconds_left: int
    decline_form: OfferDeclineForm


@dataclass
class JobRow:
    facts: RequestFacts
    complete_form: JobCompleteForm | None = None

    @property
    def job(self) -> ServiceRequest:
        return self.facts.request


def _job_rows(jobs, *, company, now, forms: dict | None = None) -> list[JobRow]:
    questions: dict = {}
    forms = forms or {}
    return [
        JobRow(
            facts=_facts(job, company=company, now=now, questions=questions),
            complete_form=forms.get(job.pk) or (JobCompleteForm(prefix=f"job{job.pk}") if job.status == R.IN_SERVICE else None),
        )
        for job in jobs
    ]


def _back_to(request, default: str, **kwargs):
    """Where a job action returns: the page it came from (a same-site ``next``), else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default, **kwargs)


# --- offers -------------------------------------------------------------------------------------


def _decline_form(offer_pk: int, data=None) -> OfferDeclineForm:
    # One form per offer on the page: distinct element ids keep each label tied to its own field.
    return OfferDeclineForm(data, auto_id=f"id_offer{offer_pk}_%s")


def _render_inbox(request, company, *, failed: dict[int, OfferDeclineForm] | None = None):
    now = timezone.now()
    failed = failed or {}
    offers = (
        selectors.offers_inbox(company=company, now=now)
        .select_related("request__region__parent__parent")
        .prefetch_related("request__product__categories")
    )
    questions: dict = {}
    rows = [
        OfferRow(
            offer=offer,
            facts=_facts(offer.request, company=company, now=now, questions=questions),
            seconds_left=max(0, int((offer.expires_at - now).total_seconds())),
            decline_form=failed.get(offer.pk) or _decline_form(offer.pk),
        )
        for offer in offers
    ]
    # A refused decline of an offer that has meanwhile left the inbox: say why at the top instead.
    shown = {row.offer.pk for row in rows}
    for pk, form in failed.items():
        if pk not in shown:
            for error in form.errors.get("reason", []):
                messages.error(request, error)
    context = {"company": company, "rows": rows, "now": now, "contracted": company.status == CompanyStatus.CONTRACTED}
    # The poller on the page asks for the list alone (header HX-Request: true) every few seconds.
    template = "matching/_offers_list.html" if request.htmx else "matching/company_offers.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@company_page
def company_offers(request, company):
    """Offers waiting for my company's answer, the most urgent first, with seconds left."""
    return _render_inbox(request, company)


@require_POST
@company_page
def company_offer_accept(request, company, pk: int):
    offer = selectors.offer_of_company(company=company, pk=pk)
    try:
        job = services.offer_accept(offer_id=offer.pk, company=company, actor=request.user)
    except (OfferTaken, OfferExpired) as exc:
        offer.refresh_from_db()
        if offer.status == Offer.Status.EXPIRED:
            # The expiry worker got there first; "taken or withdrawn" would mislead.
            messages.error(request, _("Too late: the offer expired at %(at)s.")
                           % {"at": timezone.localtime(offer.expires_at).strftime("%H:%M:%S")})
        else:
            messages.error(request, exc.message)
        return redirect("company-offers")
    messages.success(request, _("You accepted request #%(id)s (%(item)s). The resident's phone: %(phone)s.")
                     % {"id": job.pk, "item": job.product.title, "phone": job.contact_phone})
    return redirect("company-job-detail", pk=job.pk)


@require_POST
@company_page
def company_offer_decline(request, company, pk: int):
    offer = selectors.offer_of_company(company=company, pk=pk)
    form = _decline_form(offer.pk, request.POST)
    if form.is_valid():
        try:
            services.offer_decline(offer_id=offer.pk, company=company, actor=request.user, reason=form.cleaned_data["reason"])
        except DispatchInvalid as exc:
            form.add_error("reason", exc.message)
        except OfferTaken as exc:
            messages.error(request, exc.message)
            return redirect("company-offers")
        else:
            messages.success(request, _("You declined request #%(id)s; it goes to the next company.") % {"id": offer.request_id})
            return redirect("company-offers")
    return _render_inbox(request, company, failed={offer.pk: form})


# --- jobs ---------------------------------------------------------------------------------------


@require_GET
@company_page
def company_jobs(request, company):
    """My jobs by stage, each with its next action; then the most recently completed."""
    now = timezone.now()
    active = _job_rows(
        selectors.jobs_of_company(company=company, statuses=ACTIVE_JOB_STATUSES)
        .select_related("region__parent__parent").prefetch_related("product__categories"),
        company=company, now=now,
    )
    groups = [
        (status, R(status).label, [row for row in active if row.job.status == status]) for status in ACTIVE_JOB_STATUSES
    ]
    completed = _job_rows(
        selectors.jobs_of_company(company=company, statuses=[R.COMPLETED, R.CLOSED])
        .prefetch_related("product__categories").order_by("-completed_at", "-pk")[:RECENT_COMPLETED_SHOWN],
        company=company, now=now,
    )
    return render(request, "matching/company_jobs.html", {
        "company": company, "groups": groups, "completed": completed, "back_url": reverse("company-jobs"),
    })


def _render_job_detail(request, company, job: ServiceRequest, *, complete_form: JobCompleteForm | None = None):
    now = timezone.now()
    forms = {job.pk: complete_form} if complete_form is not None else None
    row = _job_rows([job], company=company, now=now, forms=forms)[0]
    return render(request, "matching/company_job_detail.html", {
        "company": company, "row": row, "job": job, "status_changes": job.status_changes.all(),
        # Also after a refused completion (rendered at the POST's URL): actions come back here.
        "back_url": reverse("company-job-detail", args=[job.pk]),
    })


@require_GET
@company_page
def company_job_detail(request, company, pk: int):
    """One job in full, with its status history; another company's job answers 404."""
    return _render_job_detail(request, company, selectors.job_of_company(company=company, pk=pk))


def _job_move(service, done_message):
    @require_POST
    @company_page
    def view(request, company, pk: int):
        job = selectors.job_of_company(company=company, pk=pk)
        try:
            service(request=job, company=company, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done_message % {"id": job.pk})
        return _back_to(request, "company-jobs")

    return view


company_job_set_off = _job_move(request_services.job_set_off, gettext_lazy("Request #%(id)s: on the way."))
company_job_arrive = _job_move(request_services.job_arrive, gettext_lazy("Request #%(id)s: arrived, service started."))


@require_POST
@company_page
def company_job_complete(request, company, pk: int):
    """Record the work as done with its final price (at most quantity × the contracted price)."""
    job = selectors.job_of_company(company=company, pk=pk)
    form = JobCompleteForm(request.POST, prefix=f"job{job.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            request_services.job_complete(request=job, company=company, actor=request.user, final_price=data["final_price"],
                                          quantity=data["quantity"], note=data["note"])
        except DomainError as exc:
            form.add_error(_COMPLETE_ERROR_FIELDS.get(exc.code), exc.message)
        else:
            job.refresh_from_db()
            messages.success(request, _("Request #%(id)s completed at ¥%(price)s.")
                             % {"id": job.pk, "price": f"{job.final_price:.2f}"})
            return _back_to(request, "company-jobs")
    return _render_job_detail(request, company, selectors.job_of_company(company=company, pk=pk), complete_form=form)


# --- calendar and history -----------------------------------------------------------------------


@require_GET
@company_page
def company_calendar(request, company):
    """Scheduled visits (a time window was chosen) for two weeks from ``?start=YYYY-MM-DD`` (today)."""
    today = timezone.localdate()
    start = today
    if request.GET.get("start"):
        try:
            start = datetime.date.fromisoformat(request.GET["start"])
        except ValueError:
            messages.error(request, _("“%(start)s” is not a date (YYYY-MM-DD); showing the weeks from today.")
                           % {"start": request.GET["start"]})
    days = [start + datetime.timedelta(days=n) for n in range(CALENDAR_DAYS)]
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    end = begin + datetime.timedelta(days=CALENDAR_DAYS)
    jobs = (
        selectors.jobs_of_company(company=company)
        .filter(window_start__gte=begin, window_start__lt=end)
        .exclude(status=R.CANCELLED)
        .prefetch_related("product__categories")
        .order_by("window_start", "pk")
    )
    rows = _job_rows(jobs, company=company, now=timezone.now())
    by_day = {day: [] for day in days}
    for row in rows:
        by_day[timezone.localtime(row.job.window_start).date()].append(row)
    return render(request, "matching/company_calendar.html", {
        "company": company, "days": list(by_day.items()), "today": today, "start": start,
        "previous_start": start - datetime.timedelta(days=CALENDAR_DAYS),
        "next_start": start + datetime.timedelta(days=CALENDAR_DAYS),
        "last_day": days[-1],
    })


class _MergedHistory:
    """Finished jobs and refused offers as one newest-first list, for the paginator. A page needs at
    most ``stop`` rows of each kind, so only those are fetched (never the whole history)."""

    def __init__(self, jobs, offers):
        self.jobs, self.offers = jobs, offers

    def count(self) -> int:
        return self.jobs.count() + self.offers.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = [("job", job.ended_at, job) for job in self.jobs[:stop]]
        rows += [("offer", offer.ended_at, offer) for offer in self.offers[:stop]]
        rows.sort(key=lambda row: row[1], reverse=True)
        return rows[start:stop]


@require_GET
@company_page
def company_history(request, company):
    """Completed, closed and cancelled jobs, and offers my company declined or let expire."""
    now = timezone.now()
    jobs = (
        selectors.jobs_of_company(company=company, statuses=[R.COMPLETED, R.CLOSED, R.CANCELLED])
        .annotate(ended_at=Max("status_changes__changed_at"))
        .order_by("-ended_at", "-pk")
    )
    # An open offer past its deadline is expired even before the expiry worker has marked it.
    offers = (
        Offer.objects.filter(company=company)
        .filter(Q(status__in=[Offer.Status.DECLINED, Offer.Status.EXPIRED]) | Q(status=Offer.Status.PENDING, expires_at__lte=now))
        .select_related("request__product", "request__region")
        .annotate(ended_at=Coalesce("responded_at", "expires_at"))
        .order_by("-ended_at", "-pk")
    )
    page = Paginator(_MergedHistory(jobs, offers), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = []
    for kind, ended_at, obj in page.object_list:
        if kind == "job":
            visible = selectors.can_see_contact(request=obj, company=company)
            phone = obj.contact_phone if visible else selectors.mask_phone(obj.contact_phone)
            entries.append({"kind": kind, "ended_at": ended_at, "job": obj, "phone": phone})
        else:
            entries.append({"kind": kind, "ended_at": ended_at, "offer": obj, "region": region_label(obj.request.region),
                            "expired": obj.status != Offer.Status.DECLINED})
    return render(request, "matching/company_history.html", {"company": company, "page": page, "entries": entries})
