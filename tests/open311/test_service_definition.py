"""GET a service definition: the item's booking questions as Open311 attributes."""
import pytest

from tests.open311.conftest import BASE, errors_of, json_of, xml_of


def test_definition_in_xml_lists_each_question_with_its_datatype(client, catalogue):
    root = xml_of(client.get(f"{BASE}/services/HK-001.xml"))

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "HK-001"
    attributes = root.findall("attributes/attribute")
    assert [(a.findtext("code"), a.findtext("datatype"), a.findtext("order")) for a in attributes] == [
        ("area", "number", "1"),
        ("floor", "singlevaluelist", "2"),
        ("extras", "multivaluelist", "3"),
        ("pets", "singlevaluelist", "4"),
        ("notes", "text", "5"),
        ("door", "string", "6"),
        ("visit_on", "datetime", "7"),
    ]
    area = attributes[0]
    assert [child.tag for child in area] == [
        "variable", "code", "datatype", "required", "datatype_description", "order", "description",
    ]
    assert area.findtext("variable") == "true"
    assert area.findtext("required") == "true"
    assert area.findtext("description") == "房屋面积（平方米）"
    assert attributes[1].findtext("required") == "false"
    floor_values = [(v.findtext("key"), v.findtext("name")) for v in attributes[1].findall("values/value")]
    assert floor_values == [("木地板", "木地板"), ("瓷砖", "瓷砖")]
    assert [v.findtext("key") for v in attributes[3].findall("values/value")] == ["true", "false"]


def test_definition_in_json_has_values_only_for_lists(client, catalogue):
    definition = json_of(client.get(f"{BASE}/services/HK-001.json"))

    by_code = {a["code"]: a for a in definition["attributes"]}
    assert by_code["extras"]["values"] == [{"key": "擦窗", "name": "擦窗"}, {"key": "清洁冰箱", "name": "清洁冰箱"}]
    assert "values" not in by_code["door"]
    assert by_code["door"]["datatype_description"] is None
    assert by_code["area"]["variable"] is True


def test_a_service_without_questions_has_no_attributes(client, catalogue):
    root = xml_of(client.get(f"{BASE}/services/ZX-001.xml"))

    assert root.findtext("service_code") == "ZX-001"
    assert root.find("attributes") is not None
    assert root.findall("attributes/attribute") == []


@pytest.mark.parametrize("format", ["xml", "json"])
@pytest.mark.parametrize("code", ["NO-SUCH", "OFF-001", "NOP-001"])
def test_unknown_or_hidden_service_code_is_not_found_in_the_spec_format(client, catalogue, format, code):
    response = client.get(f"{BASE}/services/{code}.{format}")

    assert response.status_code == 404
    [error] = errors_of(response, format)
    assert error["code"] == 404
    assert code in error["description"]
