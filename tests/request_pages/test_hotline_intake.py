"""An agent enters a hotline call on one screen: the caller's phone finds or makes the resident, the
agent owns the request (首问负责), and the request shows on the centre's page and the resident's page."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from marketplace.models import RequestStatus, ServiceRequest
from marketplace.roles import Role, has_role
from tests.request_pages.helpers import hotline_form_data, messages_of

pytestmark = [pytest.mark.django_db]
HOTLINE = reverse("centre-hotline")
User = get_user_model()


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent)
    return client


def test_the_hotline_screen_puts_the_callers_phone_first_and_groups_items_by_category(signed_in, item, consultation):
    response = signed_in.get(HOTLINE)

    assert response.status_code == 200
    page = response.content.decode()
    phone_input = re.search(r'<input[^>]*name="phone"[^>]*>', page).group(0)
    assert "autofocus" in phone_input
    assert '<optgroup label="家政服务">' in page and "日常保洁" in page and "政策咨询" in page


def test_a_call_from_a_new_number_makes_the_resident_and_the_agent_owns_the_request(signed_in, client, agent, consultation,
                                                                                    community):
    response = signed_in.post(HOTLINE, hotline_form_data(consultation, region=str(community.pk)), follow=True)

    caller = User.objects.get(phone="+8613900000123")
    assert caller.get_full_name() == "王阿姨" and has_role(caller, Role.RESIDENT)
    service_request = ServiceRequest.objects.get()
    assert service_request.resident == caller and service_request.owner == agent and service_request.created_by == agent
    assert service_request.channel == ServiceRequest.Channel.HOTLINE
    assert service_request.contact_phone == "+8613900000123"
    assert (service_request.latitude, service_request.longitude) == (community.latitude, community.longitude)
    assert service_request.status == RequestStatus.SUBMITTED  # the centre answers this item itself

    assert response.redirect_chain[-1][0] == reverse("centre-request-detail", args=[service_request.pk])
    assert f"Request #{service_request.pk} was raised; you are its responsible agent." in messages_of(response)
    page = response.content.decode()
    assert 'class="owner-name">agent@example.com<' in page and "+8613900000123" in page

    client.force_login(caller)
    resident_page = client.get(reverse("request-detail", args=[service_request.pk])).content.decode()
    assert 'class="owner-name">agent@example.com<' in resident_page and "问一下高龄津贴怎么申请" in resident_page


def test_a_call_from_a_known_number_finds_the_resident(signed_in, resident, item):
    signed_in.post(HOTLINE, hotline_form_data(item, phone="139 0000 0001", name="", latitude="27.331", longitude="117.49"))

    service_request = ServiceRequest.objects.get()
    assert service_request.resident == resident
    assert service_request.status == RequestStatus.MATCHING  # company work goes to the matcher at once
    assert User.objects.filter(phone__startswith="+86139").count() == 1


def test_the_same_call_entered_twice_raises_one_request(signed_in, consultation, community):
    data = hotline_form_data(consultation, region=str(community.pk))
    signed_in.post(HOTLINE, data)
    response = signed_in.post(HOTLINE, data, follow=True)

    assert ServiceRequest.objects.count() == 1
    assert "This call was already entered" in messages_of(response)[-1]


@pytest.mark.parametrize("overrides, field, message", [
    ({"phone": "12345"}, "phone", "12345 is not a phone number."),
    ({"item": ""}, "item", "This field is required."),
    ({"item": "99999"}, "item", "Select a valid choice."),
    ({"description": ""}, "description", "Describe what you need."),
    ({"region": ""}, "latitude", "Give the location (or choose the community)."),
    ({"latitude": "27.3"}, "longitude", "Give both latitude and longitude."),
])
def test_a_refused_call_shows_why_and_creates_neither_resident_nor_request(signed_in, consultation, community,
                                                                           overrides, field, message):
    data = hotline_form_data(consultation, region=str(community.pk))
    data.update(overrides)
    response = signed_in.post(HOTLINE, data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert not ServiceRequest.objects.exists()
    assert not User.objects.filter(phone="+8613900000123").exists()
