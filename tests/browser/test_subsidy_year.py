"""In a real browser, on the demo county with its closed 2025 year (load_demo_city + demo_subsidy_year):
finance officer 1 starts the 2025 payout run and marks it reviewed, is refused approval, finance officer 2
approves it, the bank file, the workbook and a statement download and parse, and company 01 finds its
statement in its portal. Signed in with the demo logins and password, as the README tells a visitor."""
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from subsidies.models import PayoutRun, RunStatus

pytestmark = [pytest.mark.browser, pytest.mark.chinese, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo12345"


@pytest.fixture
def site(live_server):
    call_command("load_demo_city", stdout=io.StringIO())
    call_command("demo_subsidy_year", stdout=io.StringIO())
    return live_server.url


def sign_in(page, site, email):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action*=login] button[type=submit]")
    page.wait_for_load_state()


def click(page, selector):
    page.click(selector)
    page.wait_for_load_state()


def test_finance_runs_2025_a_second_officer_approves_and_the_files_download(page, site, tmp_path):
    sign_in(page, site, "finance@demo.minsheng110.cn")
    page.goto(f"{site}/finance/subsidies/")
    page.fill("input[name=year]", "2025")
    click(page, "form:has(input[name=year]) button[type=submit]")
    run = PayoutRun.objects.get(year=2025)
    assert page.url.endswith(f"/finance/subsidies/runs/{run.pk}/")
    assert page.locator("table.lines tbody tr").count() == run.line_count == 31
    assert page.locator("tr", has_text="邵武市速洁家政服务有限公司").count() == 1

    click(page, "button[name=action][value=review]")
    click(page, "button[name=action][value=approve]")
    assert page.locator("ul.messages li.error").count() == 1  # the starter may not approve
    run.refresh_from_db()
    assert run.status == RunStatus.REVIEWED

    sign_in(page, site, "finance2@demo.minsheng110.cn")
    page.goto(f"{site}/finance/subsidies/runs/{run.pk}/")
    click(page, "button[name=action][value=approve]")
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by.email == "finance2@demo.minsheng110.cn"

    with page.expect_download() as bank_file:
        page.click("a[href$='bank-transfers.csv']")
    rows = list(csv.DictReader(io.StringIO(Path(bank_file.value.path()).read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 30 and sum(Decimal(row["amount"]) for row in rows) == run.total_amount
    assert bank_file.value.suggested_filename == "subsidy-2025-bank-transfers.csv"
    with page.expect_download() as workbook:
        page.click("a[href$='workbook.xlsx']")
    book = load_workbook(io.BytesIO(Path(workbook.value.path()).read_bytes()))
    assert workbook.value.suggested_filename == "subsidy-2025.xlsx"
    assert book["Lines"].max_row == 32 and book["Summary"]["B1"].value == 2025

    line = run.lines.get(company__partner__users__email="company01@demo.minsheng110.cn")
    click(page, f"a[href='/finance/subsidies/lines/{line.pk}/']")
    pdf = page.request.get(f"{site}/finance/subsidies/lines/{line.pk}/statement.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert pdf.headers["content-type"] == "application/pdf" and line.company_name in text and f"{line.total:.2f}" in text

    sign_in(page, site, "company01@demo.minsheng110.cn")
    page.goto(f"{site}/companies/mine/statements/")
    row = page.locator("tr", has_text="2025")
    assert row.count() == 1 and f"{line.total:,.2f}" in row.inner_text()
    own = page.request.get(f"{site}/companies/mine/statements/{line.pk}.pdf")
    assert own.status == 200 and own.headers["content-type"] == "application/pdf"
