import pytest
from django.urls import reverse
from matching.services import requests_assign_waiting
from tests.request_pages.helpers import new_request_url, hotline_form_data

pytestmark = [pytest.mark.django_db]

def test_dump(client, agent, resident, companies, raise_request, item, consultation, community, linked_unit):
    from django.conf import settings
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    r = raise_request()
    requests_assign_waiting()
    client.force_login(resident)
    open("/tmp/new.html","w").write(client.get(new_request_url(item)).content.decode())
    open("/tmp/detail.html","w").write(client.get(reverse("request-detail", args=[r.pk])).content.decode())
    open("/tmp/list.html","w").write(client.get(reverse("request-list")).content.decode())
    client.force_login(agent)
    open("/tmp/hotline.html","w").write(client.get(reverse("centre-hotline")).content.decode())
    resp = client.post(reverse("centre-hotline"), hotline_form_data(consultation, region=str(community.pk)), follow=True)
    open("/tmp/centre_q.html","w").write(resp.content.decode())
    open("/tmp/centre.html","w").write(client.get(reverse("centre-request-detail", args=[r.pk])).content.decode())
    open("/tmp/clist.html","w").write(client.get(reverse("centre-request-list")).content.decode())
    open("/tmp/sup.html","w").write(client.get(reverse("centre-supervise")).content.decode())
