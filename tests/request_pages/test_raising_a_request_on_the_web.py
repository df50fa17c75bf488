"""A resident raises a request on the web: the item's booking questions are asked, a form sent twice
raises one request, and bad input is shown on the form with nothing created."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.models import RequestStatus, ServiceRequest
from tests.request_pages.helpers import messages_of, new_request_url, request_form_data

ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
AttributeOption = get_model("catalogue", "AttributeOption")

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def area_question(item):
    """Like the demo catalogue: an "option" question with its option group on the item's product class."""
    group = AttributeOptionGroup.objects.create(name="房屋面积", code="house_area")
    for option in ("60㎡以下", "60-90㎡", "90㎡以上"):
        AttributeOption.objects.create(group=group, option=option)
    return ProductAttribute.objects.create(product_class=item.product_class, name="房屋面积", code="house_area",
                                           type="option", option_group=group, required=True)


@pytest.fixture
def rooms_question(item):
    return ProductAttribute.objects.create(product_class=item.product_class, name="房间数", code="rooms", type="integer")


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def test_the_form_asks_the_items_booking_questions_and_prefills_my_phone(signed_in, item, area_question, rooms_question):
    response = signed_in.get(new_request_url(item))

    assert response.status_code == 200
    page = response.content.decode()
    assert "日常保洁" in page and "房屋面积" in page and "房间数" in page
    assert all(option in page for option in ("60㎡以下", "60-90㎡", "90㎡以上"))
    assert "navigator.geolocation" in page
    form = response.context["form"]
    assert form["contact_phone"].value() == "+8613900000001"
    assert len(form["idempotency_key"].value()) == 32


def test_each_showing_of_the_form_has_its_own_idempotency_key(signed_in, item):
    first = signed_in.get(new_request_url(item)).context["form"]["idempotency_key"].value()
    second = signed_in.get(new_request_url(item)).context["form"]["idempotency_key"].value()
    assert first != second


def test_raising_a_request_with_an_option_answered_leads_to_its_page(signed_in, resident, item, area_question, rooms_question):
    response = signed_in.post(new_request_url(item), request_form_data(answer_house_area="60-90㎡", answer_rooms="3"))

    service_request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("request-detail", args=[service_request.pk])
    assert service_request.resident == resident and service_request.created_by == resident
    assert service_request.channel == ServiceRequest.Channel.WEB
    assert service_request.answers == {"house_area": "60-90㎡", "rooms": 3}
    assert service_request.contact_phone == "+8613900000001"
    assert service_request.status == RequestStatus.MATCHING

    page = signed_in.get(response.url)
    assert f"Your request #{service_request.pk} was received." in messages_of(page)
    text = page.content.decode()
    assert "房屋面积" in text and "60-90㎡" in text and '<span class="status matching">matching</span>' in text


def test_a_scheduled_request_keeps_its_time_window(signed_in, item):
    start = timezone.localtime() + datetime.timedelta(days=1)
    end = start + datetime.timedelta(hours=2)
    signed_in.post(new_request_url(item), request_form_data(
        when="scheduled", window_start=start.strftime("%Y-%m-%dT%H:%M"), window_end=end.strftime("%Y-%m-%dT%H:%M"),
    ))

    service_request = ServiceRequest.objects.get()
    assert service_request.as_soon_as_possible is False
    assert service_request.window_start == start.replace(second=0, microsecond=0)


def test_without_coordinates_the_chosen_community_locates_the_request(signed_in, item, community):
    signed_in.post(new_request_url(item), request_form_data(latitude="", longitude="", region=str(community.pk)))

    service_request = ServiceRequest.objects.get()
    assert (service_request.latitude, service_request.longitude) == (community.latitude, community.longitude)
    assert service_request.region == community


def test_the_same_form_sent_twice_raises_one_request(signed_in, item):
    first = signed_in.post(new_request_url(item), request_form_data(idempotency_key="double-click"))
    second = signed_in.post(new_request_url(item), request_form_data(idempotency_key="double-click"))

    service_request = ServiceRequest.objects.get()
    assert first.url == second.url == reverse("request-detail", args=[service_request.pk])
    assert "This form was already sent" in messages_of(signed_in.get(second.url))[-1]


@pytest.mark.parametrize("overrides, field, message", [
    ({"description": "  "}, "description", "Describe what you need."),
    ({"latitude": "95"}, "latitude", "The location is outside the map."),
    ({"latitude": "", "longitude": ""}, "latitude", "Give the location (or choose the community)."),
    ({"contact_phone": "call me"}, "contact_phone", "call me is not a phone number."),
    ({"when": "scheduled"}, "window_start", "A scheduled request needs a time window."),
    ({"when": "scheduled", "window_start": "2026-11-24T12:00", "window_end": "2026-11-24T10:00"}, "window_end",
     "The time window must end after it starts."),
    ({"when": "scheduled", "window_start": "2026-11-20T08:00", "window_end": "2026-11-20T10:00"}, "window_end",
     "The time window is in the past."),
    ({"answer_house_area": "一百平"}, "answer_house_area", "Select a valid choice."),
    ({"answer_house_area": ""}, "answer_house_area", "This field is required."),
    ({"answer_rooms": "three"}, "answer_rooms", "Enter a whole number."),
])
def test_bad_input_is_shown_on_the_form_and_nothing_is_created(signed_in, item, area_question, rooms_question,
                                                                 overrides, field, message):
    data = request_form_data(answer_house_area="60㎡以下")
    data.update(overrides)
    response = signed_in.post(new_request_url(item), data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert message in response.content.decode()
    assert not ServiceRequest.objects.exists()
    # The key stays the same, so fixing the form and sending it again still raises one request.
    assert response.context["form"]["idempotency_key"].value() == "form-key-1"


def test_an_item_not_offered_answers_404(signed_in, item):
    item.is_public = False
    item.save()
    assert signed_in.get(new_request_url(item)).status_code == 404
    assert signed_in.get(reverse("request-new")).status_code == 404
    assert signed_in.get(reverse("request-new") + "?item=abc").status_code == 404
    assert signed_in.post(new_request_url(item), request_form_data()).status_code == 404
    assert not ServiceRequest.objects.exists()
