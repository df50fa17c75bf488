"""/api/schema/ documents every payments operation, tagged, with a unique operation id."""
import pytest

pytestmark = pytest.mark.django_db

OPERATION_IDS = {"job_payment_status", "job_payment_start", "payment_refresh", "company_job_cash_record",
                 "payment_cash_confirm", "payment_refund"}


def test_schema_lists_the_payments_operations(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = [op for methods in schema["paths"].values() for op in methods.values()]
    ids = [op["operationId"] for op in operations]

    assert OPERATION_IDS <= set(ids) and len(ids) == len(set(ids))
    assert all(op["tags"] == ["payments"] for op in operations if op["operationId"] in OPERATION_IDS)
    assert schema["paths"]["/api/payments/requests/{id}/"]["post"]["operationId"] == "job_payment_start"
