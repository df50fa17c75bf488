"""Certificates (志愿服务记录证明): per person and period, a PDF with identity, hours by activity, the
issuer, a number and a date — its Chinese text readable back from the PDF — and a public page that
verifies a certificate by its number."""
import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.volunteers.conftest import approve, log
from volunteers import services
from volunteers.errors import CertificateRefused
from volunteers.models import Certificate

pytestmark = pytest.mark.django_db
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 11, 23)


@pytest.fixture
def served(accepted_job, lead, member):
    job = accepted_job()
    approve(log(job, member, "3.50"), lead.user)
    approve(log(job, member, "1.25"), lead.user)
    log(job, member, "9.00")  # pending: not certified
    return job


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_certificate_pdf_carries_readable_chinese_text(client, served, member, team):
    certificate = services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=END, actor=member.user)
    client.force_login(member.user)
    response = client.get(f"/volunteers/certificates/{certificate.number}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ["志愿服务记录证明", "李志明", "党员", "小红帽志愿服务队", "清理杂物", "4.75", certificate.number,
                     "2026年1月1日", "2026年11月23日", "公益服务"]:
        assert expected in text, expected


def test_certificate_counts_only_approved_hours_in_the_period(served, member, team):
    certificate = services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=END, actor=member.user)
    assert certificate.total_hours == Decimal("4.75")
    assert certificate.activities == [{"kind": "team_job", "activity": "清理杂物", "entries": 2, "hours": "4.75"}]
    assert certificate.issuer_name == "小红帽志愿服务队"
    assert certificate.holder_name == "李志明" and certificate.holder_identities == ["party_member"]
    with pytest.raises(CertificateRefused, match="No approved hours"):
        services.certificate_issue(volunteer=member, team=team, period_start=datetime.date(2026, 1, 1),
                                   period_end=datetime.date(2026, 10, 31), actor=member.user)


def test_asking_again_for_the_same_figures_returns_the_same_certificate(served, member, team):
    first = services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=END, actor=member.user)
    again = services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=END, actor=member.user)
    assert again == first and Certificate.objects.count() == 1


def test_the_centre_certifies_all_records_and_the_issuer_is_named(served, member):
    certificate = services.certificate_issue(volunteer=member, team=None, period_start=START, period_end=END, actor=member.user)
    assert certificate.issuer_name == "邵武市民生110服务中心" and certificate.total_hours == Decimal("4.75")


def test_a_period_ending_in_the_future_is_refused(served, member, team):
    with pytest.raises(CertificateRefused, match="may not end after today"):
        services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=datetime.date(2026, 12, 31),
                                   actor=member.user)


def test_volunteer_issues_and_downloads_on_the_certificates_page(client, served, member, team):
    client.force_login(member.user)
    response = client.post("/volunteers/certificates/", {"issuer": str(team.pk), "period_start": "2026-01-01",
                                                         "period_end": "2026-11-23"}, follow=True)
    certificate = Certificate.objects.get()
    page = response.content.decode()
    assert f"Certificate {certificate.number} issued." in page
    assert f"/volunteers/certificates/{certificate.number}/pdf/" in page


def test_anyone_verifies_a_certificate_by_its_number(client, served, member, team):
    certificate = services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=END, actor=member.user)
    page = client.get(f"/certificates/verify/?number={certificate.number.lower()}", follow=True).content.decode()
    assert "This certificate is genuine." in page
    assert "李*明" in page and "李志明" not in page
    assert "4.75" in page and "小红帽志愿服务队" in page
    data = client.get(f"/api/certificates/{certificate.number}/").json()
    assert (data["holder"], data["total_hours"], data["issuer_name"]) == ("李*明", "4.75", "小红帽志愿服务队")


def test_an_unknown_number_is_not_verified(client, db):
    response = client.get("/certificates/verify/ZYFW20261123DEADBEEF/")
    assert response.status_code == 404
    assert "No certificate has the number" in response.content.decode()
    assert client.get("/api/certificates/ZYFW20261123DEADBEEF/").status_code == 404


def test_someone_else_cannot_download_the_pdf(client, served, member, team, second_member, lead_b):
    certificate = services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=END, actor=member.user)
    for stranger in (second_member.user, lead_b.user):
        client.force_login(stranger)
        assert client.get(f"/volunteers/certificates/{certificate.number}/pdf/").status_code == 404
        assert client.get(f"/api/certificates/{certificate.number}/pdf/").status_code == 404


def test_the_lead_of_the_issuing_team_and_the_centre_may_download(client, served, member, team, lead, agent):
    certificate = services.certificate_issue(volunteer=member, team=team, period_start=START, period_end=END, actor=member.user)
    for reader in (lead.user, agent):
        client.force_login(reader)
        assert client.get(f"/api/certificates/{certificate.number}/pdf/").status_code == 200
