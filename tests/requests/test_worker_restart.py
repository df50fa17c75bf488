"""Offer timeouts are driven by Celery and still fire after a worker restart: the expiry task queued at
offer time sits in the broker (filesystem by default, Redis in CI's second run) while no worker runs,
and the next real worker to start expires the offer and cascades the request."""
import datetime

import pytest

from marketplace.celery import app
from marketplace.models import RequestStatus as R
from matching.models import Offer
from matching.services import requests_assign_waiting
from tests.celery_worker import run_worker_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_offer_expires_after_the_worker_was_down_when_it_was_due(companies, raise_request, time_machine, finished_tasks):
    names, event = finished_tasks
    app.control.purge()  # start from an empty queue
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0), tick=True)
    request = raise_request()  # queues "assign waiting requests" on commit
    requests_assign_waiting()  # offers company 1 and queues expire_offer with an ETA at the deadline
    offer = Offer.objects.get(request=request, status=Offer.Status.PENDING)

    # No worker is running while the offer's window passes.
    time_machine.move_to(offer.expires_at + datetime.timedelta(seconds=5), tick=True)

    # A worker starts (the "restart") and works through what waited in the broker.
    run_worker_until(event, names, "matching.tasks.expire_offer")

    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    assert request.status in (R.MATCHING, R.OFFERED)  # cascaded: back to matching, or already re-offered
    assert not Offer.objects.filter(request=request, company=companies[0], status=Offer.Status.PENDING).exists()
