"""Price-change requests through the API: a company asks during its term, an administrator decides."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from pricing.models import PriceChangeRequest
from pricing.services import contract_price_set, price_change_request_file
from tests.api import ANONYMOUS_REFUSED, client_for, staff_of

StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "guide_price")]


@pytest.fixture
def company(contract_company, item, administrator):
    """Contracted for 2026 with a price of ¥80.00 for the item (guide ¥85.00)."""
    company = contract_company(1)
    contract_price_set(partner=company.partner, product=item, price="80.00", actor=administrator, reason="签约")
    return company


@pytest.fixture
def pending(company, item):
    record = StockRecord.objects.get(partner=company.partner, product=item)
    return price_change_request_file(stockrecord=record, requested_price="84.00", reason="人工成本上涨", actor=staff_of(company))


def requests_url(company):
    return reverse("api-company-price-change-requests", args=[company.pk])


def approve_url(change):
    return reverse("api-price-change-request-approve", args=[change.pk])


def reject_url(change):
    return reverse("api-price-change-request-reject", args=[change.pk])


def file_request(user, company, item, price="84.00", reason="人工成本上涨"):
    return client_for(user).post(
        requests_url(company), {"item": item.pk, "requested_price": price, "reason": reason}, format="json"
    )


def price_of(company, item):
    return StockRecord.objects.get(partner=company.partner, product=item).price


# --- filing -------------------------------------------------------------------------------------


def test_company_staff_ask_for_a_raise(company, item):
    response = file_request(staff_of(company), company, item)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["current_price"], body["requested_price"]) == ("pending", "80.00", "84.00")
    assert body["company"]["id"] == company.pk
    assert price_of(company, item) == Decimal("80.00")


def test_request_above_the_guide_price_is_refused_at_once(company, item):
    response = file_request(staff_of(company), company, item, price="85.01")
    assert response.status_code == 400
    assert response.json()["code"] == "contract_price_above_guide"
    assert not PriceChangeRequest.objects.exists()


def test_request_without_a_reason_is_refused(company, item):
    response = file_request(staff_of(company), company, item, reason="  ")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_missing"
    assert not PriceChangeRequest.objects.exists()


def test_request_with_three_decimals_is_refused(company, item):
    response = file_request(staff_of(company), company, item, price="84.001")
    assert response.status_code == 400
    assert "requested_price" in response.json()["detail"]
    assert not PriceChangeRequest.objects.exists()


def test_request_for_an_item_without_a_contracted_price_is_refused(contract_company, item):
    company = contract_company(1)
    response = file_request(staff_of(company), company, item)
    assert response.status_code == 400
    assert response.json()["code"] == "no_contract_price"


def test_second_pending_request_for_the_same_item_is_refused(pending, company, item):
    response = file_request(staff_of(company), company, item, price="83.00")
    assert response.status_code == 400
    assert response.json()["code"] == "already_pending"
    assert PriceChangeRequest.objects.count() == 1


def test_company_lists_its_requests(pending, company, administrator, agent):
    for user in (staff_of(company), administrator, agent):
        response = client_for(user).get(requests_url(company))
        assert response.status_code == 200
        assert [row["id"] for row in response.json()] == [pending.pk]


def test_staff_of_another_company_get_404(company, contract_company, item):
    other_staff = staff_of(contract_company(2))
    assert client_for(other_staff).get(requests_url(company)).status_code == 404
    assert file_request(other_staff, company, item).status_code == 404
    assert not PriceChangeRequest.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "finance_officer", "agent", "administrator"])
def test_only_the_companys_staff_file_requests(persona, company, item, request):
    response = file_request(request.getfixturevalue(persona), company, item)
    assert response.status_code == 403
    assert not PriceChangeRequest.objects.exists()


def test_anonymous_cannot_file_or_list_requests(company, item):
    assert file_request(None, company, item).status_code in ANONYMOUS_REFUSED
    assert client_for().get(requests_url(company)).status_code in ANONYMOUS_REFUSED
    assert not PriceChangeRequest.objects.exists()


# --- deciding -----------------------------------------------------------------------------------


def test_centre_sees_pending_requests_of_all_companies(pending, administrator):
    response = client_for(administrator).get(reverse("api-price-change-requests"), {"status": "pending"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [pending.pk]
    assert client_for(administrator).get(reverse("api-price-change-requests"), {"status": "approved"}).json()["count"] == 0


def test_administrator_approves_and_the_price_changes(pending, company, item, administrator):
    response = client_for(administrator).post(approve_url(pending), {"reason": "成本核实"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert response.json()["decision_reason"] == "成本核实"
    assert price_of(company, item) == Decimal("84.00")


def test_administrator_rejects_and_the_price_stays(pending, company, item, administrator):
    response = client_for(administrator).post(reject_url(pending), {"reason": "理由不足"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert price_of(company, item) == Decimal("80.00")


def test_rejection_needs_a_reason(pending, administrator):
    response = client_for(administrator).post(reject_url(pending), {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_missing"
    pending.refresh_from_db()
    assert pending.status == PriceChangeRequest.Status.PENDING


def test_a_decided_request_cannot_be_decided_again(pending, company, item, administrator):
    client = client_for(administrator)
    client.post(reject_url(pending), {"reason": "理由不足"}, format="json")
    response = client.post(approve_url(pending), {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "price_change_not_pending"
    assert price_of(company, item) == Decimal("80.00")


def test_deciding_a_missing_request_is_404(administrator):
    assert client_for(administrator).post("/api/price-change-requests/999999/approve/", {}, format="json").status_code == 404


@pytest.mark.parametrize("persona", ["resident", "agent", "finance_officer"])
def test_only_administrators_decide(persona, pending, company, item, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(approve_url(pending), {}, format="json").status_code == 403
    assert client.post(reject_url(pending), {"reason": "不行"}, format="json").status_code == 403
    pending.refresh_from_db()
    assert pending.status == PriceChangeRequest.Status.PENDING
    assert price_of(company, item) == Decimal("80.00")


def test_company_staff_cannot_approve_their_own_request(pending, company, item):
    response = client_for(staff_of(company)).post(approve_url(pending), {}, format="json")
    assert response.status_code == 403
    assert price_of(company, item) == Decimal("80.00")


def test_anonymous_cannot_decide(pending):
    assert client_for().post(approve_url(pending), {}, format="json").status_code in ANONYMOUS_REFUSED
    pending.refresh_from_db()
    assert pending.status == PriceChangeRequest.Status.PENDING


@pytest.mark.parametrize("persona", ["resident", "finance_officer", "company_user"])
def test_only_the_centre_sees_every_companys_requests(persona, pending, request):
    response = client_for(request.getfixturevalue(persona)).get(reverse("api-price-change-requests"))
    assert response.status_code == 403
