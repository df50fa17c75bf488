"""GET services: the public catalogue as Open311 service types, in XML and JSON."""
from tests.open311.conftest import BASE, json_of, xml_of


def test_service_list_in_xml_names_each_public_item_with_the_spec_elements(client, catalogue):
    response = client.get(f"{BASE}/services.xml")

    assert response.status_code == 200
    root = xml_of(response)
    assert root.tag == "services"
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    assert set(services) == {"HK-001", "ZX-001"}
    housekeeping = services["HK-001"]
    assert [child.tag for child in housekeeping] == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]
    assert housekeeping.findtext("service_name") == "日常保洁"
    assert housekeeping.findtext("metadata") == "true"
    assert housekeeping.findtext("type") == "realtime"
    assert housekeeping.findtext("group") == "家政服务"
    consult = services["ZX-001"]
    assert consult.findtext("metadata") == "false"
    assert consult.findtext("description") == "政策、办事和便民信息咨询"  # no HTML
    assert consult.findtext("keywords") == "答疑解惑, 市民生110服务中心"


def test_service_list_in_json_is_a_list_of_services(client, catalogue):
    response = client.get(f"{BASE}/services.json")

    assert response.status_code == 200
    services = json_of(response)
    assert [s["service_code"] for s in services] == ["HK-001", "ZX-001"]
    assert services[0] == {
        "service_code": "HK-001",
        "service_name": "日常保洁",
        "description": "",
        "metadata": True,
        "type": "realtime",
        "keywords": "家政服务",
        "group": "家政服务",
    }
    assert "日常保洁".encode() in response.content  # UTF-8, not \u escapes


def test_hidden_items_and_items_without_a_server_are_not_listed(client, catalogue):
    codes = [s["service_code"] for s in client.get(f"{BASE}/services.json").json()]

    assert "OFF-001" not in codes
    assert "NOP-001" not in codes


def test_discovery_names_the_endpoint_and_both_formats(client, db):
    root = xml_of(client.get(f"{BASE}/discovery.xml"))

    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert client.get(f"{BASE}/discovery.json").json()["endpoints"][0]["formats"] == ["text/xml", "application/json"]


def test_an_unknown_format_is_not_found(client, catalogue):
    assert client.get(f"{BASE}/services.html").status_code == 404


def test_head_is_answered_like_get_and_other_methods_are_refused(client, catalogue):
    assert client.head(f"{BASE}/services.xml").status_code == 200
    response = client.post(f"{BASE}/services.xml")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
