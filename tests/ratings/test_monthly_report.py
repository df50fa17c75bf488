"""The monthly report (月情况通报): per company and per linked unit, figures equal to a hand count on a
fixture month; generating the month twice gives the same report; an Excel download that opens."""
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.models import LinkedUnit
from marketplace.services import (
    job_arrive,
    job_complete,
    job_set_off,
    request_transfer_to_unit,
    request_unit_report,
)
from matching.services import offer_accept, offer_decline, request_dispatch_by_hand
from ratings.models import MonthlyReport
from ratings.services import (
    complaint_decide,
    complaint_file,
    complaint_review_start,
    monthly_report_generate,
)
from ratings.tasks import monthly_report_generate as monthly_report_task
from tests.ratings.conftest import SHANGHAI, offer_to
from tests.ratings.helpers import call_back, rate

pytestmark = [pytest.mark.django_db]
NOVEMBER = datetime.date(2026, 11, 1)
REPORT_TIME = datetime.datetime(2026, 12, 1, 2, 0, tzinfo=SHANGHAI)
FIGURES = ["received", "accepted", "completed", "overdue", "average_response_minutes", "satisfied_jobs", "judged_jobs",
           "satisfaction", "complaints_received", "complaints_upheld"]


@pytest.fixture
def fixture_month(job, companies, raise_request, resident, agent, town, frozen_now):
    """November 2026, by hand:
    company 1 — offered J1, J2, J3, J5 (J5 by hand, declined) → received 4, accepted 3; completed J1, J2; J3
      accepted 10 minutes after it was raised, never completed, due 25 Nov → overdue 1; response
      (0 + 0 + 10) / 3 = 3.3 min; J1 rated 5★ (satisfied), J2 called back dissatisfied → 1 of 2;
      complaints about J1 (rejected) and J2 (upheld) → received 2, upheld 1.
    company 2 — J1 offered to it first (company 1's 1★ October rating ranks company 1 lower) and declined
      by the test's helper; J5 offered after company 1 declined, accepted, completed → received 2,
      accepted 1, completed 1; no judgement.
    company 3 — nothing.
    unit — one request transferred and reported two hours later, called back satisfied.
    An October job of company 1 does not count."""
    frozen_now.move_to(datetime.datetime(2026, 10, 15, 10, 0, tzinfo=SHANGHAI))
    rate(job(companies[0]), 1)
    frozen_now.move_to(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))
    j1, j2 = job(companies[0]), job(companies[0])
    j3 = raise_request()
    frozen_now.shift(datetime.timedelta(minutes=10))
    offer_accept(offer_id=offer_to(j3, companies[0]).pk, company=companies[0], actor=companies[0].partner.users.first())
    j5 = raise_request()  # J5: offered to company 1 by hand, declined, then company 2 takes it
    declined = request_dispatch_by_hand(request=j5, agent=agent, company=companies[0], reason="就近")
    offer_decline(offer_id=declined.pk, company=companies[0], actor=companies[0].partner.users.first(), reason="没空")
    second, staff_2 = companies[1], companies[1].partner.users.first()
    offer_accept(offer_id=offer_to(j5, second).pk, company=second, actor=staff_2)
    j5.refresh_from_db()
    job_set_off(request=j5, company=second, actor=staff_2)
    job_arrive(request=j5, company=second, actor=staff_2)
    job_complete(request=j5, company=second, actor=staff_2, final_price="80.00")
    rate(j1, 5)
    call_back(j2, agent, "dissatisfied")
    rejected = complaint_file(request=j1, filed_by=resident, category="late", description="迟到")
    upheld = complaint_file(request=j2, filed_by=resident, category="quality", description="没扫干净")
    for complaint, is_upheld in ((rejected, False), (upheld, True)):
        complaint_review_start(complaint=complaint, agent=agent)
        complaint_decide(complaint=complaint, agent=agent, upheld=is_upheld, reason="核实")
    unit = LinkedUnit.objects.create(code="GDJ", name="邵武市供电公司", kind="utility", region=town,
                                     duty_contact_name="李师傅", duty_contact_phone="0599-6311111")
    lamp = raise_request(public_interest=True)
    request_transfer_to_unit(request=lamp, agent=agent, unit=unit, reason="停电")
    frozen_now.shift(datetime.timedelta(hours=2))
    request_unit_report(request=lamp, actor=agent, result="已恢复供电")
    call_back(lamp, agent, "satisfied")
    frozen_now.move_to(REPORT_TIME)
    return unit


def figures(row: MonthlyReport) -> dict:
    return {name: getattr(row, name) for name in FIGURES}


def test_figures_equal_the_hand_count(fixture_month, companies):
    monthly_report_generate(month=NOVEMBER)

    rows = {row.company_id or f"unit{row.linked_unit_id}": row for row in MonthlyReport.objects.filter(month=NOVEMBER)}
    assert figures(rows[companies[0].pk]) == {
        "received": 4, "accepted": 3, "completed": 2, "overdue": 1, "average_response_minutes": Decimal("3.3"),
        "satisfied_jobs": 1, "judged_jobs": 2, "satisfaction": Decimal("0.5000"),
        "complaints_received": 2, "complaints_upheld": 1,
    }
    assert figures(rows[companies[1].pk]) == {
        "received": 2, "accepted": 1, "completed": 1, "overdue": 0, "average_response_minutes": Decimal("0.0"),
        "satisfied_jobs": 0, "judged_jobs": 0, "satisfaction": None, "complaints_received": 0, "complaints_upheld": 0,
    }
    assert figures(rows[companies[2].pk])["received"] == 0
    assert figures(rows[f"unit{fixture_month.pk}"]) == {
        "received": 1, "accepted": None, "completed": 1, "overdue": 0, "average_response_minutes": Decimal("120.0"),
        "satisfied_jobs": 1, "judged_jobs": 1, "satisfaction": Decimal("1.0000"),
        "complaints_received": 0, "complaints_upheld": 0,
    }


def test_generating_the_same_month_twice_gives_the_same_report(fixture_month):
    first = {row.pk: figures(row) for row in monthly_report_generate(month=NOVEMBER)}
    second = {row.pk: figures(row) for row in monthly_report_generate(month=NOVEMBER)}
    assert first == second
    assert MonthlyReport.objects.filter(month=NOVEMBER).count() == len(first) == 4


def test_the_beat_task_reports_the_month_before(fixture_month):
    assert monthly_report_task() == 4
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {NOVEMBER}


def test_a_month_not_yet_started_is_refused(companies):
    from ratings import errors

    with pytest.raises(errors.ReportInvalid):
        monthly_report_generate(month=datetime.date(2027, 1, 1))


def test_centre_page_and_excel_show_the_report(fixture_month, client, agent, companies):
    monthly_report_generate(month=NOVEMBER)
    client.force_login(agent)

    page = client.get(reverse("centre-report-month", args=[2026, 11]))
    assert page.status_code == 200
    assert companies[0].legal_name in page.content.decode() and "50.00%" in page.content.decode()

    download = client.get(reverse("centre-report-excel", args=[2026, 11]))
    assert download.status_code == 200
    assert "monthly-report-2026-11.xlsx" in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(download.content))
    companies_sheet = workbook.worksheets[0]
    rows = {row[0]: row for row in companies_sheet.iter_rows(min_row=3, values_only=True)}
    assert rows[companies[0].legal_name][1:5] == (4, 3, 2, 1)
    assert rows[companies[0].legal_name][8] == 0.5
    units_sheet = workbook.worksheets[1]
    assert [row[0] for row in units_sheet.iter_rows(min_row=3, values_only=True)] == ["邵武市供电公司"]


def test_agent_generates_a_month_from_the_page(fixture_month, client, agent):
    client.force_login(agent)
    response = client.post(reverse("centre-report-generate"), {"month": "2026-11"})
    assert response.status_code == 302 and response.url == reverse("centre-report-month", args=[2026, 11])
    assert MonthlyReport.objects.filter(month=NOVEMBER).count() == 4
