"""The monthly report (月情况通报) as an Excel workbook: one sheet for companies, one for linked units,
the same figures the centre's page shows (read from the stored MonthlyReport rows)."""
from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ratings import selectors


def _headers() -> list[str]:
    return [
        _("Name"), _("Received"), _("Accepted"), _("Completed"), _("Overdue"), _("Average response (minutes)"),
        _("Satisfied jobs"), _("Judged jobs"), _("Satisfaction"), _("Complaints received"), _("Complaints upheld"),
    ]


def _row(report) -> list:
    # openpyxl writes Decimals as numbers; satisfaction is formatted as a percentage cell.
    return [
        report.subject_name, report.received, report.accepted, report.completed, report.overdue,
        report.average_response_minutes, report.satisfied_jobs, report.judged_jobs, report.satisfaction,
        report.complaints_received, report.complaints_upheld,
    ]


def monthly_report_workbook(*, month: datetime.date) -> bytes:
    rows = selectors.report_rows(month=month)
    workbook = Workbook()
    sheets = [(workbook.active, _("Companies"), rows["companies"]), (workbook.create_sheet(), _("Linked units"), rows["units"])]
    for sheet, title, reports in sheets:
        sheet.title = str(title)[:31]
        sheet.append([_("Monthly report %(month)s") % {"month": month.strftime("%Y-%m")}])
        sheet["A1"].font = Font(bold=True)
        sheet.append(_headers())
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for report in reports:
            sheet.append(_row(report))
            sheet.cell(row=sheet.max_row, column=9).number_format = "0.00%"
        sheet.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
