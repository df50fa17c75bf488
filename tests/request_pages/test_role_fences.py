"""Who may open which request page: anonymous visitors are sent to sign in; residents are refused the
centre's pages; company staff are refused both the centre's and the residents' pages; an agent cannot
use a resident's pages for someone else's request. Refused posts change nothing."""
import pytest
from django.urls import reverse

from marketplace.models import RequestStatus, ServiceRequest
from tests.request_pages.helpers import (
    hotline_form_data,
    is_login_redirect,
    new_request_url,
    request_form_data,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def service_request(raise_request):
    return raise_request()


def resident_pages(item, service_request):
    return [new_request_url(item), reverse("request-list"), reverse("request-detail", args=[service_request.pk])]


def centre_pages(service_request):
    return [
        reverse("centre-hotline"), reverse("centre-request-list"), reverse("centre-supervise"),
        reverse("centre-request-detail", args=[service_request.pk]),
    ]


def assert_nothing_changed(service_request):
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHING and service_request.owner is None
    assert ServiceRequest.objects.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in_everywhere(client, item, service_request, consultation):
    for url in [*resident_pages(item, service_request), *centre_pages(service_request)]:
        assert is_login_redirect(client.get(url)), url
    assert is_login_redirect(client.post(new_request_url(item), request_form_data()))
    assert is_login_redirect(client.post(reverse("centre-hotline"), hotline_form_data(consultation, latitude="27.3", longitude="117.4")))
    assert is_login_redirect(client.post(reverse("request-detail", args=[service_request.pk]), {"action": "cancel", "cancel-reason": "x"}))
    assert_nothing_changed(service_request)


def test_residents_are_refused_the_centre_pages(client, resident, service_request, consultation):
    client.force_login(resident)

    for url in centre_pages(service_request):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("centre-hotline"), hotline_form_data(consultation, latitude="27.3", longitude="117.4")).status_code == 403
    response = client.post(reverse("centre-request-detail", args=[service_request.pk]),
                           {"action": "handle", "handle-resolution": "自己答复"})
    assert response.status_code == 403
    assert_nothing_changed(service_request)


def test_company_staff_are_refused_the_centre_and_the_residents_pages(client, company_user, item, service_request):
    client.force_login(company_user)

    for url in [*centre_pages(service_request), *resident_pages(item, service_request)]:
        assert client.get(url).status_code in (403, 404), url
    assert client.get(reverse("centre-supervise")).status_code == 403
    assert client.post(reverse("request-detail", args=[service_request.pk]),
                       {"action": "cancel", "cancel-reason": "x"}).status_code in (403, 404)
    assert client.post(new_request_url(item), request_form_data()).status_code == 403
    assert_nothing_changed(service_request)


def test_an_agent_cannot_use_the_residents_pages_for_someone_elses_request(client, agent, item, service_request):
    client.force_login(agent)

    assert client.get(reverse("request-detail", args=[service_request.pk])).status_code in (403, 404)
    response = client.post(reverse("request-detail", args=[service_request.pk]), {"action": "cancel", "cancel-reason": "代撤"})
    assert response.status_code in (403, 404)
    assert client.post(new_request_url(item), request_form_data()).status_code == 403
    assert_nothing_changed(service_request)


def test_an_administrator_may_use_the_centre_pages(client, administrator, service_request):
    client.force_login(administrator)
    for url in centre_pages(service_request):
        assert client.get(url).status_code == 200, url
