"""Every completed, cancelled or transferred request enters the call-back queue; agents record calls;
three unanswered tries close it with that fact; an answered call-back closes a completed request."""
import pytest

from marketplace.models import LinkedUnit
from marketplace.models import RequestStatus as R
from marketplace.services import (
    request_cancel,
    request_transfer_to_unit,
    request_unit_report,
)
from ratings import errors
from ratings.models import CallBack
from ratings.services import callback_attempt_record, callbacks_enqueue
from tests.ratings.helpers import call_back

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def unit(town):
    return LinkedUnit.objects.create(code="ZJJ", name="邵武市住建局", kind="department", region=town,
                                     duty_contact_name="王科长", duty_contact_phone="0599-6300000")


def test_completed_cancelled_and_transferred_requests_enter_the_queue_once(job, raise_request, resident, agent, unit):
    completed = job()
    cancelled = raise_request()
    request_cancel(request=cancelled, actor=resident, reason="不需要了")
    still_working = job(until=R.ACCEPTED)
    # Public-interest work waits for an agent, who transfers it (转办) to a unit.
    transferred = raise_request(public_interest=True)
    request_transfer_to_unit(request=transferred, agent=agent, unit=unit, reason="属于住建局职责")
    assert callbacks_enqueue() == 2  # completed + cancelled; the transfer waits for the unit's report
    request_unit_report(request=transferred, actor=agent, result="已修复路灯")

    assert callbacks_enqueue() == 1
    assert callbacks_enqueue() == 0

    queued = set(CallBack.objects.values_list("request_id", flat=True))
    assert queued == {completed.pk, cancelled.pk, transferred.pk}
    assert still_working.pk not in queued
    assert CallBack.objects.get(request=transferred).linked_unit == unit


def test_three_unanswered_tries_close_the_call_back_and_the_request(job, agent):
    done = job()
    callbacks_enqueue()
    callback = CallBack.objects.get(request=done)
    for _ in range(2):
        callback = callback_attempt_record(callback=callback, agent=agent, reached=False, notes="无人接听")
    assert callback.status == CallBack.Status.OPEN
    done.refresh_from_db()
    assert done.status == R.COMPLETED

    callback = callback_attempt_record(callback=callback, agent=agent, reached=False, notes="无人接听")

    assert callback.status == CallBack.Status.UNREACHED and callback.outcome == ""
    done.refresh_from_db()
    assert done.status == R.CLOSED
    assert "3" in done.status_changes.last().reason
    with pytest.raises(errors.CallBackInvalid):
        callback_attempt_record(callback=callback, agent=agent, reached=True, outcome="satisfied")


def test_an_answered_call_back_records_the_answer_and_closes_the_request(job, agent):
    done = job()
    callback = call_back(done, agent, "basically_satisfied")
    assert callback.status == CallBack.Status.ANSWERED and callback.outcome == "basically_satisfied"
    done.refresh_from_db()
    assert done.status == R.CLOSED and done.closed_at is not None


def test_a_cancelled_request_stays_cancelled_after_its_call_back(companies, raise_request, resident, agent):
    cancelled = raise_request()
    request_cancel(request=cancelled, actor=resident, reason="不需要了")
    call_back(cancelled, agent, "satisfied")
    cancelled.refresh_from_db()
    assert cancelled.status == R.CANCELLED


def test_a_reached_call_needs_the_answer_and_an_unreached_one_has_none(job, agent):
    done = job()
    callbacks_enqueue()
    callback = CallBack.objects.get(request=done)
    with pytest.raises(errors.CallBackInvalid) as refused:
        callback_attempt_record(callback=callback, agent=agent, reached=True, outcome="")
    assert refused.value.code == "outcome_missing"
    with pytest.raises(errors.CallBackInvalid) as refused:
        callback_attempt_record(callback=callback, agent=agent, reached=False, outcome="satisfied")
    assert refused.value.code == "outcome_without_call"
    assert not callback.attempts.exists()
