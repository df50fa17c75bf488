"""Files made from a run: the bank transfer CSV (layout in docs/subsidies.md), the Excel workbook of the
whole run, and each company's PDF statement (Chinese, WeasyPrint, font Noto Sans CJK SC)."""
from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import translation

from subsidies import selectors
from subsidies.models import PayoutAccount, PayoutLine, PayoutRun
from subsidies.services import payout_reference

BANK_CSV_COLUMNS = ["line_id", "payout_reference", "payee_name", "credit_code", "bank_name", "bank_account",
                    "amount", "currency", "memo"]


def bank_transfer_csv(*, run: PayoutRun) -> str:
    """UTF-8 (with BOM, for Excel) CSV, one row per line with money due, in company-name order.
    ``payout_reference`` is the line's ``SUB<year>L<line id>A<attempt>``, the reference the line is booked
    under when paid (quote it in the bank memo); amount in yuan, 2 places."""
    accounts = {a.company_id: a for a in PayoutAccount.objects.filter(company__payout_lines__run=run)}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(BANK_CSV_COLUMNS)
    for line in selectors.run_lines(run=run).filter(total__gt=0):
        account = accounts.get(line.company_id)
        writer.writerow([
            line.pk, line.payout_reference or payout_reference(line), account.account_name if account else line.company_name,
            line.company.credit_code, account.bank_name if account else "", account.bank_account if account else "",
            f"{selectors.line_due(line=line):.2f}", "CNY", f"{run.year}年度民生110服务补贴",
        ])
    return out.getvalue()


def run_workbook(*, run: PayoutRun) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    for row in [
        ["Year", run.year], ["Status", run.status], ["Subsidy rate", run.subsidy_rate], ["Reward rate", run.reward_rate],
        ["Satisfaction target", run.satisfaction_target], ["Started by", str(run.started_by)],
        ["Approved by", str(run.approved_by or "")], ["Companies", run.line_count], ["Volume", run.total_volume],
        ["Subsidy", run.total_subsidy], ["Reward", run.total_reward], ["Total", run.total_amount],
    ]:
        summary.append(row)
    lines = book.create_sheet("Lines")
    header = ["Line", "Company", "Credit code", "Region", "Category", "Volume", "Paid jobs", "Satisfied jobs",
              "Judged jobs", "Satisfaction", "Upheld complaints", "Removed for complaints", "Eligibility",
              "Subsidy", "Reward", "Total", "Payout", "Paid via", "Paid at", "Reference"]
    lines.append(header)
    for cell in lines[1]:
        cell.font = Font(bold=True)
    for line in selectors.run_lines(run=run).iterator(chunk_size=2000):
        lines.append([
            line.pk, line.company_name, line.company.credit_code, line.region_name, line.category_name, line.volume,
            line.job_count, line.satisfied_jobs, line.judged_jobs, line.satisfaction, line.upheld_complaints,
            line.removed_for_complaints, line.eligibility, line.subsidy, line.reward, line.total, line.payout_state,
            line.paid_via, line.paid_at.replace(tzinfo=None) if line.paid_at else None, line.provider_reference,
        ])
    for column in ("F", "N", "O", "P"):
        for cell in lines[column][1:]:
            cell.number_format = "#,##0.00"
    ledger = book.create_sheet("Ledger")
    ledger.append(["Entry", "Line", "Company", "Kind", "Amount", "Reason", "By", "At"])
    for entry in run.ledger_entries.select_related("line", "created_by").order_by("created_at", "pk"):
        ledger.append([entry.pk, entry.line_id, entry.line.company_name, entry.kind, entry.amount, entry.reason,
                       str(entry.created_by), entry.created_at.replace(tzinfo=None)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def statement_pdf(*, line: PayoutLine) -> bytes:
    """The company's statement for the year, in Chinese."""
    from weasyprint import HTML

    with translation.override("zh-hans"):
        html = render_to_string("subsidies/statement_pdf.html", {
            "line": line, "run": line.run, "ledger": selectors.line_ledger(line=line),
            "owed": selectors.line_owed(line=line), "due": selectors.line_due(line=line),
        })
    return HTML(string=html).write_pdf()
