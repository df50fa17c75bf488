"""``manage.py demo_subsidy_year`` gives the demo county a closed 2025 fiscal year on which the whole payout
can be shown in the web pages: finance officer 1 starts the 2025 run and marks it reviewed, is refused
approval, finance officer 2 approves it, the bank file, workbook and a statement download and parse, and
the company reads its statement in its portal. Running the step again writes nothing."""
from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from marketplace.demo import companies as demo_companies
from marketplace.models import RequestStatus, ServiceRequest, User
from marketplace.payments.models import LedgerKind, PaymentLedgerEntry, PaymentStatus
from marketplace.roles import Role, has_role
from providers.models import Agreement, Company, CompanyStatus
from ratings.models import Removal
from subsidies import demo
from subsidies.exports import BANK_CSV_COLUMNS
from subsidies.models import (
    Eligibility,
    PayoutAccount,
    PayoutRun,
    RunStatus,
    SubsidyBudget,
)
from subsidies.models import LedgerKind as SubsidyLedgerKind

pytestmark = pytest.mark.django_db(transaction=False)

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
PASSWORD = "demo12345"
FINANCE, FINANCE2 = "finance@demo.minsheng110.cn", "finance2@demo.minsheng110.cn"


@pytest.fixture(scope="module")
def demo_year(django_db_setup, django_db_blocker):
    """The demo city and its 2025 year, loaded once for this module inside a transaction rolled back
    afterwards (each test runs in a savepoint within it). A fast hasher: hashing is not under test."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher, time_machine.travel(NOW, tick=False), transaction.atomic():
        call_command("load_demo_city", stdout=io.StringIO())
        out = io.StringIO()
        call_command("demo_subsidy_year", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def company(number: int) -> Company:
    code = (demo_companies.credit_code(number) if number == demo.REMOVED
            else demo_companies.COMPANIES[number - 1]["fields"]["credit_code"])
    return Company.objects.get(credit_code=code)


def everything_counted() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    return {model._meta.label: model._base_manager.count() for model in apps.get_models() if model._meta.db_table in tables}


# --- the year in the database ---------------------------------------------------------------------


def test_the_step_reports_what_it_wrote(demo_year):
    assert "2025 fiscal year written" in demo_year and "2025 jobs" in demo_year


def test_the_2025_jobs_are_completed_paid_in_2025_and_called_back(demo_year):
    jobs = ServiceRequest.objects.filter(idempotency_key__startswith=demo.KEY_PREFIX)
    assert 300 <= jobs.count() <= 450
    assert set(jobs.values_list("status", flat=True)) == {RequestStatus.CLOSED}
    assert not jobs.filter(completed_at__year__lt=2025).exists() and not jobs.filter(completed_at__gte=datetime.datetime(2025, 12, 31, tzinfo=demo.TZ)).exists()
    assert jobs.filter(payments__status=PaymentStatus.PAID).distinct().count() == jobs.count()
    assert jobs.filter(callback__isnull=True).count() == 0  # nothing left for the call-back queue
    assert set(jobs.values_list("completed_at__month", flat=True)) == set(range(1, 13))
    charges = PaymentLedgerEntry.objects.filter(payment__request__in=jobs, kind=LedgerKind.CHARGE)
    assert charges.count() == jobs.count()
    assert {entry.created_at.astimezone(demo.TZ).year for entry in charges} == {2025}
    assert PaymentLedgerEntry.objects.filter(payment__request__in=jobs, kind=LedgerKind.REFUND).count() == 2
    methods = Counter(jobs.values_list("payments__method", flat=True))
    assert methods["cash"] > 0 and methods["wechat_native"] + methods["wechat_jsapi"] > 0
    first = jobs.order_by("idempotency_key").first()
    assert list(first.status_changes.values_list("to_status", flat=True)) == [
        "submitted", "matching", "offered", "accepted", "on_the_way", "in_service", "completed", "closed"]
    assert first.created_at.astimezone(demo.TZ).year == 2025


def test_agreements_renewals_the_removed_company_budget_and_accounts(demo_year):
    in_2025 = Agreement.objects.filter(term_start__year=2025)
    assert in_2025.count() == 31
    assert not in_2025.filter(company__in=[company(31), company(32)]).exists()
    assert in_2025.get(company=company(27)).term_start == datetime.date(2025, 7, 1)
    assert Agreement.objects.get(company=company(1), term_start__year=2026).renews == in_2025.get(company=company(1))
    struck_off = company(demo.REMOVED)
    assert struck_off.status == CompanyStatus.REMOVED
    removal = Removal.objects.get(company=struck_off)
    assert removal.removed_at.astimezone(demo.TZ).date() == datetime.date(2025, 10, 1) and removal.reinstated_at is None
    assert removal.complaints.count() == 3
    assert [c.changed_at.astimezone(demo.TZ).year for c in struck_off.status_changes.all()] == [2025] * 5
    assert Company.objects.filter(status=CompanyStatus.CONTRACTED).count() == 32  # the 2026 county is unchanged
    assert SubsidyBudget.objects.get(year=2025).amount == Decimal("15000.00")
    assert PayoutAccount.objects.count() == 31
    assert PayoutAccount.history.filter(company_id=company(1).pk).get().history_user == company(1).partner.users.first()


def test_the_second_finance_officer_signs_in_with_the_demo_password(demo_year):
    user = authenticate(email=FINANCE2, password=PASSWORD)
    assert user is not None and has_role(user, Role.FINANCE_OFFICER) and user.is_staff


def test_running_it_again_writes_nothing(demo_year):
    counts = everything_counted()
    out = io.StringIO()
    call_command("demo_subsidy_year", stdout=out)
    assert "Nothing to do" in out.getvalue()
    assert everything_counted() == counts


def test_the_plan_is_the_same_every_time(demo_year):
    def plan():
        return [(job.key, job.company.pk, job.product.pk, job.final_price, job.raised_at, job.verdict)
                for job in demo._Year(Counter()).plan()]

    assert plan() == plan()


# --- the payout in the web pages ------------------------------------------------------------------


def test_a_finance_officer_runs_the_year_a_second_approves_it_and_everything_exports(client, demo_year, at_now):
    finance, finance2 = User.objects.get(email=FINANCE), User.objects.get(email=FINANCE2)

    client.force_login(finance)
    started = client.post("/finance/subsidies/", {"year": "2025"})
    run = PayoutRun.objects.get(year=2025)
    assert started.status_code == 302 and started["Location"] == f"/finance/subsidies/runs/{run.pk}/"
    assert run.status == RunStatus.DRAFT and run.started_by == finance
    reasons = Counter(run.lines.values_list("eligibility", flat=True))
    assert set(reasons) == set(Eligibility.values)
    lines = {line.company_id: line for line in run.lines.all()}
    assert run.line_count == 31 and company(31).pk not in lines and company(32).pk not in lines
    exact = lines[company(13).pk]
    assert (exact.satisfied_jobs, exact.judged_jobs, exact.eligibility) == (18, 20, Eligibility.ELIGIBLE)
    assert lines[company(demo.REMOVED).pk].eligibility == Eligibility.REMOVED
    assert lines[company(demo.REMOVED).pk].upheld_complaints == 3
    assert lines[company(7).pk].upheld_complaints == 1 and lines[company(7).pk].eligibility == Eligibility.ELIGIBLE
    assert lines[company(23).pk].eligibility == Eligibility.NOT_JUDGED and lines[company(23).pk].volume > 0
    assert lines[company(30).pk].volume == Decimal("0.00") and lines[company(30).pk].total == Decimal("0.00")
    assert all(lines[company(n).pk].eligibility == Eligibility.BELOW_TARGET for n in demo.BELOW_TARGET)
    page = client.get(f"/finance/subsidies/runs/{run.pk}/").content.decode()
    assert "邵武市速洁家政服务有限公司" in page and 'value="review"' in page

    client.post(f"/finance/subsidies/runs/{run.pk}/action/", {"action": "review"})
    run.refresh_from_db()
    assert run.status == RunStatus.REVIEWED and run.reviewed_by == finance

    refused = client.post(f"/finance/subsidies/runs/{run.pk}/action/", {"action": "approve"}, follow=True)
    assert "another finance officer must approve it" in refused.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.REVIEWED and run.approved_by is None

    client.force_login(finance2)
    client.post(f"/finance/subsidies/runs/{run.pk}/action/", {"action": "approve"})
    run.refresh_from_db()
    assert (run.status, run.approved_by) == (RunStatus.APPROVED, finance2)
    assert run.ledger_entries.filter(kind=SubsidyLedgerKind.ACCRUAL).count() == 31

    # The bank transfer file: UTF-8 with BOM, CRLF, one row per line with money, amounts adding up to the run.
    response = client.get(f"/finance/subsidies/runs/{run.pk}/bank-transfers.csv")
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode()) and b"\r\n" in response.content
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == BANK_CSV_COLUMNS
    assert len(rows) == 30  # company 30's ¥0.00 line is left out
    assert sum(Decimal(row["amount"]) for row in rows) == run.total_amount
    assert all(row["bank_account"].isdigit() and row["bank_name"] and row["currency"] == "CNY" for row in rows)
    assert {row["memo"] for row in rows} == {"2025年度民生110服务补贴"}

    book = load_workbook(io.BytesIO(client.get(f"/finance/subsidies/runs/{run.pk}/workbook.xlsx").content))
    assert book["Lines"].max_row == 32 and book["Summary"]["B1"].value == 2025
    assert Decimal(str(book["Summary"]["B12"].value)) == run.total_amount
    assert book["Ledger"].max_row == 32

    mine = lines[company(1).pk]
    pdf = client.get(f"/finance/subsidies/lines/{mine.pk}/statement.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert pdf["Content-Type"] == "application/pdf" and "2025年度服务补贴结算单" in text
    assert company(1).legal_name in text and f"{mine.total:.2f}" in text

    dashboard = client.get("/finance/subsidies/dashboard/?year=2025").content.decode()
    assert "15,000.00" in dashboard and f"{run.total_amount:,.2f}" in dashboard

    # The company reads its statement in its portal, and no one else's.
    client.force_login(company(1).partner.users.get(email="company01@demo.minsheng110.cn"))
    statements = client.get("/companies/mine/statements/").content.decode()
    assert "2025" in statements and f"{mine.total:,.2f}" in statements
    assert client.get(f"/companies/mine/statements/{mine.pk}.pdf").status_code == 200
    assert client.get(f"/companies/mine/statements/{lines[company(2).pk].pk}.pdf").status_code == 404
