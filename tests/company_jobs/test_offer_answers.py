"""Accepting and declining offers in the portal: one winner, late answers refused with a clear
message, a decline needs a reason and passes the request on."""
import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import RequestStatus as R
from matching.models import Offer
from matching.services import requests_assign_waiting
from tests.company_jobs.helpers import FULL_PHONE, accept, decline

pytestmark = [pytest.mark.django_db]


def expiry_time(offer) -> str:
    return timezone.localtime(offer.expires_at).strftime("%H:%M:%S")


def test_accepted_offer_becomes_a_job_with_the_full_phone(client, staff, offered, companies):
    offer = offered()
    client.force_login(staff[0])
    response = accept(client, offer)
    assert response.status_code == 200
    assert "You accepted request" in response.content.decode()
    offer.request.refresh_from_db()
    assert offer.request.status == R.ACCEPTED and offer.request.company == companies[0]
    jobs = client.get(reverse("company-jobs")).content.decode()
    assert f"#{offer.request_id} 日常保洁" in jobs
    assert FULL_PHONE in jobs
    assert reverse("company-job-set-off", args=[offer.request_id]) in jobs


def test_second_accept_is_told_the_job_is_taken(client, staff, offered):
    offer = offered()
    client.force_login(staff[0])
    accept(client, offer)
    response = accept(client, offer)
    page = response.content.decode()
    assert "Too late: this request has been taken or withdrawn." in page
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.ACCEPTED


def test_late_accept_is_told_the_offer_expired_and_nothing_changes(client, staff, offered, frozen_now):
    offer = offered()
    frozen_now.shift(91)
    client.force_login(staff[0])
    response = accept(client, offer)
    assert f"Too late: the offer expired at {expiry_time(offer)}." in response.content.decode()
    offer.refresh_from_db()
    offer.request.refresh_from_db()
    assert offer.status == Offer.Status.PENDING  # the expiry worker, not the click, closes it
    assert offer.request.status == R.OFFERED and offer.request.company is None


def test_accept_after_the_expiry_worker_ran_still_says_expired(client, staff, offered, frozen_now):
    from matching.services import offers_expire_due

    offer = offered()
    frozen_now.shift(91)
    offers_expire_due()
    client.force_login(staff[0])
    response = accept(client, offer)
    assert f"Too late: the offer expired at {expiry_time(offer)}." in response.content.decode()


def test_decline_with_a_reason_passes_the_request_to_the_next_company(client, staff, offered, companies):
    offer = offered()
    client.force_login(staff[0])
    response = decline(client, offer, "师傅都在外面")
    assert "You declined request" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED and offer.decline_reason == "师傅都在外面"
    requests_assign_waiting()
    client.force_login(staff[1])
    inbox = client.get(reverse("company-offers")).content.decode()
    assert f"#{offer.request_id} 日常保洁" in inbox
    assert Offer.objects.get(request=offer.request, status=Offer.Status.PENDING).company == companies[1]


def test_decline_without_a_reason_is_refused_on_the_field(client, staff, offered):
    offer = offered()
    client.force_login(staff[0])
    response = decline(client, offer, "   ")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why you decline." in page
    assert f'id="offer-{offer.pk}"' in page
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING


def test_pages_refuse_get_on_answers(client, staff, offered):
    offer = offered()
    client.force_login(staff[0])
    assert client.get(reverse("company-offer-accept", args=[offer.pk])).status_code == 405
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.PENDING
