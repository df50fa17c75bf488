"""GET a request id from a token, and the jurisdiction_id check on every endpoint."""
import pytest

from marketplace.models import ServiceRequest
from tests.open311.conftest import BASE, JURISDICTION, errors_of, json_of, xml_of


def test_the_token_of_a_posted_request_gives_its_id(client, catalogue, partner, post_fields, frozen_now):
    posted = client.post(f"{BASE}/requests.json", post_fields(api_key=partner[1]))
    token = posted["X-Open311-Token"]

    root = xml_of(client.get(f"{BASE}/tokens/{token}.xml"))

    request = root.find("request")
    assert request.findtext("service_request_id") == str(posted.json()[0]["service_request_id"])
    assert request.findtext("token") == token


def test_a_partner_chosen_token_works_in_json(client, catalogue, partner, post_fields, frozen_now):
    posted = client.post(f"{BASE}/requests.json", post_fields(api_key=partner[1], token="partner-42"))

    assert json_of(client.get(f"{BASE}/tokens/partner-42.json")) == [
        {"service_request_id": posted.json()[0]["service_request_id"], "token": "partner-42"},
    ]


@pytest.mark.parametrize("format", ["xml", "json"])
def test_an_unknown_token_is_not_found(client, catalogue, raise_request, frozen_now, format):
    raise_request(idempotency_key="web-key-1")  # a web request's own key is not an Open311 token

    for token in ("nope", "web-key-1"):
        response = client.get(f"{BASE}/tokens/{token}.{format}")
        assert response.status_code == 404
        assert errors_of(response, format)[0]["code"] == 404


@pytest.mark.parametrize("path", ["services.json", "services/HK-001.json", "requests.json", "discovery.json"])
def test_our_jurisdiction_id_or_an_empty_one_is_accepted(client, catalogue, path, frozen_now):
    assert client.get(f"{BASE}/{path}", {"jurisdiction_id": JURISDICTION}).status_code == 200
    assert client.get(f"{BASE}/{path}", {"jurisdiction_id": ""}).status_code == 200


@pytest.mark.parametrize("format", ["xml", "json"])
@pytest.mark.parametrize("path", ["services", "services/HK-001", "requests", "requests/1", "tokens/abc", "discovery"])
def test_another_jurisdiction_is_not_found_in_the_spec_format(client, catalogue, path, format):
    response = client.get(f"{BASE}/{path}.{format}", {"jurisdiction_id": "sfgov.org"})

    assert response.status_code == 404
    [error] = errors_of(response, format)
    assert error["code"] == 404
    assert "sfgov.org" in error["description"]


def test_posting_to_another_jurisdiction_creates_nothing(client, catalogue, partner, post_fields, frozen_now):
    response = client.post(f"{BASE}/requests.xml", post_fields(api_key=partner[1], jurisdiction_id="sfgov.org"))

    assert response.status_code == 404
    assert errors_of(response, "xml")[0]["code"] == 404
    assert not ServiceRequest.objects.exists()
