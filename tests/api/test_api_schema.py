"""/api/schema/ documents every operation of the API."""
import pytest

pytestmark = pytest.mark.django_db

OPERATION_IDS = [
    "catalogue_categories_list",
    "catalogue_items_list",
    "catalogue_item_retrieve",
    "guide_prices_list",
    "guide_price_set",
    "guide_prices_import",
    "companies_list",
    "company_retrieve",
    "company_apply",
    "company_transition",
    "company_contract",
    "contract_prices_list",
    "contract_price_set",
    "company_price_change_requests_list",
    "price_change_request_file",
    "price_change_requests_list",
    "price_change_request_approve",
    "price_change_request_reject",
]


def test_schema_lists_every_operation(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation_ids = [op["operationId"] for methods in schema["paths"].values() for op in methods.values()]
    assert set(OPERATION_IDS) <= set(operation_ids)
    assert len(operation_ids) == len(set(operation_ids)), "operation ids must be unique"
    assert all(op.get("tags") for methods in schema["paths"].values() for op in methods.values())


def test_one_url_serves_list_and_write_as_two_documented_operations(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    guide_prices = schema["paths"]["/api/guide-prices/"]
    assert guide_prices["get"]["operationId"] == "guide_prices_list"
    assert guide_prices["post"]["operationId"] == "guide_price_set"
    # The list is public; publishing needs a signed-in administrator.
    assert {} in guide_prices["get"]["security"]
    assert {} not in guide_prices["post"]["security"]
    assert "GuidePriceSetInputRequest" in schema["components"]["schemas"]
