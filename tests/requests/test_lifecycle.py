"""The request lifecycle: the table of moves, every refused move, history rows, and the centre's verbs."""
import pytest

from marketplace.errors import DomainError, IllegalTransition, RequestInvalid
from marketplace.models import LinkedUnit, ServiceRequest
from marketplace.models import RequestStatus as R
from marketplace.services import (
    TRANSITIONS,
    request_cancel,
    request_create,
    request_handle_at_once,
    request_transfer_to_unit,
    request_transition,
    request_unit_report,
    resident_for_phone,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "policy")]


@pytest.mark.parametrize("start", R.values)
def test_every_move_outside_the_table_is_refused_and_writes_nothing(start, raise_request, agent):
    request = raise_request()
    ServiceRequest.objects.filter(pk=request.pk).update(status=start)
    request.refresh_from_db()
    rows = request.status_changes.count()
    for target in R.values:
        if (start, target) in TRANSITIONS:
            continue
        with pytest.raises(IllegalTransition):
            request_transition(request=request, to_status=target, actor=agent)
        request.refresh_from_db()
        assert request.status == start
    assert request.status_changes.count() == rows


def test_a_company_request_goes_to_matching_with_a_history_row(raise_request, resident):
    request = raise_request()
    assert request.status == R.MATCHING
    assert list(request.status_changes.values_list("from_status", "to_status")) == [("", R.SUBMITTED), (R.SUBMITTED, R.MATCHING)]
    assert request.response_due_at > request.created_at


def test_a_retried_create_with_the_same_idempotency_key_makes_one_request(raise_request, resident, item):
    first = raise_request(idempotency_key="abc-123")
    again, created = request_create(
        resident=resident, created_by=resident, product=item, description="再发一次", address="x",
        latitude="27.33", longitude="117.49", contact_phone="13900000001", channel="app", idempotency_key="abc-123",
    )
    assert again.pk == first.pk and created is False
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("overrides, code", [
    ({"description": "  "}, "description_missing"),
    ({"latitude": "north"}, "invalid_location"),
    ({"latitude": "95"}, "invalid_location"),
    ({"contact_phone": "call me"}, "invalid_phone"),
    ({"as_soon_as_possible": False}, "window_missing"),
    ({"answers": {"nonsense": 1}}, "unknown_question"),
])
def test_bad_input_is_refused_with_a_code_and_nothing_is_created(raise_request, overrides, code):
    with pytest.raises(DomainError) as refused:
        raise_request(**overrides)
    assert refused.value.code == code
    assert not ServiceRequest.objects.exists()


def test_resident_cancels_before_service_with_a_reason(raise_request, resident):
    request = raise_request()
    with pytest.raises(RequestInvalid):
        request_cancel(request=request, actor=resident, reason="")
    request_cancel(request=request, actor=resident, reason="不需要了")
    request.refresh_from_db()
    assert request.status == R.CANCELLED
    assert request.status_changes.last().reason == "不需要了"


def test_no_cancel_once_service_has_started(raise_request, resident):
    request = raise_request()
    ServiceRequest.objects.filter(pk=request.pk).update(status=R.IN_SERVICE)
    request.refresh_from_db()
    with pytest.raises(IllegalTransition):
        request_cancel(request=request, actor=resident, reason="太慢")
    request.refresh_from_db()
    assert request.status == R.IN_SERVICE


def test_hotline_phone_finds_the_resident_or_creates_one(resident):
    assert resident_for_phone(phone="139 0000 0001").pk == resident.pk
    caller = resident_for_phone(phone="13711112222", name="王大爷")
    assert caller.phone == "+8613711112222" and caller.groups.filter(name="resident").exists()
    assert resident_for_phone(phone="+8613711112222").pk == caller.pk


def test_handle_at_once_makes_the_agent_owner_and_closes(raise_request, agent, item):
    from marketplace.models import ServiceItemProfile

    ServiceItemProfile.objects.filter(product=item).update(served_by="centre")
    request = raise_request(channel="hotline")
    assert request.status == R.SUBMITTED
    request_handle_at_once(request=request, agent=agent, resolution="已告知社保办理地点和时间")
    request.refresh_from_db()
    assert request.status == R.CLOSED and request.owner == agent
    assert [c.to_status for c in request.status_changes.all()][-2:] == [R.HANDLED_AT_ONCE, R.CLOSED]


def test_transfer_to_a_unit_names_its_duty_contact_and_the_unit_reports_back(raise_request, agent, item):
    from marketplace.models import ServiceItemProfile

    ServiceItemProfile.objects.filter(product=item).update(served_by="unit")
    unit = LinkedUnit.objects.create(code="D01", name="市住建局", kind="department", duty_contact_name="陈科长", duty_contact_phone="0599-6300000")
    request = raise_request(channel="hotline")
    request_transfer_to_unit(request=request, agent=agent, unit=unit, reason="路灯维修属住建局")
    request.refresh_from_db()
    assert request.status == R.TRANSFERRED and request.linked_unit == unit and request.owner == agent
    assert "陈科长" in request.status_changes.last().reason
    request_unit_report(request=request, actor=agent, result="已修复")
    request.refresh_from_db()
    assert request.status == R.CLOSED and request.resolution == "已修复"


def test_owner_is_the_first_agent_and_does_not_change(raise_request, agent, item):
    from marketplace.models import ServiceItemProfile
    from tests.conftest import make_user

    ServiceItemProfile.objects.filter(product=item).update(served_by="unit")
    unit = LinkedUnit.objects.create(code="D01", name="市住建局", kind="department", duty_contact_name="陈", duty_contact_phone="1")
    request = raise_request(channel="hotline", owner=agent)
    other = make_user("agent2@example.com", "centre_agent")
    request_transfer_to_unit(request=request, agent=other, unit=unit, reason="转办")
    request.refresh_from_db()
    assert request.owner == agent


def test_residents_do_not_see_the_matchers_working_notes(companies, raise_request, resident, client):
    from matching.services import requests_assign_waiting

    request = raise_request()
    requests_assign_waiting()
    offered = request.status_changes.get(to_status=R.OFFERED)
    assert companies[0].legal_name in offered.reason
    client.force_login(resident)
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert companies[0].legal_name not in page
