"""Raising a request through the app: an Idempotency-Key makes a retry harmless, and a refused
request answers 400 with a code and creates nothing."""
import pytest

from marketplace.models import RequestStatus, ServiceRequest
from marketplace.roles import Role
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]


def test_resident_raises_a_request_that_goes_to_the_matcher(create_request, resident, item):
    response = create_request(resident)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["item"]["id"] == item.pk and body["item"]["title"] == "日常保洁"
    assert body["status"] == RequestStatus.MATCHING
    assert body["channel"] == "app"
    assert body["contact_phone"] == "+8613900000001"
    assert body["owner_name"] is None and body["company_name"] is None and body["company_average_rating"] is None
    assert body["overdue"] is False
    assert body["response_due_at"].startswith("2026-11-23T18:30")  # frozen at 10:00 UTC = 18:00 in Shaowu
    assert [entry["to_status"] for entry in body["history"]] == ["submitted", "matching"]
    request = ServiceRequest.objects.get()
    assert request.resident == resident and request.created_by == resident


def test_a_retry_with_the_same_key_returns_the_same_request_and_creates_nothing(create_request, resident):
    first = create_request(resident, key="retry-me")
    again = create_request(resident, key="retry-me", description="网络重试")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["description"] == "厨房和客厅保洁"
    assert ServiceRequest.objects.count() == 1


def test_different_keys_raise_two_requests(create_request, resident):
    assert create_request(resident, key="one").status_code == 201
    assert create_request(resident, key="two").status_code == 201
    assert ServiceRequest.objects.count() == 2


def test_the_same_key_from_two_residents_raises_two_requests(create_request, resident, outsider):
    assert create_request(resident, key="shared").status_code == 201
    assert create_request(outsider, key="shared", contact_phone="13900000009").status_code == 201
    assert ServiceRequest.objects.count() == 2


def test_a_request_without_an_idempotency_key_is_refused(create_request, resident):
    response = create_request(resident, key=None)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert "Idempotency-Key" in response.json()["detail"]
    assert not ServiceRequest.objects.exists()


def test_an_overlong_idempotency_key_is_refused(create_request, resident):
    response = create_request(resident, key="k" * 65)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"description": "   "}, "description_missing"),
        ({"latitude": "200.000000"}, "invalid_location"),
        ({"as_soon_as_possible": False}, "window_missing"),
        (
            {"as_soon_as_possible": False, "window_start": "2026-11-22T08:00:00+08:00", "window_end": "2026-11-22T10:00:00+08:00"},
            "window_past",
        ),
        (
            {"as_soon_as_possible": False, "window_start": "2026-11-24T10:00:00+08:00", "window_end": "2026-11-24T08:00:00+08:00"},
            "window_invalid",
        ),
        ({"answers": {"floor_area": "80"}}, "unknown_question"),
        ({"contact_phone": "12345"}, "invalid_phone"),
        ({"item": 999999}, "invalid"),
        ({"latitude": "north"}, "invalid"),
        ({"address": ""}, "invalid"),
    ],
)
def test_a_refused_request_answers_400_with_a_code_and_creates_nothing(create_request, resident, overrides, code):
    response = create_request(resident, **overrides)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not ServiceRequest.objects.exists()


def test_a_refused_request_does_not_use_up_its_key(create_request, resident):
    assert create_request(resident, key="fix-and-retry", description="").status_code == 400
    assert create_request(resident, key="fix-and-retry").status_code == 201


def test_a_scheduled_request_keeps_its_time_window(create_request, resident):
    response = create_request(
        resident, as_soon_as_possible=False,
        window_start="2026-11-24T09:00:00+08:00", window_end="2026-11-24T11:00:00+08:00",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["as_soon_as_possible"] is False
    assert body["window_start"].startswith("2026-11-24T09:00")


def test_coordinates_with_more_than_six_decimals_are_rounded_not_refused(create_request, resident):
    response = create_request(resident, latitude=27.33100049, longitude=117.4900001)
    assert response.status_code == 201, response.json()
    assert response.json()["latitude"] == "27.331000"


def test_an_item_not_offered_to_the_public_is_refused(create_request, resident, item):
    item.is_public = False
    item.save()
    response = create_request(resident)
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_service"
    assert not ServiceRequest.objects.exists()


def test_company_staff_cannot_raise_a_request(create_request):
    staff = make_user("only-staff@example.com", Role.COMPANY_STAFF)
    assert create_request(staff).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_a_missing_field_is_named_in_the_refusal(create_request, resident):
    response = create_request(resident, address="")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "address" in str(response.json()["detail"])
