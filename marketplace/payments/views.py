"""Payment pages: the resident pays a completed job; the company sees its job's payment and records cash;
the centre sees every job's payment, confirms cash at the call-back and (administrators) refunds; finance
officers read the daily reconciliation. Also the two provider notification endpoints.

Views stay thin: they check the role, read through selectors and hand every write to the services,
showing a refusal as a message or a form error (nothing changes).
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplace import selectors_requests
from marketplace.errors import DomainError
from marketplace.payments import selectors, services
from marketplace.payments.errors import GatewayError, NotificationRejected
from marketplace.payments.forms import (
    CashConfirmForm,
    CashDisputeForm,
    CashRecordForm,
    FlagResolveForm,
    ReconciliationRunForm,
    RefundForm,
)
from marketplace.payments.models import (
    Payment,
    PaymentMethod,
    PaymentStatus,
    Provider,
    ReconciliationRun,
)
from marketplace.payments.providers import (
    enabled_methods,
    enabled_providers,
    gateway_for,
)
from marketplace.roles import Role, has_role, role_required

logger = logging.getLogger("marketplace.payments")
security_logger = logging.getLogger("marketplace.payments.security")

CENTRE_ROLES = (Role.CENTRE_AGENT, Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
FINANCE_ROLES = (Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
PAGE_SIZE = 50


def _qr_svg(text: str) -> str | None:
    """The code_url as an inline SVG QR code (the ``qrcode`` package, already installed with allauth)."""
    try:
        import qrcode
        import qrcode.image.svg
    except ImportError:
        return None
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # generated markup, no user text in it


def _client_view(payment: Payment | None) -> dict:
    """What the page needs to let the resident pay the open payment."""
    if payment is None or payment.provider == Provider.CASH or payment.status != PaymentStatus.PENDING:
        return {}
    try:
        params = gateway_for(payment.provider).client_params(payment)
    except GatewayError as exc:
        return {"error": exc.message}
    view = {"params": params}
    if payment.method == PaymentMethod.WECHAT_NATIVE and params.get("code_url"):
        view["qr_svg"] = _qr_svg(params["code_url"])
    return view


# --- residents ----------------------------------------------------------------------------------


@role_required(Role.RESIDENT)
def request_payment(request, pk: int):
    """Pay my completed job by an enabled method, follow the payment, confirm (or dispute) recorded cash."""
    job = selectors_requests.request_of_resident(user=request.user, pk=pk)
    dispute_form = CashDisputeForm(prefix="dispute")
    if request.method == "POST":
        action = request.POST.get("action", "")
        summary = selectors.job_payment_summary(request=job)
        try:
            if action == "start":
                if request.POST.get("method") == PaymentMethod.WECHAT_JSAPI:
                    # JSAPI pays inside WeChat (the mini program): a web page cannot call wx.requestPayment.
                    raise DomainError(_("WeChat Pay inside WeChat is for the mini program; here, scan the QR code."))
                services.payment_start(request=job, method=request.POST.get("method", ""), actor=request.user,
                                       openid=request.POST.get("openid", ""))
            elif action == "refresh" and summary.open is not None:
                payment = services.payment_refresh(payment=summary.open, actor=request.user)
                if payment.status != PaymentStatus.PAID:
                    messages.info(request, _("The provider has not received the payment yet."))
            elif action == "confirm_cash" and summary.open is not None:
                services.payment_confirm_cash(payment=summary.open, actor=request.user)
                messages.success(request, _("Thank you: the cash payment is confirmed."))
            elif action == "dispute_cash" and summary.open is not None:
                dispute_form = CashDisputeForm(request.POST, prefix="dispute")
                if not dispute_form.is_valid():
                    raise DomainError(_("Say what is wrong with the recorded cash payment."))
                services.payment_dispute_cash(payment=summary.open, actor=request.user, reason=dispute_form.cleaned_data["reason"])
                messages.info(request, _("Finance will look into the recorded cash payment."))
            elif action == "demo_card" and settings.PAYMENTS_DEMO_FAKES and summary.open is not None \
                    and summary.open.method == PaymentMethod.STRIPE_CARD:
                _demo_pay_by_card(summary.open, request.user)
            else:
                return HttpResponseBadRequest(_("Unknown action."))
        except DomainError as exc:
            messages.error(request, _("Nothing was changed: %(why)s") % {"why": exc.message})
        return redirect("payment-request", pk=job.pk)
    summary = selectors.job_payment_summary(request=job)
    methods = [m for m in enabled_methods() if m not in (PaymentMethod.CASH, PaymentMethod.WECHAT_JSAPI)]
    return render(request, "payments/request_payment.html", {
        "job": job, "summary": summary, "methods": [(m, PaymentMethod(m).label) for m in methods],
        "cash_enabled": PaymentMethod.CASH in enabled_methods(), "client": _client_view(summary.open),
        "dispute_form": dispute_form, "demo_fakes": settings.PAYMENTS_DEMO_FAKES,
        "payable": job.status in services.PAYABLE_REQUEST_STATUSES and (job.final_price or 0) > 0,
    })


def _demo_pay_by_card(payment: Payment, user) -> None:
    """Development only: play the resident's browser against localstripe with Stripe's test card (the
    fake Stripe.js cannot take a card), then check the result with Stripe as after any payment."""
    from marketplace.payments.fakes.stripe import pay_with_card

    try:
        pay_with_card(api_base=settings.STRIPE_API_BASE, secret_key=settings.STRIPE_SECRET_KEY,
                      payment_intent=payment.provider_reference)
    except Exception as exc:
        raise GatewayError(_("The local Stripe fake could not be reached: %(error)s") % {"error": exc}) from exc
    services.payment_refresh(payment=payment, actor=user)


# --- companies ----------------------------------------------------------------------------------


@role_required(Role.COMPANY_STAFF)
def company_job_payment(request, pk: int):
    """My company's job: where its payment stands; record cash or a transfer received on site."""
    company = selectors_requests.company_of_staff(user=request.user)
    if company is None:
        return render(request, "matching/no_company.html")
    job = selectors_requests.job_of_company(company=company, pk=pk)
    form = CashRecordForm(request.POST or None, initial={"amount": f"{job.final_price:.2f}" if job.final_price else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record_cash(request=job, company=company, actor=request.user,
                                         amount=form.cleaned_data["amount"], note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error("amount" if exc.code in ("invalid_amount", "cash_invalid") else None, exc.message)
        else:
            messages.success(request, _("Cash recorded; it counts as paid once the resident confirms it."))
            return redirect("payment-company-job", pk=job.pk)
    summary = selectors.job_payment_summary(request=job)
    can_record_cash = (PaymentMethod.CASH in enabled_methods() and summary.paid is None and bool(job.final_price)
                       and job.status in services.PAYABLE_REQUEST_STATUSES
                       and not (summary.open and summary.open.method == PaymentMethod.CASH))
    return render(request, "payments/company_job_payment.html", {
        "company": company, "job": job, "summary": summary, "form": form, "can_record_cash": can_record_cash,
    })


# --- the centre ---------------------------------------------------------------------------------


@require_GET
@role_required(*CENTRE_ROLES)
def centre_payments(request):
    """Every payment, newest first; ?status= and ?flagged=1 narrow it."""
    status = request.GET.get("status", "")
    status = status if status in PaymentStatus.values else ""
    flagged = request.GET.get("flagged") == "1"
    page = Paginator(selectors.payments_for_centre(status=status or None, flagged=flagged), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/centre_payments.html", {
        "page": page, "statuses": PaymentStatus.choices, "status": status, "flagged": flagged,
    })


@role_required(*CENTRE_ROLES)
def centre_request_payment(request, pk: int):
    """One job's payments, ledger and refunds. Agents confirm cash at the call-back; administrators refund."""
    job = selectors_requests.request_for_centre(pk=pk)
    summary = selectors.job_payment_summary(request=job)
    refund_form = RefundForm(initial={"payment": summary.paid.pk if summary.paid else None,
                                      "amount": f"{summary.net_paid:.2f}"})
    confirm_form = CashConfirmForm(prefix="confirm")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "refund":
            if not has_role(request.user, Role.ADMINISTRATOR):
                raise PermissionDenied
            refund_form = RefundForm(request.POST)
            if refund_form.is_valid():
                payment = get_object_or_404(Payment, pk=refund_form.cleaned_data["payment"], request=job)
                try:
                    refund = services.payment_refund(payment=payment, amount=refund_form.cleaned_data["amount"],
                                                     reason=refund_form.cleaned_data["reason"], actor=request.user)
                except DomainError as exc:
                    refund_form.add_error("amount" if exc.code in ("invalid_amount", "refund_invalid") else None, exc.message)
                else:
                    messages.success(request, _("Refund %(reference)s: %(status)s.")
                                     % {"reference": refund.reference, "status": refund.get_status_display()})
                    return redirect("payment-centre-request", pk=job.pk)
        elif action == "confirm_cash":
            if not has_role(request.user, Role.CENTRE_AGENT, Role.ADMINISTRATOR):
                raise PermissionDenied
            confirm_form = CashConfirmForm(request.POST, prefix="confirm")
            if confirm_form.is_valid() and summary.open is not None:
                try:
                    services.payment_confirm_cash(payment=summary.open, actor=request.user, note=confirm_form.cleaned_data["note"])
                except DomainError as exc:
                    messages.error(request, _("Nothing was changed: %(why)s") % {"why": exc.message})
                else:
                    messages.success(request, _("Cash payment confirmed at the call-back."))
                return redirect("payment-centre-request", pk=job.pk)
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        summary = selectors.job_payment_summary(request=job)
    return render(request, "payments/centre_request_payment.html", {
        "job": job, "summary": summary, "ledger": selectors.payment_ledger(request=job),
        "refund_form": refund_form, "confirm_form": confirm_form,
        "may_refund": has_role(request.user, Role.ADMINISTRATOR),
        "may_confirm": has_role(request.user, Role.CENTRE_AGENT, Role.ADMINISTRATOR),
    })


# --- finance: reconciliation --------------------------------------------------------------------


@role_required(*FINANCE_ROLES)
def reconciliation_list(request):
    """The daily reconciliation runs and the payments flagged for review; run a day again by hand."""
    form = ReconciliationRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["provider"] not in enabled_providers():
            form.add_error("provider", _("This provider is not enabled."))
        else:
            run = services.reconciliation_run(day=form.cleaned_data["day"], provider=form.cleaned_data["provider"],
                                              actor=request.user, force=True)
            messages.info(request, _("Reconciliation of %(day)s (%(provider)s): %(result)s.")
                          % {"day": run.day, "provider": run.get_provider_display(), "result": run.get_status_display()})
            return redirect("payment-reconciliation-detail", pk=run.pk)
    page = Paginator(selectors.reconciliation_runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/reconciliation_list.html", {
        "page": page, "form": form, "flagged": selectors.flagged_payments()[:100],
    })


@require_GET
@role_required(*FINANCE_ROLES)
def reconciliation_detail(request, pk: int):
    run = get_object_or_404(ReconciliationRun, pk=pk)
    return render(request, "payments/reconciliation_detail.html", {
        "run": run, "mismatches": run.mismatches.select_related("payment__request"),
    })


@role_required(*FINANCE_ROLES)
def flagged_payment(request, pk: int):
    """One flagged payment: why it was flagged, its history, and (while open) the form that resolves it.
    Payments that were never flagged are not found here."""
    payment = get_object_or_404(
        Payment.objects.select_related("request__product", "company", "resident", "flag_resolved_by")
        .filter(Q(flagged_at__isnull=False) | Q(status=PaymentStatus.NEEDS_REVIEW) | Q(flag_resolved_at__isnull=False)),
        pk=pk,
    )
    form = FlagResolveForm(request.POST or None)
    if request.method == "POST":
        if not payment.flag_open:
            messages.error(request, _("Payment %(reference)s has no open flag.") % {"reference": payment.reference})
            return redirect("payment-flagged", pk=payment.pk)
        if form.is_valid():
            try:
                services.payment_flag_resolve(payment=payment, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Flag on %(reference)s resolved.") % {"reference": payment.reference})
                return redirect("payment-reconciliation-list")
    return render(request, "payments/flagged_payment.html", {
        "payment": payment, "form": form,
        "history": payment.status_changes.select_related("actor").order_by("changed_at", "pk"),
    })


# --- provider notifications ---------------------------------------------------------------------


def _notify(request, provider: str):
    """Believe nothing before the signature verifies; apply a verified notification once."""
    if provider not in enabled_providers():
        return JsonResponse({"code": "FAIL", "message": "provider not enabled"}, status=404)
    try:
        verified = gateway_for(provider).parse_notification(request)
    except NotificationRejected as exc:
        security_logger.warning("Refused a %s notification from %s: %s", provider, request.META.get("REMOTE_ADDR"), exc)
        return JsonResponse({"code": "FAIL", "message": "signature verification failed"}, status=exc.status)
    except GatewayError as exc:  # the provider's API was needed to read it: let the provider retry later
        logger.warning("Could not read a %s notification: %s", provider, exc.message)
        return JsonResponse({"code": "FAIL", "message": "try again later"}, status=503)
    notification = services.notification_apply(verified=verified)
    logger.info("%s notification %s (%s): %s%s", provider, notification.event_id, notification.event_type,
                notification.outcome, " (replay)" if notification.replayed else "")
    return JsonResponse({"code": "SUCCESS", "message": "成功"})


@csrf_exempt
@require_POST
def notify_wechat(request):
    return _notify(request, Provider.WECHAT)


@csrf_exempt
@require_POST
def notify_stripe(request):
    return _notify(request, Provider.STRIPE)
