"""GET service requests (the spec's filters) and GET one request."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from marketplace.models import RequestStatus
from marketplace.open311.selectors import open311_status
from marketplace.services import request_cancel, request_handle_at_once
from tests.open311.conftest import BASE, errors_of, json_of, xml_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
SPEC_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]


@pytest.fixture
def requests_in_town(catalogue, raise_request, resident, agent):
    """In June: one old request. On 2026-11-23: matching (open), answered at once (closed), cancelled (closed)."""
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        june = raise_request(description="六月的保洁")
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI), tick=False):
        matching = raise_request()
        answered = raise_request(product=catalogue["consult"], answers={}, description="低保怎么申请？")
        cancelled = raise_request(description="擦玻璃")
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI), tick=False):
        request_handle_at_once(request=answered, agent=agent, resolution="已告知到社区居委会申请，需带身份证。")
        request_cancel(request=cancelled, actor=resident, reason="家里临时有事")
    return {"june": june, "matching": matching, "answered": answered, "cancelled": cancelled}


def ids_of(response) -> set[int]:
    return {r["service_request_id"] for r in json_of(response)}


def test_the_list_in_xml_has_the_spec_fields_in_order(client, requests_in_town, frozen_now):
    root = xml_of(client.get(f"{BASE}/requests.xml"))

    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 3
    for request in requests:
        assert [child.tag for child in request] == SPEC_FIELDS


def test_by_default_the_list_covers_the_last_90_days(client, requests_in_town, frozen_now):
    found = ids_of(client.get(f"{BASE}/requests.json"))

    assert requests_in_town["june"].pk not in found
    assert found == {requests_in_town[k].pk for k in ("matching", "answered", "cancelled")}


def test_status_open_and_closed_follow_the_documented_mapping(client, requests_in_town, frozen_now):
    assert ids_of(client.get(f"{BASE}/requests.json", {"status": "open"})) == {requests_in_town["matching"].pk}
    assert ids_of(client.get(f"{BASE}/requests.json", {"status": "closed"})) == {
        requests_in_town["answered"].pk, requests_in_town["cancelled"].pk,
    }
    assert len(ids_of(client.get(f"{BASE}/requests.json", {"status": "open,closed"}))) == 3


@pytest.mark.parametrize("status", list(RequestStatus))
def test_completed_and_later_statuses_are_closed(status):
    closed = {RequestStatus.COMPLETED, RequestStatus.CLOSED, RequestStatus.CANCELLED, RequestStatus.HANDLED_AT_ONCE}
    assert open311_status(status) == ("closed" if status in closed else "open")


def test_service_code_filters_one_or_several_services(client, requests_in_town, frozen_now):
    assert ids_of(client.get(f"{BASE}/requests.json", {"service_code": "ZX-001"})) == {requests_in_town["answered"].pk}
    assert len(ids_of(client.get(f"{BASE}/requests.json", {"service_code": "HK-001,ZX-001"}))) == 3


def test_a_date_range_finds_older_requests(client, requests_in_town, frozen_now):
    found = ids_of(client.get(f"{BASE}/requests.json", {
        "start_date": "2026-05-15T00:00:00+08:00", "end_date": "2026-06-15T00:00:00Z",
    }))

    assert found == {requests_in_town["june"].pk}


def test_a_start_date_alone_covers_90_days_from_it(client, requests_in_town, frozen_now):
    found = ids_of(client.get(f"{BASE}/requests.json", {"start_date": "2026-05-31"}))

    assert found == {requests_in_town["june"].pk}


@pytest.mark.parametrize("params, words", [
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"}, "90"),
    ({"start_date": "2026-11-10T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"}, "end_date"),
    ({"start_date": "last tuesday"}, "start_date"),
    ({"start_date": "2026-13-01T00:00:00Z"}, "start_date"),
    ({"status": "pending"}, "pending"),
    ({"service_request_id": "1,two"}, "service_request_id"),
])
@pytest.mark.parametrize("format", ["xml", "json"])
def test_bad_filters_are_refused_in_the_spec_format(client, requests_in_town, params, words, format, frozen_now):
    response = client.get(f"{BASE}/requests.{format}", params)

    assert response.status_code == 400
    [error] = errors_of(response, format)
    assert error["code"] == 400
    assert words in error["description"]


def test_ids_override_every_other_filter(client, requests_in_town, frozen_now):
    wanted = f"{requests_in_town['june'].pk},{requests_in_town['answered'].pk}"

    found = ids_of(client.get(f"{BASE}/requests.json", {"service_request_id": wanted, "status": "open",
                                                          "service_code": "NONE"}))

    assert found == {requests_in_town["june"].pk, requests_in_town["answered"].pk}


def test_one_request_in_xml_tells_its_status_and_who_handles_it(client, requests_in_town, frozen_now):
    answered = requests_in_town["answered"]

    root = xml_of(client.get(f"{BASE}/requests/{answered.pk}.xml"))

    [request] = root.findall("request")
    assert request.findtext("service_request_id") == str(answered.pk)
    assert request.findtext("status") == "closed"
    assert "已告知到社区居委会申请" in request.findtext("status_notes")
    assert request.findtext("service_code") == "ZX-001"
    assert request.findtext("service_name") == "政策咨询"
    assert request.findtext("agency_responsible") == "民生110服务中心"
    assert request.findtext("requested_datetime") == "2026-11-23T09:00:00+08:00"
    assert request.findtext("updated_datetime") == "2026-11-23T09:30:00+08:00"
    assert request.findtext("expected_datetime").endswith("+08:00")
    assert request.findtext("lat") == "27.331"
    assert request.findtext("long") == "117.490"
    assert request.find("address_id").text is None  # written as <address_id />


def test_one_request_in_json_is_a_list_of_one(client, requests_in_town, frozen_now):
    matching = requests_in_town["matching"]

    [request] = json_of(client.get(f"{BASE}/requests/{matching.pk}.json"))

    assert list(request) == SPEC_FIELDS
    assert request["status"] == "open"
    assert request["lat"] == 27.331
    assert request["long"] == 117.49
    assert request["description"] == "厨房和客厅保洁"
    assert request["media_url"] is None


def test_internal_reasons_stay_out_of_the_status_notes(client, requests_in_town, frozen_now):
    [request] = client.get(f"{BASE}/requests/{requests_in_town['cancelled'].pk}.json").json()

    assert request["status"] == "closed"
    assert "家里临时有事" not in request["status_notes"]


@pytest.mark.parametrize("format", ["xml", "json"])
@pytest.mark.parametrize("request_id", ["999999", "abc"])
def test_an_unknown_request_is_not_found_in_the_spec_format(client, requests_in_town, format, request_id):
    response = client.get(f"{BASE}/requests/{request_id}.{format}")

    assert response.status_code == 404
    [error] = errors_of(response, format)
    assert error["code"] == 404
    assert request_id in error["description"]


def test_the_list_costs_the_same_queries_however_many_requests(client, requests_in_town, raise_request, frozen_now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}/requests.xml")
    for _ in range(5):
        raise_request()
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{BASE}/requests.xml")

    assert len(xml_of(response).findall("request")) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_control_characters_in_a_description_still_give_well_formed_xml(client, raise_request, frozen_now):
    request = raise_request(description="保洁\x0b\x01请按门铃")

    root = xml_of(client.get(f"{BASE}/requests/{request.pk}.xml"))

    assert root.find("request").findtext("description") == "保洁请按门铃"


def test_public_output_does_not_pinpoint_a_home(client, requests_in_town, frozen_now):
    matching = requests_in_town["matching"]
    [request] = json_of(client.get(f"{BASE}/requests/{matching.pk}.json"))
    assert "1号" not in (request["address"] or "")  # the door number stays private
    assert len(str(request["lat"]).split(".")[1]) <= 3
