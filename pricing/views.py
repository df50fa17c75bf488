"""Price pages. The published guide-price list (市场收费指导价) and its downloads are public: the
government publishes the prices so residents can hold companies to them, so those views check no role."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.catalogue_views import category_choices, search_filters
from marketplace.errors import DomainError
from marketplace.roles import Role, role_required
from pricing import exports, selectors, services
from pricing.forms import PriceChangeDecisionForm
from pricing.models import PriceChangeRequest

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guide_price_list(request):
    query, category_id = search_filters(request)
    rows = exports.guide_price_rows(selectors.published_guide_price_list(query=query, category_id=category_id))
    return render(
        request,
        "pricing/guide_price_list.html",
        {
            "query": query,
            "category_id": category_id,
            "category_choices": category_choices(),
            "rows": rows,
            "filtered": bool(query or category_id is not None),
            "download_query": _download_query(query, category_id),
        },
    )


def guide_price_export_csv(request):
    query, category_id = search_filters(request)
    rows = exports.guide_price_rows(selectors.published_guide_price_list(query=query, category_id=category_id))
    response = HttpResponse(exports.guide_prices_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    return response


def guide_price_export_xlsx(request):
    query, category_id = search_filters(request)
    rows = exports.guide_price_rows(selectors.published_guide_price_list(query=query, category_id=category_id))
    response = HttpResponse(exports.guide_prices_xlsx(rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name("xlsx")}"'
    return response


def _download_query(query: str, category_id: int | None) -> str:
    """The page's filters as a query string for the download links ("" when there are none)."""
    params = {"q": query} if query else {}
    if category_id is not None:
        params["category"] = category_id
    return f"?{urlencode(params)}" if params else ""


def _file_name(extension: str) -> str:
    return f"guide-prices-{timezone.localdate().isoformat()}.{extension}"


# --- price-change requests: the centre decides them (administrators only) ------------------------


@role_required(Role.ADMINISTRATOR)
def price_change_list(request):
    """Administrators' queue of price-change requests: pending ones first, each beside the guide price."""
    change_requests = (
        PriceChangeRequest.objects.select_related(
            "stockrecord__product", "stockrecord__partner__company__base_region", "requested_by", "decided_by"
        )
        .annotate(
            waiting=Case(When(status=PriceChangeRequest.Status.PENDING, then=Value(0)), default=Value(1))
        )
        .order_by("waiting", "-requested_at", "-pk")
    )
    rows = []
    for change in change_requests:
        company = getattr(change.stockrecord.partner, "company", None)
        guide = selectors.guide_price_for(
            product_id=change.stockrecord.product_id, region=company.base_region if company else None
        )
        rows.append({"change": change, "company": company, "guide": guide})
    return render(request, "pricing/price_change_list.html", {"rows": rows})


@role_required(Role.ADMINISTRATOR)
@require_POST
def price_change_decide(request, pk):
    """Approve (the new price takes effect, with the decision's reason in the price history) or reject."""
    change_request = get_object_or_404(PriceChangeRequest, pk=pk)
    form = PriceChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject the request."))
        return redirect("centre-price-change-list")
    decide = (
        services.price_change_request_approve
        if form.cleaned_data["decision"] == PriceChangeDecisionForm.APPROVE
        else services.price_change_request_reject
    )
    try:
        decided = decide(change_request=change_request, actor=request.user, reason=form.cleaned_data["reason"])
    except (DomainError, ValidationError) as exc:
        why = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
        messages.error(request, _("Nothing was changed: %(why)s") % {"why": why})
    else:
        messages.success(
            request,
            _("Request #%(id)s for “%(item)s” was %(status)s.")
            % {"id": decided.pk, "item": decided.stockrecord.product.title, "status": decided.get_status_display()},
        )
    return redirect("centre-price-change-list")
