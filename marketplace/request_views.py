"""Web pages about service requests: residents raise and follow their own; centre agents take hotline
calls, work one request with the centre's verbs (即办 handle at once, 转办 transfer, dispatch by hand,
restart matching, a unit's report) and supervise (督办) what is escalated or overdue.

Views stay thin: they check the role, read through marketplace.selectors_requests, and hand every write
to marketplace.services / matching.services, showing a refusal on the form or as an error message
(nothing changes). The responsible agent (首问负责) shows on every page about a request.
"""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace import selectors_catalogue, services
from marketplace import selectors_requests as selectors
from marketplace.errors import DomainError
from marketplace.models import RequestStatus, ServiceRequest
from marketplace.request_forms import (
    CancelForm,
    CentreRequestFilterForm,
    DispatchForm,
    HandleAtOnceForm,
    HotlineForm,
    ResidentRequestForm,
    RestartMatchingForm,
    TransferForm,
    UnitReportForm,
)
from marketplace.roles import Role, role_required
from matching import services as matching_services

PAGE_SIZE = 50
CENTRE_ROLES = (Role.CENTRE_AGENT, Role.ADMINISTRATOR)


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _answer_rows(service_request) -> list[tuple[str, str]]:
    """The resident's answers to the item's booking questions, as (question, answer) in question order."""
    answers = service_request.answers or {}
    names = {q.code: q.name for q in selectors_catalogue.catalogue_item_questions(product=service_request.product)}
    rows = []
    for code in [c for c in names if c in answers] + [c for c in answers if c not in names]:
        value = answers[code]
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value)
        rows.append((names.get(code, code), str(value)))
    return rows


def _overdue_rows(requests, now):
    """Each request with the deadline it has missed ("response" / "completion" / None)."""
    return [(r, selectors.request_overdue_kind(request=r, now=now)) for r in requests]


# --- residents -------------------------------------------------------------------------------------


def _item_from_query(request):
    raw = request.GET.get("item", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise Http404
    item = selectors_catalogue.catalogue_item_get(pk=int(raw))
    if item is None:
        raise Http404
    return item


@role_required(Role.RESIDENT)
def request_new(request):
    """Raise a request for one catalogue item (?item=<id>), answering the item's booking questions."""
    item = _item_from_query(request)
    questions = list(selectors_catalogue.catalogue_item_questions(product=item))
    if request.method == "POST":
        form = ResidentRequestForm(request.POST, questions=questions)
    else:
        form = ResidentRequestForm(
            questions=questions, initial={"contact_phone": request.user.phone or "", "idempotency_key": uuid.uuid4().hex}
        )
    if request.method == "POST" and form.is_valid():
        try:
            service_request, created = services.request_create(
                resident=request.user, created_by=request.user, product=item, channel=ServiceRequest.Channel.WEB,
                contact_phone=form.cleaned_data["contact_phone"], **form.request_fields(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if created:
                messages.success(request, _("Your request #%(number)s was received.") % {"number": service_request.pk})
            else:
                messages.info(request, _("This form was already sent: here is request #%(number)s.") % {"number": service_request.pk})
            return redirect("request-detail", pk=service_request.pk)
    return render(request, "marketplace/request_new.html", {"item": item, "form": form})


@role_required(Role.RESIDENT)
def request_list(request):
    now = timezone.now()
    page = _page(request, selectors.requests_of_resident(user=request.user))
    return render(request, "marketplace/request_list.html", {"page": page, "rows": _overdue_rows(page, now)})


@role_required(Role.RESIDENT)
def request_detail(request, pk: int):
    """One of my requests; anyone else's answers 404. POST cancels it, with a reason."""
    service_request = selectors.request_of_resident(user=request.user, pk=pk)
    cancel_form = CancelForm(request.POST or None, prefix="cancel")
    if request.method == "POST":
        if request.POST.get("action") != "cancel":
            return HttpResponseBadRequest(_("Unknown action."))
        if cancel_form.is_valid():
            try:
                services.request_cancel(request=service_request, actor=request.user, reason=cancel_form.cleaned_data["reason"])
            except DomainError as exc:
                cancel_form.add_error("reason", str(exc.message))
                messages.error(request, _("Nothing was changed: %(why)s") % {"why": exc.message})
                service_request = selectors.request_of_resident(user=request.user, pk=pk)
            else:
                messages.success(request, _("Request #%(number)s was cancelled.") % {"number": service_request.pk})
                return redirect("request-detail", pk=service_request.pk)
    now = timezone.now()
    company = service_request.company if service_request.company_id and service_request.accepted_at else None
    return render(request, "marketplace/request_detail.html", {
        "service_request": service_request,
        "status_changes": service_request.status_changes.all(),
        "answers": _answer_rows(service_request),
        "overdue_kind": selectors.request_overdue_kind(request=service_request, now=now),
        "company": company,
        "company_rating": selectors.company_average_rating(company=company) if company else None,
        "cancellable": service_request.status in services.CANCELLABLE,
        "cancel_form": cancel_form,
    })


# --- the centre: hotline ---------------------------------------------------------------------------


@role_required(*CENTRE_ROLES)
def centre_hotline(request):
    """Enter a call: the caller's phone finds the resident (or makes one) and the agent owns the request."""
    if request.method == "POST":
        form = HotlineForm(request.POST)
    else:
        form = HotlineForm(initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One unit of work: a refused request must not leave a new resident behind.
            with transaction.atomic():
                resident = services.resident_for_phone(phone=data["phone"], name=data["name"])
                service_request, created = services.request_create(
                    resident=resident, created_by=request.user, owner=request.user, product=data["item"],
                    channel=ServiceRequest.Channel.HOTLINE, contact_phone=data["phone"], **form.request_fields(),
                )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if created:
                messages.success(request, _("Request #%(number)s was raised; you are its responsible agent.")
                                 % {"number": service_request.pk})
            else:
                messages.info(request, _("This call was already entered as request #%(number)s.") % {"number": service_request.pk})
            return redirect("centre-request-detail", pk=service_request.pk)
    return render(request, "marketplace/centre_hotline.html", {"form": form})


# --- the centre: one request and its verbs ---------------------------------------------------------

R = RequestStatus

# The verbs an agent may use on a request, each with its form and the service call. Which verbs a
# status allows is read from the services' lifecycle table, so the page offers only moves it permits.
VERBS = {
    "handle": (HandleAtOnceForm, gettext_lazy("Handle at once (即办)")),
    "transfer": (TransferForm, gettext_lazy("Transfer to a linked unit (转办)")),
    "dispatch": (DispatchForm, gettext_lazy("Dispatch by hand to a company")),
    "restart": (RestartMatchingForm, gettext_lazy("Restart matching")),
    "unit_report": (UnitReportForm, gettext_lazy("Record the unit's report")),
}


def _verbs_available(service_request) -> list[str]:
    status = service_request.status
    verbs = []
    if (status, R.HANDLED_AT_ONCE) in services.TRANSITIONS:
        verbs.append("handle")
    if (status, R.TRANSFERRED) in services.TRANSITIONS:
        verbs.append("transfer")
    if (status, R.OFFERED) in services.TRANSITIONS:
        verbs.append("dispatch")
    # Sending back to the matcher is the agent's move for a request waiting on the centre; from
    # "offered" or a company's job the same table move is the matcher's own cascade, not a verb.
    if status in (R.SUBMITTED, R.ESCALATED):
        verbs.append("restart")
    if status == R.TRANSFERRED and service_request.linked_unit_id:
        verbs.append("unit_report")
    return verbs


def _run_verb(verb: str, *, service_request, agent, data: dict) -> str:
    """Call the verb's service; return the success message. Refusals raise DomainError."""
    number = {"number": service_request.pk}
    if verb == "handle":
        services.request_handle_at_once(request=service_request, agent=agent, resolution=data["resolution"])
        return _("Request #%(number)s was answered and closed.") % number
    if verb == "transfer":
        unit = data["unit"]
        services.request_transfer_to_unit(request=service_request, agent=agent, unit=unit, reason=data["reason"])
        return _("Request #%(number)s was transferred to %(unit)s; duty contact %(name)s, %(phone)s.") % {
            **number, "unit": unit.name, "name": unit.duty_contact_name, "phone": unit.duty_contact_phone}
    if verb == "dispatch":
        company = data["company"]
        matching_services.request_dispatch_by_hand(request=service_request, agent=agent, company=company, reason=data["reason"])
        return _("Request #%(number)s was offered to %(company)s.") % {**number, "company": company.legal_name}
    if verb == "restart":
        services.request_restart_matching(request=service_request, agent=agent, reason=data["reason"])
        return _("Request #%(number)s went back to the matcher.") % number
    services.request_unit_report(request=service_request, actor=agent, result=data["result"])
    return _("The unit's report was recorded; request #%(number)s is closed.") % number


# The parts of a candidate's score (matching.engine); an unknown part shows under its own key.
SCORE_PART_LABELS = {
    "distance": gettext_lazy("distance"),
    "rating": gettext_lazy("rating"),
    "acceptance": gettext_lazy("acceptance"),
    "load": gettext_lazy("load"),
    "fairness": gettext_lazy("fairness"),
}


def _match_tables(matches) -> list[dict]:
    """Each run of the matcher as a table: the candidates with every part of their score."""
    tables = []
    for match in matches:
        # Known parts in the engine's order (PostgreSQL's jsonb does not keep key order), then any others.
        part_names: list[str] = list(SCORE_PART_LABELS)
        for candidate in match.candidates:
            part_names += [name for name in candidate.get("parts", {}) if name not in part_names]
        rows = [
            {**candidate, "part_values": [candidate.get("parts", {}).get(name) for name in part_names]}
            for candidate in match.candidates
        ]
        tables.append({"match": match, "part_names": part_names, "rows": rows,
                       "part_labels": [SCORE_PART_LABELS.get(name, name) for name in part_names]})
    return tables


@role_required(*CENTRE_ROLES)
def centre_request_detail(request, pk: int):
    service_request = selectors.request_for_centre(pk=pk)
    available = _verbs_available(service_request)
    posted = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and posted not in VERBS:
        return HttpResponseBadRequest(_("Unknown action."))
    forms = {verb: VERBS[verb][0](request.POST if verb == posted else None, prefix=verb) for verb in available}

    if posted is not None:
        if posted not in available:
            messages.error(request, _("Nothing was changed: this step is not possible while the request is “%(status)s”.")
                           % {"status": service_request.get_status_display()})
        elif forms[posted].is_valid():
            try:
                message = _run_verb(posted, service_request=service_request, agent=request.user, data=forms[posted].cleaned_data)
            except DomainError as exc:
                messages.error(request, _("Nothing was changed: %(why)s") % {"why": exc.message})
                # A refused service may have updated the object in memory before its transaction rolled back.
                service_request = selectors.request_for_centre(pk=pk)
            else:
                messages.success(request, message)
                return redirect("centre-request-detail", pk=pk)

    now = timezone.now()
    return render(request, "marketplace/centre_request_detail.html", {
        "service_request": service_request,
        "status_changes": service_request.status_changes.all(),
        "answers": _answer_rows(service_request),
        "overdue_kind": selectors.request_overdue_kind(request=service_request, now=now),
        "company_rating": selectors.company_average_rating(company=service_request.company)
        if service_request.company_id else None,
        "match_tables": _match_tables(service_request.matches.all()),
        "offers": service_request.offers.all(),
        "verbs": [{"name": verb, "label": VERBS[verb][1], "form": forms[verb]} for verb in available],
    })


# --- the centre: lists -----------------------------------------------------------------------------


def _centre_requests(*, status: str, query: str):
    """All requests for the centre's list, filtered by status and by a phone number or request number.

    A private read: marketplace.selectors_requests has no list-with-search for the centre yet."""
    requests = ServiceRequest.objects.select_related("product", "region", "owner", "company", "resident").order_by(
        "-created_at", "-pk"
    )
    if status:
        requests = requests.filter(status=status)
    query = query.replace(" ", "").replace("-", "")
    if query:
        number_only = query.startswith("#")
        digits = query.lstrip("#+")
        if not digits.isdigit():
            return requests.none()
        match = Q(pk=int(digits)) if len(digits) <= 9 else Q(pk__in=[])
        if not number_only and len(digits) >= 3:
            match |= Q(contact_phone__contains=digits) | Q(resident__phone__contains=digits)
        requests = requests.filter(match)
    return requests


@role_required(*CENTRE_ROLES)
def centre_request_list(request):
    form = CentreRequestFilterForm(request.GET or None)
    status = query = ""
    if form.is_bound and form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"].strip()
    now = timezone.now()
    page = _page(request, _centre_requests(status=status, query=query))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "marketplace/centre_request_list.html", {
        "form": form, "page": page, "rows": _overdue_rows(page, now), "filtered": bool(status or query),
        "filter_query": filters.urlencode(),
    })


@role_required(*CENTRE_ROLES)
def centre_supervise(request):
    """督办: escalated requests and open requests past a deadline, oldest first, with how late they are."""
    now = timezone.now()
    page = _page(request, selectors.supervise_queue(now=now))
    rows = []
    for service_request in page:
        kind = selectors.request_overdue_kind(request=service_request, now=now)
        due = {"response": service_request.response_due_at, "completion": service_request.completion_due_at}.get(kind)
        rows.append({"request": service_request, "overdue_kind": kind, "overdue_by": timesince(due, now) if due else ""})
    return render(request, "marketplace/centre_supervise.html", {"rows": rows, "page": page, "now": now})
