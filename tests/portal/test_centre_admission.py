"""Administrators admit companies through the web: every move of the pipeline, and the refusals that
show an error and change nothing (illegal move, missing agreement, full quota, missing reason)."""
import datetime

import pytest
from django.urls import reverse

from marketplace.models import CategoryQuota
from providers.models import Agreement, CompanyStatus, CompanyStatusChange
from tests.conftest import AGREEMENT_FIELDS
from tests.portal.helpers import messages_of

pytestmark = [pytest.mark.django_db]

S = CompanyStatus
LIST = reverse("centre-company-list")


def detail(company):
    return reverse("centre-company-detail", args=[company.pk])


def move(client, company, to_status, reason="", **extra):
    return client.post(detail(company), {"to_status": to_status, "reason": reason, **extra})


def agreement_data(**changes):
    fields = {**AGREEMENT_FIELDS, **changes}
    return {f"agreement-{name}": (value.isoformat() if hasattr(value, "isoformat") else value) for name, value in fields.items()}


def status_of(company):
    company.refresh_from_db()
    return company.status


def test_list_counts_companies_per_status_and_filters_by_status(client, administrator, apply_company):
    first, second, _third = apply_company(1), apply_company(2), apply_company(3)
    client.force_login(administrator)
    move(client, first, S.UNDER_INSPECTION)

    response = client.get(LIST, {"status": S.UNDER_INSPECTION})

    assert response.status_code == 200
    assert list(response.context["companies"]) == [first]
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts[S.APPLIED] == 2 and counts[S.UNDER_INSPECTION] == 1 and counts[S.CONTRACTED] == 0
    page = response.content.decode()
    assert first.legal_name in page and second.legal_name not in page
    assert "under inspection (1)" in page and "applied (2)" in page


def test_list_with_an_unknown_status_shows_every_company(client, administrator, apply_company):
    apply_company(1)
    apply_company(2)
    client.force_login(administrator)

    response = client.get(LIST, {"status": "nonsense"})

    assert len(response.context["companies"]) == 2


def test_administrator_takes_a_company_through_every_admission_move(client, administrator, apply_company):
    company = apply_company(1)
    client.force_login(administrator)

    page = client.get(detail(company)).content.decode()
    assert company.legal_name in page and company.credit_code in page and "Start inspection" in page

    assert move(client, company, S.UNDER_INSPECTION, "材料齐全").status_code == 302
    assert status_of(company) == S.UNDER_INSPECTION
    move(client, company, S.APPROVED)
    assert status_of(company) == S.APPROVED

    response = move(client, company, S.CONTRACTED, **agreement_data())
    assert response.status_code == 302
    assert status_of(company) == S.CONTRACTED
    agreement = Agreement.objects.get(company=company)
    assert (agreement.term_start, agreement.term_end) == (AGREEMENT_FIELDS["term_start"], AGREEMENT_FIELDS["term_end"])
    assert agreement.created_by == administrator

    move(client, company, S.SUSPENDED, "服务投诉待查")
    assert status_of(company) == S.SUSPENDED
    move(client, company, S.CONTRACTED, "核查后恢复")
    assert status_of(company) == S.CONTRACTED
    move(client, company, S.REMOVED, "一年内三次投诉属实")
    assert status_of(company) == S.REMOVED

    history = list(CompanyStatusChange.objects.filter(company=company).values_list("from_status", "to_status", "reason"))
    assert history[1:] == [
        (S.APPLIED, S.UNDER_INSPECTION, "材料齐全"),
        (S.UNDER_INSPECTION, S.APPROVED, ""),
        (S.APPROVED, S.CONTRACTED, ""),
        (S.CONTRACTED, S.SUSPENDED, "服务投诉待查"),
        (S.SUSPENDED, S.CONTRACTED, "核查后恢复"),
        (S.CONTRACTED, S.REMOVED, "一年内三次投诉属实"),
    ]
    page = client.get(detail(company)).content.decode()
    assert "一年内三次投诉属实" in page and "2026-12-31" in page


def test_a_successful_move_says_so(client, administrator, apply_company):
    company = apply_company(1)
    client.force_login(administrator)

    response = move(client, company, S.UNDER_INSPECTION)

    assert any("under inspection" in message for message in messages_of(client.get(response.url)))


def test_administrator_rejects_an_application_with_a_reason(client, administrator, apply_company):
    company = apply_company(1)
    client.force_login(administrator)

    move(client, company, S.REJECTED, "资质不符")

    assert status_of(company) == S.REJECTED
    assert CompanyStatusChange.objects.filter(company=company, to_status=S.REJECTED, reason="资质不符").exists()


def test_approving_straight_from_applied_is_refused_and_changes_nothing(client, administrator, apply_company):
    company = apply_company(1)
    client.force_login(administrator)

    response = move(client, company, S.APPROVED)

    assert response.status_code == 200
    assert any("cannot go from" in message and "applied" in message and "approved" in message
               for message in messages_of(response))
    assert status_of(company) == S.APPLIED
    assert CompanyStatusChange.objects.filter(company=company).count() == 1


def test_contracting_without_the_agreement_fields_is_refused_and_changes_nothing(client, administrator, apply_company):
    company = apply_company(1)
    client.force_login(administrator)
    move(client, company, S.UNDER_INSPECTION)
    move(client, company, S.APPROVED)

    response = move(client, company, S.CONTRACTED)

    assert response.status_code == 200
    assert any("agreement" in message for message in messages_of(response))
    assert "This field is required." in response.content.decode()
    assert status_of(company) == S.APPROVED
    assert not Agreement.objects.exists()


def test_contracting_with_an_agreement_not_in_force_today_is_refused_and_changes_nothing(
    client, administrator, apply_company
):
    company = apply_company(1)
    client.force_login(administrator)
    move(client, company, S.UNDER_INSPECTION)
    move(client, company, S.APPROVED)

    response = move(
        client, company, S.CONTRACTED,
        **agreement_data(term_start=datetime.date(2027, 1, 1), term_end=datetime.date(2027, 12, 31)),
    )

    assert any("agreement in force today" in message for message in messages_of(response))
    assert status_of(company) == S.APPROVED
    assert not Agreement.objects.exists()


def test_approval_beyond_the_category_quota_is_refused_with_the_numbers(
    client, administrator, apply_company, contract_company, policy
):
    policy.default_category_quota = 1
    policy.save()
    contract_company(1)
    company = apply_company(2)
    client.force_login(administrator)
    move(client, company, S.UNDER_INSPECTION)

    response = move(client, company, S.APPROVED)

    assert any("quota" in message and "1 of 1" in message and "家政服务" in message for message in messages_of(response))
    assert status_of(company) == S.UNDER_INSPECTION


def test_category_quota_row_overrides_the_default(client, administrator, apply_company, contract_company, policy, category):
    CategoryQuota.objects.create(policy=policy, category=category, max_companies=2)
    contract_company(1)
    contract_company(2)
    company = apply_company(3)
    client.force_login(administrator)
    move(client, company, S.UNDER_INSPECTION)

    response = move(client, company, S.APPROVED)

    assert any("2 of 2" in message for message in messages_of(response))
    assert status_of(company) == S.UNDER_INSPECTION


def test_suspending_without_a_reason_is_refused_and_changes_nothing(client, administrator, contract_company):
    company = contract_company(1)
    client.force_login(administrator)
    before = CompanyStatusChange.objects.filter(company=company).count()

    response = move(client, company, S.SUSPENDED, "   ")

    assert any("needs a reason" in message for message in messages_of(response))
    assert status_of(company) == S.CONTRACTED
    assert CompanyStatusChange.objects.filter(company=company).count() == before


def test_administrator_sees_one_button_per_allowed_move(client, administrator, contract_company):
    company = contract_company(1)
    client.force_login(administrator)

    response = client.get(detail(company))

    assert {m["to_status"] for m in response.context["moves"]} == {S.SUSPENDED, S.REMOVED, S.EXPIRED}
    page = response.content.decode()
    assert page.count('name="to_status"') == 3
    assert 'value="suspended"' in page and 'value="approved"' not in page
