"""POST a service request with a partner's api_key: it becomes a request on the open311 channel,
created by the partner's account, for the resident the phone number finds."""
import pytest

from marketplace.models import RequestStatus, ServiceRequest, User
from marketplace.open311.services import open311_client_deactivate
from tests.open311.conftest import BASE, errors_of, json_of, xml_of


def post(client, format, fields):
    return client.post(f"{BASE}/requests.{format}", fields)


def test_a_valid_key_creates_a_request_and_answers_with_its_id(client, catalogue, partner, post_fields, frozen_now):
    partner_client, raw_key = partner

    response = post(client, "xml", post_fields(api_key=raw_key, **{
        "attribute[floor]": "瓷砖", "attribute[extras][]": ["擦窗", "清洁冰箱"], "attribute[pets]": "false",
        "account_id": "A-77",
    }))

    assert response.status_code == 201, response.content.decode()
    root = xml_of(response)
    assert root.tag == "service_requests"
    answer = root.find("request")
    assert [child.tag for child in answer] == ["service_request_id", "service_notice", "account_id"]
    request = ServiceRequest.objects.get(pk=int(answer.findtext("service_request_id")))
    assert answer.findtext("account_id") == "A-77"
    assert answer.findtext("service_notice")
    assert request.channel == ServiceRequest.Channel.OPEN311
    assert request.created_by == partner_client.user
    assert request.resident.phone == "+8613900000077"
    assert request.contact_phone == "+8613900000077"
    assert request.product.upc == "HK-001"
    assert request.address == "昭阳街道东关社区1号"
    assert request.answers == {"area": 80, "floor": "瓷砖", "extras": ["擦窗", "清洁冰箱"], "pets": False}
    assert request.status == RequestStatus.MATCHING  # company work goes straight to the matcher


def test_the_json_answer_is_a_list_with_the_new_id(client, catalogue, partner, post_fields, frozen_now):
    response = post(client, "json", post_fields(api_key=partner[1]))

    assert response.status_code == 201
    [answer] = json_of(response)
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert ServiceRequest.objects.filter(pk=answer["service_request_id"], channel="open311").exists()
    assert answer["account_id"] is None


def test_a_known_phone_finds_the_existing_resident(client, catalogue, partner, post_fields, resident, frozen_now):
    response = post(client, "json", post_fields(api_key=partner[1], phone="139 0000 0001"))

    assert ServiceRequest.objects.get(pk=response.json()[0]["service_request_id"]).resident == resident


def test_lat_long_alone_become_the_address(client, catalogue, partner, post_fields, frozen_now):
    response = post(client, "json", post_fields(api_key=partner[1], address_string=None))

    request = ServiceRequest.objects.get(pk=response.json()[0]["service_request_id"])
    assert request.address == "27.331000,117.490000"


def test_an_address_alone_is_placed_in_the_community_it_names(client, catalogue, partner, post_fields, frozen_now):
    response = post(client, "json", post_fields(api_key=partner[1], lat=None, long=None))

    assert response.status_code == 201
    request = ServiceRequest.objects.get(pk=response.json()[0]["service_request_id"])
    assert request.region.name == "东关社区"
    assert str(request.latitude) == "27.331000"


def test_a_media_url_is_kept_in_the_description(client, catalogue, partner, post_fields, frozen_now):
    response = post(client, "json", post_fields(api_key=partner[1], media_url="https://img.example.com/1.jpg"))

    request = ServiceRequest.objects.get(pk=response.json()[0]["service_request_id"])
    assert request.description.startswith("厨房和客厅保洁\n")
    assert "https://img.example.com/1.jpg" in request.description


def test_a_retry_with_the_same_token_creates_nothing_new(client, catalogue, partner, post_fields, frozen_now):
    first = post(client, "json", post_fields(api_key=partner[1], token="retry-0001"))
    again = post(client, "json", post_fields(api_key=partner[1], token="retry-0001"))

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("format", ["xml", "json"])
def test_posting_without_a_key_is_forbidden_in_the_spec_format(client, catalogue, post_fields, format, frozen_now):
    response = post(client, format, post_fields())

    assert response.status_code == 403
    [error] = errors_of(response, format)
    assert error["code"] == 403
    assert "api_key" in error["description"]
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("format", ["xml", "json"])
def test_a_wrong_key_is_forbidden(client, catalogue, partner, post_fields, format, frozen_now):
    response = post(client, format, post_fields(api_key=partner[1] + "x"))

    assert response.status_code == 403
    assert errors_of(response, format)[0]["code"] == 403
    assert not ServiceRequest.objects.exists()


def test_a_revoked_key_is_forbidden(client, catalogue, partner, post_fields, administrator, frozen_now):
    open311_client_deactivate(client=partner[0], actor=administrator)

    response = post(client, "json", post_fields(api_key=partner[1]))

    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("format", ["xml", "json"])
def test_an_unknown_service_code_is_not_found(client, catalogue, partner, post_fields, format, frozen_now):
    response = post(client, format, post_fields(api_key=partner[1], service_code="NO-SUCH"))

    assert response.status_code == 404
    [error] = errors_of(response, format)
    assert error == {"code": 404, "description": error["description"]}
    assert "NO-SUCH" in error["description"]
    assert not ServiceRequest.objects.exists()


def test_a_hidden_item_cannot_be_requested(client, catalogue, partner, post_fields, frozen_now):
    response = post(client, "json", post_fields(api_key=partner[1], service_code="OFF-001"))

    assert response.status_code == 404
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("format", ["xml", "json"])
def test_a_missing_phone_is_refused_and_nothing_is_created(client, catalogue, partner, post_fields, format, frozen_now):
    users_before = User.objects.count()

    response = post(client, format, post_fields(api_key=partner[1], phone=None))

    assert response.status_code == 400
    [error] = errors_of(response, format)
    assert error["code"] == 400
    assert "phone" in error["description"]
    assert not ServiceRequest.objects.exists()
    assert User.objects.count() == users_before


def test_every_missing_field_is_named_in_one_answer(client, catalogue, partner, frozen_now):
    response = post(client, "json", {"api_key": partner[1], "description": "漏水"})

    assert response.status_code == 400
    descriptions = " ".join(e["description"] for e in response.json())
    assert len(response.json()) == 3
    assert "service_code" in descriptions and "phone" in descriptions and "lat" in descriptions


@pytest.mark.parametrize("overrides, words", [
    ({"attribute[area]": None}, "房屋面积"),  # a required question unanswered
    ({"attribute[floor]": "地毯"}, "地面类型"),  # not one of the listed values
    ({"attribute[extras][]": ["擦窗", "洗车"]}, "附加项目"),
    ({"attribute[colour]": "红"}, "colour"),  # a question the item does not ask
    ({"phone": "12345"}, "12345"),
    ({"lat": "north"}, "lat"),
    ({"lat": "95", "long": "117.49"}, ""),
    ({"description": ""}, ""),
])
def test_bad_input_is_refused_with_a_400_and_leaves_no_trace(
    client, catalogue, partner, post_fields, overrides, words, frozen_now
):
    users_before = User.objects.count()

    response = post(client, "json", post_fields(api_key=partner[1], **overrides))

    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400
    assert words in error["description"]
    assert not ServiceRequest.objects.exists()
    assert User.objects.count() == users_before


def test_other_methods_are_refused_in_the_spec_format(client, catalogue):
    response = client.delete(f"{BASE}/requests.json")

    assert response.status_code == 405
    assert response.json()[0]["code"] == 405
