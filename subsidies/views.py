"""Web pages of the subsidy payout: finance officers start, review, approve and pay runs, adjust lines,
download the bank file, the workbook and statements, and read the dashboard (administrators may look);
company staff read their own statements in their portal.

Thin: role checks here, reads through subsidies.selectors, writes through subsidies.services; a refusal
shows as a message. Another company's statement answers 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from marketplace.roles import Role, has_role, role_required
from marketplace.selectors_requests import company_of_staff
from subsidies import exports, selectors, services
from subsidies.errors import PayoutAccountInvalid
from subsidies.forms import PayoutAccountForm
from subsidies.models import PayoutMethod, RunStatus

FINANCE = (Role.FINANCE_OFFICER,)
FINANCE_READERS = (Role.FINANCE_OFFICER, Role.ADMINISTRATOR)


def _refused(request, error: DomainError):
    messages.error(request, str(error.message))


@role_required(*FINANCE_READERS)
def run_list(request):
    if request.method == "POST":
        if not has_role(request.user, Role.FINANCE_OFFICER):
            raise Http404
        try:
            run = services.payout_run_start(year=int(request.POST.get("year", "0") or 0), actor=request.user)
        except (DomainError, ValueError) as error:
            _refused(request, error) if isinstance(error, DomainError) else messages.error(request, _("Enter a year."))
            return redirect("subsidy-run-list")
        messages.success(request, _("Run %(year)s computed: %(count)s companies.") % {"year": run.year, "count": run.line_count})
        return redirect("subsidy-run-detail", pk=run.pk)
    return render(request, "subsidies/run_list.html", {
        "runs": selectors.payout_runs(), "last_year": timezone.localdate().year - 1,
        "may_start": has_role(request.user, Role.FINANCE_OFFICER),
    })


@role_required(*FINANCE_READERS)
def run_detail(request, pk: int):
    run = selectors.payout_run(pk=pk)
    return render(request, "subsidies/run_detail.html", {
        "run": run, "lines": selectors.run_lines(run=run)[:500], "history": run.status_changes.select_related("actor"),
        "may_act": has_role(request.user, Role.FINANCE_OFFICER), "RunStatus": RunStatus, "methods": PayoutMethod.choices,
    })


@require_POST
@role_required(*FINANCE)
def run_action(request, pk: int):
    run = selectors.payout_run(pk=pk)
    action = request.POST.get("action")
    try:
        if action == "recompute":
            result = services.payout_run_recompute(run=run, actor=request.user)
            messages.success(request, _("Recomputed: %(created)s new, %(changed)s changed, %(removed)s removed lines.") % result)
        elif action == "review":
            services.payout_run_review(run=run, actor=request.user)
            messages.success(request, _("Marked as reviewed; another finance officer may approve it."))
        elif action == "send_back":
            services.payout_run_send_back(run=run, actor=request.user, reason=request.POST.get("reason", ""))
        elif action == "approve":
            services.payout_run_approve(run=run, actor=request.user)
            messages.success(request, _("Approved."))
        elif action == "bank_paid":
            count = services.payout_run_bank_paid(run=run, actor=request.user, bank_reference=request.POST.get("reference", ""))
            messages.success(request, _("%(count)s lines recorded as paid by bank transfer.") % {"count": count})
        else:
            raise Http404
    except DomainError as error:
        _refused(request, error)
    return redirect("subsidy-run-detail", pk=run.pk)


@role_required(*FINANCE_READERS)
def run_bank_file(request, pk: int):
    run = selectors.payout_run(pk=pk)
    if not run.is_approved:
        raise Http404
    response = HttpResponse(exports.bank_transfer_csv(run=run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subsidy-{run.year}-bank-transfers.csv"'
    return response


@role_required(*FINANCE_READERS)
def run_workbook(request, pk: int):
    run = selectors.payout_run(pk=pk)
    response = HttpResponse(exports.run_workbook(run=run),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="subsidy-{run.year}.xlsx"'
    return response


@role_required(*FINANCE_READERS)
def line_detail(request, pk: int):
    line = selectors.payout_line(pk=pk)
    if request.method == "POST":
        if not has_role(request.user, Role.FINANCE_OFFICER):
            raise Http404
        try:
            if request.POST.get("action") == "adjust":
                services.payout_line_adjust(line=line, amount=request.POST.get("amount", ""),
                                            reason=request.POST.get("reason", ""), actor=request.user)
                messages.success(request, _("Adjustment added to the ledger."))
            elif request.POST.get("action") == "pay":
                services.payout_line_pay(line=line, method=request.POST.get("method", ""), actor=request.user,
                                         reference=request.POST.get("reference", ""))
                messages.success(request, _("Payout sent."))
            elif request.POST.get("action") == "refresh":
                services.payout_line_refresh(line=line, actor=request.user)
        except DomainError as error:
            _refused(request, error)
        return redirect("subsidy-line-detail", pk=line.pk)
    return render(request, "subsidies/line_detail.html", {
        "line": line, "run": line.run, "ledger": selectors.line_ledger(line=line), "owed": selectors.line_owed(line=line),
        "due": selectors.line_due(line=line), "may_act": has_role(request.user, Role.FINANCE_OFFICER),
        "methods": PayoutMethod.choices,
    })


def _pdf(line) -> HttpResponse:
    response = HttpResponse(exports.statement_pdf(line=line), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="subsidy-{line.run.year}-{line.pk}.pdf"'
    return response


@role_required(*FINANCE_READERS)
def line_statement(request, pk: int):
    return _pdf(selectors.payout_line(pk=pk))


@role_required(*FINANCE_READERS)
def finance_dashboard(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    if request.method == "POST":
        if not has_role(request.user, Role.FINANCE_OFFICER):
            raise Http404
        try:
            services.subsidy_budget_set(year=year, amount=request.POST.get("amount", ""), actor=request.user,
                                        note=request.POST.get("note", ""))
            messages.success(request, _("Budget saved."))
        except DomainError as error:
            _refused(request, error)
        return redirect(f"{request.path}?year={year}")
    data = selectors.dashboard(year=year)
    top = max([m["volume"] for m in data["months"]] + [1])
    for month in data["months"]:
        month["bar"] = int(month["volume"] * 100 / top) if month["volume"] > 0 else 0
    return render(request, "subsidies/dashboard.html", {**data, "may_act": has_role(request.user, Role.FINANCE_OFFICER),
                                                       "years": range(year - 3, year + 2)})


def _own_company(request):
    company = company_of_staff(user=request.user)
    if company is None:
        raise Http404
    return company


@role_required(Role.COMPANY_STAFF)
def company_statements(request):
    company = _own_company(request)
    return render(request, "subsidies/company_statements.html", {
        "company": company, "statements": selectors.statements_of_company(company=company)})


@role_required(Role.COMPANY_STAFF)
def company_statement_pdf(request, pk: int):
    return _pdf(selectors.statement_of_company(company=_own_company(request), pk=pk))




@role_required(Role.COMPANY_STAFF)
def company_payout_account(request):
    """The company's staff set where its subsidy is paid (their own company only: there is no id in the
    address to point at another one). Through ``services.payout_account_set``; the history is shown."""
    company = _own_company(request)
    account = selectors.payout_account_of(company=company)
    fields = ("account_name", "bank_name", "bank_account", "wechat_openid", "stripe_account")
    initial = {name: getattr(account, name) for name in fields} if account else {"account_name": company.legal_name}
    form = PayoutAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.payout_account_set(company=company, actor=request.user, reason=data["reason"],
                                        **{name: data[name] for name in fields})
        except PayoutAccountInvalid as error:
            field = error.params.get("field")
            form.add_error(field if field in form.fields else None, str(error.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The payout account was saved."))
            return redirect("company-payout-account")
    return render(request, "subsidies/company_payout_account.html", {
        "company": company, "account": account, "form": form,
        "history": selectors.payout_account_history(company=company),
    })
