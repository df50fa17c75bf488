"""Web pages for companies (apply, follow the status, manage prices) and for the centre (admission).

Views stay thin: they check the role, read through selectors, and hand every write to
providers.services / pricing.services, showing a refusal as a form error or an error message.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.errors import DomainError
from marketplace.roles import Role, has_role, role_required
from pricing import services as pricing_services
from pricing.forms import ContractPriceForm, PriceChangeRequestForm
from pricing.models import PriceChangeRequest
from pricing.selectors import contract_prices_of, guide_price_for
from providers import services
from providers.forms import AgreementForm, CompanyApplicationForm
from providers.models import Company, CompanyStatus
from providers.selectors import agreement_in_force, companies_of_user

Product = get_model("catalogue", "Product")

# The moves that sign an agreement (approved → contracted, expired → contracted): the page asks for
# the agreement's fields and the move goes through company_contract. One source: the services table.
MOVES_NEEDING_AGREEMENT = services.SIGNS_AGREEMENT

# Which form field a pricing refusal belongs on (by error code); anything else goes on the price.
_PRICE_ERROR_FIELDS = {
    "no_guide_price": "product",
    "reason_missing": "reason",
    "already_pending": None,
}


# --- companies --------------------------------------------------------------------------------


@login_required
def company_apply_view(request):
    """Any signed-in person may apply for a company (自愿申报); they become its first staff user."""
    mine = companies_of_user(user=request.user).first()
    if mine is not None:
        messages.info(request, _("You already work for %(company)s; here is its portal.") % {"company": mine})
        return redirect("company-portal")
    form = CompanyApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_apply(
                applicant=request.user,
                fields=form.application_fields(),
                categories=form.cleaned_data["categories"],
                service_regions=form.cleaned_data["service_regions"],
            )
        except ValidationError as exc:
            _add_validation_error(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Thank you: the application of %(company)s was received. The centre will inspect it and "
                  "tell you here.") % {"company": company},
            )
            return redirect("company-portal")
    return render(request, "providers/company_apply.html", {"form": form})


@role_required(Role.COMPANY_STAFF)
def company_portal(request):
    """A company's own page: status and history, agreement, prices and price-change requests."""
    company = companies_of_user(user=request.user).select_related("partner", "base_region").first()
    if company is None:
        return render(request, "providers/company_portal.html", {"company": None})

    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and action not in ("set_price", "request_change"):
        return HttpResponseBadRequest(_("Unknown action."))
    stockrecords = contract_prices_of(partner_id=company.partner_id)
    price_form = ContractPriceForm(
        request.POST if action == "set_price" else None, products=_items_served_by(company), prefix="price"
    )
    change_form = PriceChangeRequestForm(
        request.POST if action == "request_change" else None, stockrecords=stockrecords, prefix="change"
    )

    if action == "set_price" and price_form.is_valid():
        data = price_form.cleaned_data
        try:
            record = pricing_services.contract_price_set(
                partner=company.partner,
                product=data["product"],
                price=data["price"],
                actor=request.user,
                reason=data["reason"] or _("set by the company in its portal"),
            )
        except (DomainError, ValidationError) as exc:
            _add_pricing_error(price_form, exc, price_field="price")
        else:
            messages.success(
                request,
                _("The contracted price of “%(item)s” is now ¥%(price)s.")
                % {"item": record.product.title, "price": f"{record.price:.2f}"},
            )
            return redirect("company-portal")

    if action == "request_change" and change_form.is_valid():
        data = change_form.cleaned_data
        try:
            pricing_services.price_change_request_file(
                stockrecord=data["stockrecord"],
                requested_price=data["requested_price"],
                reason=data["reason"],
                actor=request.user,
            )
        except (DomainError, ValidationError) as exc:
            _add_pricing_error(change_form, exc, price_field="requested_price")
        else:
            messages.success(request, _("Your price-change request was sent to the centre for a decision."))
            return redirect("company-portal")

    change_requests = (
        PriceChangeRequest.objects.filter(stockrecord__partner=company.partner)
        .select_related("stockrecord__product")
        .order_by("-requested_at", "-pk")
    )
    context = {
        **_company_profile(company),
        "price_form": price_form,
        "change_form": change_form,
        "change_requests": change_requests,
    }
    return render(request, "providers/company_portal.html", context)


# --- the centre -------------------------------------------------------------------------------


@role_required(Role.ADMINISTRATOR, Role.CENTRE_AGENT)
def centre_company_list(request):
    status = request.GET.get("status", "")
    companies = Company.objects.select_related("base_region").prefetch_related("categories").order_by(
        "legal_name", "pk"
    )
    if status in CompanyStatus.values:
        companies = companies.filter(status=status)
    else:
        status = ""
    counts = dict(Company.objects.order_by().values_list("status").annotate(n=Count("pk")))
    status_counts = [(value, label, counts.get(value, 0)) for value, label in CompanyStatus.choices]
    return render(
        request,
        "providers/centre_company_list.html",
        {"companies": companies, "status": status, "status_counts": status_counts, "total": sum(counts.values())},
    )


@role_required(Role.ADMINISTRATOR, Role.CENTRE_AGENT)
def centre_company_detail(request, pk):
    """The full profile. Administrators move the company along the admission pipeline from here;
    centre agents may look but not act."""
    company = get_object_or_404(Company.objects.select_related("partner", "base_region"), pk=pk)
    may_decide = has_role(request.user, Role.ADMINISTRATOR)
    submitted_agreement = None
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        to_status = request.POST.get("to_status", "")
        reason = request.POST.get("reason", "")
        try:
            if (company.status, to_status) in MOVES_NEEDING_AGREEMENT:
                submitted_agreement = AgreementForm(request.POST, prefix="agreement")
                if not submitted_agreement.is_valid():
                    raise DomainError(_("Fill in every field of the agreement; see the errors below."))
                services.company_contract(
                    company=company,
                    actor=request.user,
                    agreement_fields=submitted_agreement.agreement_fields(),
                    reason=reason,
                )
            else:
                services.company_transition(company=company, to_status=to_status, actor=request.user, reason=reason)
        except (DomainError, ValidationError) as exc:
            messages.error(request, _("Nothing was changed: %(why)s") % {"why": _error_text(exc)})
            company.refresh_from_db()
        else:
            company.refresh_from_db()
            messages.success(
                request,
                _("%(company)s is now “%(status)s”.") % {"company": company, "status": company.get_status_display()},
            )
            return redirect("centre-company-detail", pk=company.pk)

    moves = []
    if may_decide:
        for to_status, label in services.allowed_moves(company=company):
            needs_agreement = (company.status, to_status) in MOVES_NEEDING_AGREEMENT
            moves.append(
                {
                    "to_status": to_status,
                    "to_label": CompanyStatus(to_status).label,
                    "label": label,
                    "needs_reason": services.TRANSITIONS[(company.status, to_status)][1],
                    "agreement_form": (submitted_agreement or AgreementForm(prefix="agreement"))
                    if needs_agreement
                    else None,
                }
            )
    context = {
        **_company_profile(company),
        "categories": company.categories.order_by("path"),
        "service_regions": company.service_regions.order_by("level", "code"),
        "staff": company.partner.users.order_by("pk"),
        "may_decide": may_decide,
        "moves": moves,
    }
    return render(request, "providers/centre_company_detail.html", context)


# --- helpers ----------------------------------------------------------------------------------


def _company_profile(company: Company) -> dict:
    """What both the company's portal and the centre show about a company."""
    today = timezone.localdate()
    price_rows = [
        {"record": record, "guide": guide_price_for(product_id=record.product_id, region=company.base_region)}
        for record in contract_prices_of(partner_id=company.partner_id)
    ]
    return {
        "company": company,
        "status_changes": company.status_changes.select_related("actor").order_by("changed_at", "pk"),
        "agreement": agreement_in_force(company=company, day=today),
        "agreements": company.agreements.order_by("-term_start"),
        "price_rows": price_rows,
        "today": today,
    }


def _items_served_by(company: Company):
    """Service items in the company's categories or their subcategories (Oscar's category tree)."""
    paths = list(company.categories.values_list("path", flat=True))
    if not paths:
        return Product.objects.none()
    in_tree = Q()
    for path in paths:
        in_tree |= Q(categories__path__startswith=path)
    return Product.objects.filter(in_tree).distinct().order_by("title")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return str(exc.message)
    return "; ".join(exc.messages)


def _add_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields where they exist, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _add_pricing_error(form, exc: Exception, *, price_field: str) -> None:
    code = getattr(exc, "code", None)
    field = _PRICE_ERROR_FIELDS.get(code, price_field) if isinstance(exc, DomainError) else None
    if field is not None and field not in form.fields:
        field = None
    form.add_error(field, _error_text(exc))
