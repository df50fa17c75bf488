"""Web pages of the quality loop: residents rate and complain; companies see their ratings and answer
complaints; agents work the call-back queue and review complaints; administrators decide removals,
reinstatements and renewals; the centre reads the monthly report; everyone sees the league table.

Views stay thin: they check the role, read through ratings.selectors and hand every write to
ratings.services, showing a refusal on the form or as a message. What is out of a person's reach
answers 404 (another resident's job, another company's complaint); a wrong role answers 403.
"""
from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.errors import DomainError
from marketplace.models import ServiceRequest
from marketplace.roles import Role, has_role, role_required
from marketplace.selectors_requests import company_of_staff
from ratings import exports, selectors, services
from ratings.forms import (
    CallBackAttemptForm,
    CentreComplaintForm,
    ComplaintDecisionForm,
    ComplaintForm,
    ComplaintResponseForm,
    RatingForm,
    ReasonForm,
    RenewalDecisionForm,
    ReportMonthForm,
)
from ratings.models import CallBack, ComplaintCategory, ComplaintStatus, Rating

CENTRE = (Role.CENTRE_AGENT, Role.ADMINISTRATOR)
REPORT_READERS = (Role.CENTRE_AGENT, Role.ADMINISTRATOR, Role.FINANCE_OFFICER)


def _refusal_on(form, exc: DomainError) -> None:
    """Put a service's refusal on the field it names (``params["field"]``), else on the form."""
    field = exc.params.get("field") if exc.params else None
    form.add_error(field if field in form.fields else None, exc.message)


def company_page(view):
    """Company staff only; the view gets the user's company (none linked: an explanation)."""

    @role_required(Role.COMPANY_STAFF)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        company = company_of_staff(user=request.user)
        if company is None:
            return render(request, "matching/no_company.html")
        return view(request, company, *args, **kwargs)

    return wrapped


# --- residents: ratings --------------------------------------------------------------------------


@require_GET
@role_required(Role.RESIDENT)
def resident_ratings(request):
    """My finished jobs to rate, my ratings (changeable for a week) and my complaints."""
    now = timezone.now()
    ratings = [
        {"rating": rating, "editable": selectors.rating_is_editable(rating=rating, now=now),
         "last_day": selectors.rating_last_edit_day(rating=rating)}
        for rating in selectors.ratings_of_resident(resident=request.user)
    ]
    return render(request, "ratings/resident_ratings.html", {
        "to_rate": selectors.jobs_to_rate(resident=request.user),
        "ratings": ratings,
        "complaints": selectors.complaints_of_resident(resident=request.user),
    })


@role_required(Role.RESIDENT)
def rating_form(request, pk: int):
    """Rate a finished job of mine, or change my rating while the week lasts."""
    job = selectors.resident_job(resident=request.user, pk=pk)
    rating = Rating.objects.filter(request=job).first()
    initial = {a: getattr(rating, a) for a in (*services.RATING_ASPECTS, "comment")} if rating else None
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if rating is None:
                services.rating_give(request=job, resident=request.user, **form.cleaned_data)
                messages.success(request, _("Thank you for rating request #%(id)s.") % {"id": job.pk})
            else:
                services.rating_edit(rating=rating, resident=request.user, **form.cleaned_data)
                messages.success(request, _("Your rating of request #%(id)s was changed.") % {"id": job.pk})
        except DomainError as exc:
            _refusal_on(form, exc)
        else:
            return redirect("ratings-mine")
    return render(request, "ratings/rating_form.html", {
        "job": job, "rating": rating, "form": form,
        "last_day": selectors.rating_last_edit_day(rating=rating) if rating else None,
        "editable": rating is None or selectors.rating_is_editable(rating=rating),
        "summary": selectors.company_rating_summary(company=job.company),
    })


# --- complaints: residents and companies ---------------------------------------------------------


@role_required(Role.RESIDENT)
def complaint_new(request, pk: int):
    """Complain about a job of mine."""
    job = selectors.resident_job(resident=request.user, pk=pk)
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_file(request=job, filed_by=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refusal_on(form, exc)
        else:
            messages.success(request, _("Your complaint #%(id)s was received; the centre will review it.") % {"id": complaint.pk})
            return redirect("ratings-complaint-detail", complaint.pk)
    return render(request, "ratings/complaint_new.html", {"job": job, "form": form})


def _complaint_for(request, pk: int):
    """The complaint as the signed-in person may see it: a resident their own, company staff their
    company's. Returns (complaint, company or None)."""
    if has_role(request.user, Role.RESIDENT):
        complaint = selectors.complaints_of_resident(resident=request.user).filter(pk=pk).first()
        if complaint is not None:
            return selectors.complaint_of_resident(resident=request.user, pk=pk), None
    if has_role(request.user, Role.COMPANY_STAFF):
        company = company_of_staff(user=request.user)
        if company is not None:
            return selectors.complaint_of_company(company=company, pk=pk), company
    raise Http404


def _complaint_context(complaint, **extra) -> dict:
    context = {
        "complaint": complaint,
        "prices": selectors.price_comparison(complaint=complaint) if complaint.category == ComplaintCategory.OVERCHARGE else None,
        "reopen_last_day": selectors.complaint_reopen_last_day(complaint=complaint),
    }
    context.update(extra)
    return context


@require_GET
@role_required(Role.RESIDENT, Role.COMPANY_STAFF)
def complaint_detail(request, pk: int):
    complaint, company = _complaint_for(request, pk)
    return render(request, "ratings/complaint_detail.html", _complaint_context(
        complaint, company=company, reopen_form=ReasonForm(), response_form=ComplaintResponseForm(
            initial={"response": complaint.company_response})))


@require_POST
@role_required(Role.RESIDENT)
def complaint_reopen(request, pk: int):
    complaint = selectors.complaint_of_resident(resident=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(complaint=complaint, resident=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _refusal_on(form, exc)
        else:
            messages.success(request, _("Complaint #%(id)s was reopened.") % {"id": complaint.pk})
            return redirect("ratings-complaint-detail", complaint.pk)
    return render(request, "ratings/complaint_detail.html", _complaint_context(
        complaint, company=None, reopen_form=form, response_form=None), status=400)


@require_POST
@company_page
def complaint_respond(request, company, pk: int):
    complaint = selectors.complaint_of_company(company=company, pk=pk)
    form = ComplaintResponseForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_respond(complaint=complaint, company=company, actor=request.user,
                                       response=form.cleaned_data["response"])
        except DomainError as exc:
            _refusal_on(form, exc)
        else:
            messages.success(request, _("Your response was sent to the centre."))
            return redirect("ratings-complaint-detail", complaint.pk)
    return render(request, "ratings/complaint_detail.html", _complaint_context(
        complaint, company=company, reopen_form=None, response_form=form), status=400)


@require_GET
@company_page
def company_ratings(request, company):
    """My company's ratings and the complaints against it."""
    return render(request, "ratings/company_ratings.html", {
        "company": company,
        "summary": selectors.company_rating_summary(company=company),
        "ratings": selectors.ratings_of_company(company=company)[:200],
        "complaints": selectors.complaints_of_company(company=company),
    })


# --- centre: call-backs --------------------------------------------------------------------------


@require_GET
@role_required(*CENTRE)
def centre_callbacks(request):
    status = request.GET.get("status") or CallBack.Status.OPEN
    if status not in CallBack.Status.values:
        status = CallBack.Status.OPEN
    return render(request, "ratings/centre_callbacks.html", {
        "callbacks": selectors.callback_queue(status=status)[:200], "status": status, "statuses": CallBack.Status.choices,
    })


@role_required(*CENTRE)
def centre_callback_detail(request, pk: int):
    """One call-back: the request, the calls so far, and the form to record the next call."""
    callback = selectors.callback_for_centre(pk=pk)
    form = CallBackAttemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            callback = services.callback_attempt_record(callback=callback, agent=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refusal_on(form, exc)
        else:
            if callback.is_open:
                messages.info(request, _("Call recorded; the call-back stays in the queue."))
                return redirect("centre-callback-detail", callback.pk)
            messages.success(request, _("Call-back #%(id)s closed: %(status)s.") % {"id": callback.pk,
                                                                                    "status": callback.get_status_display()})
            return redirect("centre-callbacks")
    return render(request, "ratings/centre_callback_detail.html", {"callback": callback, "form": form})


# --- centre: complaints --------------------------------------------------------------------------


@require_GET
@role_required(*CENTRE)
def centre_complaints(request):
    status = request.GET.get("status") or ""
    if status and status not in ComplaintStatus.values:
        status = ""
    return render(request, "ratings/centre_complaints.html", {
        "complaints": selectors.complaints_for_centre(status=status or None)[:200],
        "status": status, "statuses": ComplaintStatus.choices,
    })


@role_required(*CENTRE)
def centre_complaint_new(request):
    """An agent enters a complaint taken on the phone (the request is named by its number)."""
    form = CentreComplaintForm(request.POST or None, request.FILES or None, initial={"request_id": request.GET.get("request")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        job = ServiceRequest.objects.filter(pk=data.pop("request_id")).first()
        if job is None:
            form.add_error("request_id", _("There is no request with this number."))
        else:
            try:
                complaint = services.complaint_file(request=job, filed_by=request.user, **data)
            except DomainError as exc:
                _refusal_on(form, exc)
            else:
                messages.success(request, _("Complaint #%(id)s was recorded.") % {"id": complaint.pk})
                return redirect("centre-complaint-detail", complaint.pk)
    return render(request, "ratings/centre_complaint_new.html", {"form": form})


def _centre_complaint_page(request, complaint, *, decision_form=None, status=200):
    return render(request, "ratings/centre_complaint_detail.html", _complaint_context(
        complaint, decision_form=decision_form or ComplaintDecisionForm(),
        upheld_in_term=selectors.upheld_complaints_in_term(agreement=complaint.counted_agreement).count()
        if complaint.counted_agreement_id else None,
    ), status=status)


@require_GET
@role_required(*CENTRE)
def centre_complaint_detail(request, pk: int):
    return _centre_complaint_page(request, selectors.complaint_for_centre(pk=pk))


@require_POST
@role_required(*CENTRE)
def centre_complaint_review(request, pk: int):
    complaint = selectors.complaint_for_centre(pk=pk)
    try:
        services.complaint_review_start(complaint=complaint, agent=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("centre-complaint-detail", complaint.pk)


@require_POST
@role_required(*CENTRE)
def centre_complaint_decide(request, pk: int):
    complaint = selectors.complaint_for_centre(pk=pk)
    form = ComplaintDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_decide(complaint=complaint, agent=request.user,
                                      upheld=form.cleaned_data["decision"] == "upheld", reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _refusal_on(form, exc)
        else:
            complaint.refresh_from_db()
            messages.success(request, _("Complaint #%(id)s: %(status)s.") % {"id": complaint.pk,
                                                                            "status": complaint.get_status_display()})
            if complaint.company.status == "removed":
                messages.warning(request, _("%(company)s has been removed (解约).") % {"company": complaint.company.legal_name})
            return redirect("centre-complaint-detail", complaint.pk)
    return _centre_complaint_page(request, selectors.complaint_for_centre(pk=pk), decision_form=form, status=400)


# --- centre: removals and reinstatement ----------------------------------------------------------


@require_GET
@role_required(*CENTRE)
def centre_removals(request):
    return render(request, "ratings/centre_removals.html", {"removals": selectors.removals_list(), "form": ReasonForm()})


@require_POST
@role_required(Role.ADMINISTRATOR)
def centre_removal_reinstate(request, pk: int):
    removal = selectors.removal_for_centre(pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.company_reinstate(removal=removal, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(company)s was reinstated.") % {"company": removal.company.legal_name})
    return redirect("centre-removals")


# --- centre: renewals ----------------------------------------------------------------------------


@require_GET
@role_required(*CENTRE)
def centre_renewals(request):
    return render(request, "ratings/centre_renewals.html", {
        "reviews": selectors.renewal_list(), "form": RenewalDecisionForm(),
        "can_decide": has_role(request.user, Role.ADMINISTRATOR),
    })


@require_POST
@role_required(Role.ADMINISTRATOR)
def centre_renewal_decide(request, pk: int):
    review = selectors.renewal_for_centre(pk=pk)
    form = RenewalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose renew or do not renew, and give the reason."))
        return redirect("centre-renewals")
    try:
        services.renewal_decide(review=review, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded for %(company)s.") % {"company": review.company.legal_name})
    return redirect("centre-renewals")


# --- centre: monthly report ----------------------------------------------------------------------


def _month(year: int, month: int) -> datetime.date:
    try:
        return datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None


@require_GET
@role_required(*REPORT_READERS)
def centre_reports(request):
    last_month = selectors.previous_month(today=timezone.localdate())
    return render(request, "ratings/centre_reports.html", {
        "months": selectors.report_months(), "form": ReportMonthForm(initial={"month": last_month}),
        "can_generate": has_role(request.user, *CENTRE),
    })


@require_POST
@role_required(*CENTRE)
def centre_report_generate(request):
    form = ReportMonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the month as YYYY-MM."))
        return redirect("centre-reports")
    month = form.cleaned_data["month"]
    try:
        services.monthly_report_generate(month=month)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("centre-reports")
    messages.success(request, _("The report of %(month)s was generated.") % {"month": month.strftime("%Y-%m")})
    return redirect("centre-report-month", month.year, month.month)


@require_GET
@role_required(*REPORT_READERS)
def centre_report_month(request, year: int, month: int):
    first = _month(year, month)
    rows = selectors.report_rows(month=first)
    if not rows["companies"] and not rows["units"]:
        raise Http404
    return render(request, "ratings/centre_report_month.html", {"month": first, **rows})


@require_GET
@role_required(*REPORT_READERS)
def centre_report_excel(request, year: int, month: int):
    first = _month(year, month)
    if not selectors.report_rows(month=first)["companies"] and not selectors.report_rows(month=first)["units"]:
        raise Http404
    response = HttpResponse(
        exports.monthly_report_workbook(month=first),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="monthly-report-{first:%Y-%m}.xlsx"'
    return response


# --- public --------------------------------------------------------------------------------------


@require_GET
def league(request):
    """The public league table of contracted companies (public supervision)."""
    today = timezone.localdate()
    return render(request, "ratings/league.html", {"rows": selectors.league_table(today=today), "year": today.year})
