"""/api/schema/ documents every request, offer, job and centre operation, each with its tags."""
import pytest

pytestmark = pytest.mark.django_db

OPERATION_IDS = {
    "request_create": ("/api/requests/", "post"),
    "requests_list": ("/api/requests/", "get"),
    "request_retrieve": ("/api/requests/{id}/", "get"),
    "request_cancel": ("/api/requests/{id}/cancel/", "post"),
    "company_offers_list": ("/api/company/offers/", "get"),
    "company_offer_accept": ("/api/company/offers/{id}/accept/", "post"),
    "company_offer_decline": ("/api/company/offers/{id}/decline/", "post"),
    "company_jobs_list": ("/api/company/jobs/", "get"),
    "company_job_retrieve": ("/api/company/jobs/{id}/", "get"),
    "company_job_set_off": ("/api/company/jobs/{id}/set-off/", "post"),
    "company_job_arrive": ("/api/company/jobs/{id}/arrive/", "post"),
    "company_job_complete": ("/api/company/jobs/{id}/complete/", "post"),
    "centre_hotline_intake": ("/api/centre/hotline/", "post"),
    "centre_supervise_list": ("/api/centre/supervise/", "get"),
    "centre_request_retrieve": ("/api/centre/requests/{id}/", "get"),
    "centre_request_handle_at_once": ("/api/centre/requests/{id}/handle-at-once/", "post"),
    "centre_request_transfer": ("/api/centre/requests/{id}/transfer/", "post"),
    "centre_request_dispatch": ("/api/centre/requests/{id}/dispatch/", "post"),
    "centre_request_restart_matching": ("/api/centre/requests/{id}/restart-matching/", "post"),
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_request_operation_at_its_path_with_tags(schema):
    for operation_id, (path, method) in OPERATION_IDS.items():
        operation = schema["paths"][path][method]
        assert operation["operationId"] == operation_id
        assert operation["tags"], operation_id
        # Nobody reaches these anonymously.
        assert {} not in operation.get("security", []), operation_id


def test_request_create_documents_the_idempotency_key_header(schema):
    parameters = schema["paths"]["/api/requests/"]["post"]["parameters"]
    [header] = [p for p in parameters if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and header["required"] is True


def test_late_offer_answers_are_documented_as_409(schema):
    assert "409" in schema["paths"]["/api/company/offers/{id}/accept/"]["post"]["responses"]
