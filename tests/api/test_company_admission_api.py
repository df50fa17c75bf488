"""Companies through the API: applying, who may see which company, admission moves and agreements."""
import pytest
from django.urls import reverse

from providers.models import Agreement, Company, CompanyStatus
from tests.api import ANONYMOUS_REFUSED, client_for, staff_of
from tests.conftest import AGREEMENT_FIELDS, application_fields, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "policy")]

LIST = "/api/companies/"


def application_payload(n, town, category):
    fields = application_fields(n, town)
    return {
        **{key: str(value) for key, value in fields.items() if key not in ("base_region", "opens_at", "closes_at")},
        "base_region": town.code,
        "opens_at": "08:00",
        "closes_at": "20:00",
        "categories": [category.pk],
        "service_regions": [town.code],
    }


def agreement_payload(**changes):
    return {**{key: str(value) for key, value in AGREEMENT_FIELDS.items()}, **changes}


def detail_url(company):
    return reverse("api-company", args=[company.pk])


def transitions_url(company):
    return reverse("api-company-transitions", args=[company.pk])


def agreements_url(company):
    return reverse("api-company-agreements", args=[company.pk])


# --- applying -----------------------------------------------------------------------------------


def test_url_name_points_at_the_company_list():
    assert reverse("api-companies") == LIST


def test_signed_in_user_applies_and_becomes_the_companys_staff(town, category):
    applicant = make_user("applicant@example.com")
    response = client_for(applicant).post(LIST, application_payload(7, town, category), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "applied"
    assert body["base_region"]["code"] == town.code
    assert [move["to_status"] for move in body["allowed_moves"]] == ["under_inspection", "rejected"]
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [("", "applied")]
    company = Company.objects.get(pk=body["id"])
    assert staff_of(company) == applicant
    # The new staff member now sees the company through the API.
    assert client_for(applicant).get(detail_url(company)).status_code == 200


def test_application_with_a_bad_credit_code_is_refused(town, category):
    payload = {**application_payload(7, town, category), "credit_code": "91350781000000000X"}
    response = client_for(make_user("applicant@example.com")).post(LIST, payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "credit_code" in response.json()["detail"]
    assert not Company.objects.exists()


def test_application_without_categories_is_refused(town, category):
    payload = {**application_payload(7, town, category), "categories": []}
    response = client_for(make_user("applicant@example.com")).post(LIST, payload, format="json")
    assert response.status_code == 400
    assert "categories" in response.json()["detail"]
    assert not Company.objects.exists()


def test_second_application_with_the_same_credit_code_is_refused(apply_company, town, category):
    apply_company(7)
    response = client_for(make_user("late@example.com")).post(LIST, application_payload(7, town, category), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "application_invalid"
    assert Company.objects.count() == 1


def test_anonymous_cannot_apply(town, category):
    response = client_for().post(LIST, application_payload(7, town, category), format="json")
    assert response.status_code in ANONYMOUS_REFUSED
    assert not Company.objects.exists()


# --- who sees which company ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["administrator", "agent"])
def test_centre_sees_every_company_and_filters_by_status(persona, apply_company, contract_company, request):
    contracted = contract_company(1)
    applied = apply_company(2)
    client = client_for(request.getfixturevalue(persona))
    assert {row["id"] for row in client.get(LIST).json()["results"]} == {contracted.pk, applied.pk}
    rows = client.get(LIST, {"status": "contracted"}).json()["results"]
    assert [row["id"] for row in rows] == [contracted.pk]
    assert rows[0]["allowed_moves"]


def test_company_list_runs_a_fixed_number_of_queries(apply_company, administrator, django_assert_max_num_queries):
    for n in range(1, 6):
        apply_company(n)
    client = client_for(administrator)
    with django_assert_max_num_queries(6):
        response = client.get(LIST)
    assert response.json()["count"] == 5


def test_unknown_status_filter_is_a_clear_400(administrator):
    response = client_for(administrator).get(LIST, {"status": "floating"})
    assert response.status_code == 400
    assert "status" in response.json()["detail"]


def test_company_staff_see_only_their_own_company(apply_company):
    mine, theirs = apply_company(1), apply_company(2)
    client = client_for(staff_of(mine))
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [mine.pk]
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(theirs)).status_code == 404


@pytest.mark.parametrize("persona", ["resident", "finance_officer"])
def test_other_roles_cannot_list_or_see_companies(persona, apply_company, request):
    company = apply_company(1)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(company)).status_code == 403


def test_anonymous_cannot_list_companies(apply_company):
    company = apply_company(1)
    assert client_for().get(LIST).status_code in ANONYMOUS_REFUSED
    assert client_for().get(detail_url(company)).status_code in ANONYMOUS_REFUSED


def test_company_detail_shows_history_and_agreements(contract_company, administrator):
    company = contract_company(1)
    body = client_for(administrator).get(detail_url(company)).json()
    assert body["status"] == "contracted"
    assert [h["to_status"] for h in body["history"]] == ["applied", "under_inspection", "approved", "contracted"]
    assert body["history"][1]["actor"] == str(administrator)
    assert [(a["term_start"], a["term_end"]) for a in body["agreements"]] == [("2026-01-01", "2026-12-31")]
    assert {move["to_status"] for move in body["allowed_moves"]} == {"suspended", "removed", "expired"}


# --- admission moves ----------------------------------------------------------------------------


def test_administrator_moves_an_application_through_inspection_to_approval(apply_company, administrator):
    company = apply_company(1)
    client = client_for(administrator)
    response = client.post(transitions_url(company), {"to_status": "under_inspection"}, format="json")
    assert response.status_code == 200, response.json()
    response = client.post(transitions_url(company), {"to_status": "approved", "reason": "考察合格"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["history"][-1]["reason"] == "考察合格"
    assert [move["to_status"] for move in body["allowed_moves"]] == ["contracted"]
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPROVED


def test_illegal_move_is_refused_and_changes_nothing(apply_company, administrator):
    company = apply_company(1)
    response = client_for(administrator).post(transitions_url(company), {"to_status": "contracted"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "illegal_transition"
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED
    assert company.status_changes.count() == 1


def test_move_needing_a_reason_is_refused_without_one(apply_company, administrator):
    company = apply_company(1)
    response = client_for(administrator).post(transitions_url(company), {"to_status": "rejected"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED


def test_unknown_status_is_a_clear_400(apply_company, administrator):
    company = apply_company(1)
    response = client_for(administrator).post(transitions_url(company), {"to_status": "floating"}, format="json")
    assert response.status_code == 400
    assert "to_status" in response.json()["detail"]


def test_approval_beyond_the_category_quota_is_refused(contract_company, apply_company, administrator, policy):
    # The test policy admits three companies per category.
    for n in (1, 2, 3):
        contract_company(n)
    fourth = apply_company(4)
    client = client_for(administrator)
    client.post(transitions_url(fourth), {"to_status": "under_inspection"}, format="json")
    response = client.post(transitions_url(fourth), {"to_status": "approved"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "category_quota_full"
    assert body["params"]["quota"] == "3" and body["params"]["holders"] == "3"
    fourth.refresh_from_db()
    assert fourth.status == CompanyStatus.UNDER_INSPECTION


def test_transition_of_a_missing_company_is_404(administrator):
    response = client_for(administrator).post("/api/companies/999999/transitions/", {"to_status": "approved"}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["resident", "agent", "finance_officer"])
def test_only_administrators_move_companies(persona, apply_company, request):
    company = apply_company(1)
    response = client_for(request.getfixturevalue(persona)).post(
        transitions_url(company), {"to_status": "under_inspection"}, format="json"
    )
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED


def test_company_staff_cannot_move_their_own_company(apply_company):
    company = apply_company(1)
    response = client_for(staff_of(company)).post(transitions_url(company), {"to_status": "under_inspection"}, format="json")
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED


def test_anonymous_cannot_move_companies(apply_company):
    company = apply_company(1)
    response = client_for().post(transitions_url(company), {"to_status": "under_inspection"}, format="json")
    assert response.status_code in ANONYMOUS_REFUSED


# --- agreements ---------------------------------------------------------------------------------


@pytest.fixture
def approved_company(apply_company, administrator):
    from providers.services import company_transition

    company = apply_company(1)
    company_transition(company=company, to_status=CompanyStatus.UNDER_INSPECTION, actor=administrator)
    company_transition(company=company, to_status=CompanyStatus.APPROVED, actor=administrator)
    return company


def test_administrator_signs_the_agreement_and_the_company_is_contracted(approved_company, administrator):
    response = client_for(administrator).post(agreements_url(approved_company), agreement_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "contracted"
    assert body["agreements"][0]["service_norms"] == AGREEMENT_FIELDS["service_norms"]
    assert body["history"][-1]["to_status"] == "contracted"


def test_agreement_for_an_application_not_yet_approved_is_refused(apply_company, administrator):
    company = apply_company(1)
    response = client_for(administrator).post(agreements_url(company), agreement_payload(), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "illegal_transition"
    assert not Agreement.objects.exists()
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED


def test_agreement_ending_before_it_starts_is_refused(approved_company, administrator):
    payload = agreement_payload(term_start="2026-12-31", term_end="2026-01-01")
    response = client_for(administrator).post(agreements_url(approved_company), payload, format="json")
    assert response.status_code == 400
    assert not Agreement.objects.exists()
    approved_company.refresh_from_db()
    assert approved_company.status == CompanyStatus.APPROVED


def test_agreement_not_in_force_today_does_not_contract(approved_company, administrator):
    payload = agreement_payload(term_start="2027-01-01", term_end="2027-12-31")
    response = client_for(administrator).post(agreements_url(approved_company), payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "agreement_invalid"
    assert not Agreement.objects.exists()


def test_agreement_with_missing_fields_is_a_clear_400(approved_company, administrator):
    response = client_for(administrator).post(agreements_url(approved_company), {"term_start": "2026-01-01"}, format="json")
    assert response.status_code == 400
    assert "legal_liability" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["resident", "agent", "finance_officer"])
def test_only_administrators_sign_agreements(persona, approved_company, request):
    response = client_for(request.getfixturevalue(persona)).post(
        agreements_url(approved_company), agreement_payload(), format="json"
    )
    assert response.status_code == 403
    assert not Agreement.objects.exists()


def test_company_staff_cannot_sign_their_own_agreement(approved_company):
    response = client_for(staff_of(approved_company)).post(
        agreements_url(approved_company), agreement_payload(), format="json"
    )
    assert response.status_code == 403
    assert not Agreement.objects.exists()


def test_anonymous_cannot_sign_agreements(approved_company):
    response = client_for().post(agreements_url(approved_company), agreement_payload(), format="json")
    assert response.status_code in ANONYMOUS_REFUSED
    assert not Agreement.objects.exists()
