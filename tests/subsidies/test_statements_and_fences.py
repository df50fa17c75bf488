"""Statements open and show Chinese; the workbook lists the run; companies see only their own
statements; outsiders are refused."""
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import make_user

from .conftest import line_of

pytestmark = [pytest.mark.django_db]


def test_company_reads_its_own_statement_in_chinese_and_not_another_ones(client, approved_run, fiscal_year):
    mine, other = line_of(approved_run, fiscal_year["at_target"]), line_of(approved_run, fiscal_year["below"])
    client.force_login(fiscal_year["at_target"].partner.users.first())

    page = client.get("/companies/mine/statements/")
    assert page.status_code == 200 and "34.33" in page.content.decode()
    pdf = client.get(f"/companies/mine/statements/{mine.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert fiscal_year["at_target"].legal_name in text and "年度服务补贴结算单" in text and "34.33" in text
    assert client.get(f"/companies/mine/statements/{other.pk}.pdf").status_code == 404


def test_draft_statements_are_not_shown_to_companies(client, started_run, fiscal_year):
    client.force_login(fiscal_year["at_target"].partner.users.first())
    line = line_of(started_run, fiscal_year["at_target"])
    assert client.get(f"/companies/mine/statements/{line.pk}.pdf").status_code == 404


def test_finance_pages_workbook_and_fences(client, approved_run, fiscal_year, finance_officer, administrator, outsider, agent):
    client.force_login(finance_officer)
    assert client.get(f"/finance/subsidies/runs/{approved_run.pk}/").status_code == 200
    assert client.get("/finance/subsidies/dashboard/?year=2026").status_code == 200
    book = load_workbook(io.BytesIO(client.get(f"/finance/subsidies/runs/{approved_run.pk}/workbook.xlsx").content))
    assert book["Lines"].max_row == 5 and book["Summary"]["B12"].value == 55.96 or str(book["Summary"]["B12"].value) == "55.96"

    client.force_login(administrator)  # may look, may not act
    assert client.get(f"/finance/subsidies/runs/{approved_run.pk}/").status_code == 200
    assert client.post(f"/api/subsidies/runs/{approved_run.pk}/recompute/").status_code == 403
    for user in (outsider, agent, fiscal_year["at_target"].partner.users.first()):
        client.force_login(user)
        assert client.get(f"/finance/subsidies/runs/{approved_run.pk}/").status_code == 403
        assert client.get("/api/subsidies/runs/").status_code == 403
    client.logout()
    assert client.get("/finance/subsidies/").status_code == 302
    assert client.get("/api/subsidies/runs/").status_code in (401, 403)


def test_the_api_starts_reviews_and_refuses_self_approval(client, fiscal_year, after_year_end, finance_officer):
    second = make_user("finance3@example.com", "finance_officer", is_staff=True)
    client.force_login(finance_officer)
    started = client.post("/api/subsidies/runs/start/", {"year": 2026}, content_type="application/json")
    assert started.status_code == 201 and started.json()["total_amount"] == "55.96"
    run_id = started.json()["id"]
    assert client.post(f"/api/subsidies/runs/{run_id}/review/").status_code == 200
    refused = client.post(f"/api/subsidies/runs/{run_id}/approve/")
    assert refused.status_code == 400 and refused.json()["code"] == "same_officer"
    client.force_login(second)
    assert client.post(f"/api/subsidies/runs/{run_id}/approve/").json()["status"] == "approved"
    client.force_login(fiscal_year["at_target"].partner.users.first())
    assert [s["total"] for s in client.get("/api/subsidies/statements/mine/").json()] == ["34.33"]
