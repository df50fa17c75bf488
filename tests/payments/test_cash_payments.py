"""Cash or transfer on site: recorded by the company, counted only when the resident (or an agent at the
call-back) confirms it."""
from decimal import Decimal

import pytest

from marketplace.payments.models import LedgerKind, Payment, PaymentLedgerEntry
from marketplace.payments.models import PaymentStatus as S
from marketplace.payments.selectors import job_net_paid

pytestmark = [pytest.mark.django_db]


def record_cash(client, staff, job, amount="80.00"):
    client.force_login(staff)
    return client.post(f"/api/payments/company/jobs/{job.pk}/cash/", {"amount": amount, "note": "现金"},
                       content_type="application/json")


def test_cash_recorded_by_the_company_counts_only_after_the_resident_confirms(client, job, company_staff, resident):
    recorded = record_cash(client, company_staff, job)
    assert recorded.status_code == 201 and recorded.json()["status"] == "pending"
    assert job_net_paid(request=job) == Decimal("0.00")

    client.force_login(resident)
    confirmed = client.post(f"/api/payments/{recorded.json()['id']}/confirm-cash/", {}, content_type="application/json")

    assert confirmed.status_code == 200 and confirmed.json()["status"] == "paid"
    payment = Payment.objects.get()
    assert payment.recorded_by == company_staff and payment.confirmed_by == resident
    assert job_net_paid(request=job) == Decimal("80.00")
    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1


def test_agent_confirms_cash_at_the_call_back(client, job, company_staff, agent):
    record_cash(client, company_staff, job)
    client.force_login(agent)

    response = client.post(f"/payments/centre/requests/{job.pk}/", {"action": "confirm_cash", "confirm-note": "回访确认"})

    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.status == S.PAID and payment.confirmed_by == agent
    assert "回访确认" in payment.status_changes.last().reason


def test_cash_of_another_amount_than_the_final_price_is_refused(client, job, company_staff):
    response = record_cash(client, company_staff, job, amount="70.00")

    assert response.status_code == 400 and response.json()["code"] == "cash_invalid"
    assert "70.00" in response.json()["detail"] and "80.00" in response.json()["detail"]
    assert not Payment.objects.exists()


def test_cash_cannot_be_recorded_twice_or_after_the_job_is_paid(client, job, company_staff, resident):
    first = record_cash(client, company_staff, job)
    assert record_cash(client, company_staff, job).json()["code"] == "cash_invalid"
    client.force_login(resident)
    client.post(f"/api/payments/{first.json()['id']}/confirm-cash/", {}, content_type="application/json")

    again = record_cash(client, company_staff, job)

    assert again.status_code == 400 and again.json()["code"] == "already_paid"
    assert Payment.objects.count() == 1


def test_resident_disputes_recorded_cash_and_finance_sees_it(client, job, company_staff, resident, finance_officer):
    record_cash(client, company_staff, job)
    client.force_login(resident)

    client.post(f"/payments/request/{job.pk}/", {"action": "dispute_cash", "dispute-reason": "我没有付现金"})

    payment = Payment.objects.get()
    assert payment.status == S.NEEDS_REVIEW and "我没有付现金" in payment.flag_reason
    assert job_net_paid(request=job) == Decimal("0.00")
    client.force_login(finance_officer)
    assert "我没有付现金" in client.get("/payments/finance/reconciliation/").content.decode()


def test_a_job_paid_in_cash_cannot_be_paid_again_online(client, job, company_staff, resident, wechat):
    recorded = record_cash(client, company_staff, job)
    client.force_login(resident)
    client.post(f"/api/payments/{recorded.json()['id']}/confirm-cash/", {}, content_type="application/json")

    response = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "already_paid"
    assert not wechat.orders


def test_cash_confirmation_cancels_an_unfinished_online_payment(client, job, company_staff, resident, wechat):
    client.force_login(resident)
    online = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json").json()
    recorded = record_cash(client, company_staff, job)
    client.force_login(resident)

    client.post(f"/api/payments/{recorded.json()['id']}/confirm-cash/", {}, content_type="application/json")

    online_payment = Payment.objects.get(pk=online["payment"]["id"])
    assert online_payment.status == S.CANCELLED
    assert wechat.orders[online_payment.reference]["trade_state"] == "CLOSED"


def test_recorded_cash_must_be_confirmed_or_disputed_before_paying_online(client, job, company_staff, resident, wechat):
    record_cash(client, company_staff, job)
    client.force_login(resident)

    response = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "cash_awaiting_confirmation"
    assert Payment.objects.get().status == S.PENDING and not wechat.orders
