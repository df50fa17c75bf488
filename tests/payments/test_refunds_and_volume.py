"""Refunds started by an administrator, through the provider, booked in the ledger and reflected in the
company's paid volume (computed in the database)."""
import datetime
from decimal import Decimal

import pytest
import time_machine

from marketplace.payments.models import (
    LedgerKind,
    Payment,
    PaymentLedgerEntry,
    RefundStatus,
)
from marketplace.payments.selectors import company_paid_volume, job_net_paid
from marketplace.payments.services import payment_confirm_cash, payment_record_cash

from .conftest import stripe_pay, stripe_webhook, wechat_notify

pytestmark = [pytest.mark.django_db]

DAY = datetime.date(2026, 11, 23)


def paid_by_card(client, resident, job, server) -> Payment:
    client.force_login(resident)
    started = client.post(f"/api/payments/requests/{job.pk}/", {"method": "stripe_card"}, content_type="application/json").json()
    stripe_webhook(client, "payment_intent.succeeded", stripe_pay(server, started["client_params"]["payment_intent"]))
    return Payment.objects.get(pk=started["payment"]["id"])


def paid_by_wechat(client, resident, job, wechat) -> Payment:
    client.force_login(resident)
    started = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json").json()
    payment = Payment.objects.get(pk=started["payment"]["id"])
    wechat_notify(client, *wechat.paid_notification(payment.reference))
    return payment


def refund(client, administrator, payment, amount, reason="投诉属实：多收费"):
    client.force_login(administrator)
    return client.post(f"/api/payments/{payment.pk}/refunds/", {"amount": amount, "reason": reason},
                       content_type="application/json")


def test_partial_refunds_by_card_lower_the_net_paid_and_the_company_volume(client, resident, administrator, job,
                                                                           stripe_fake_server):
    payment = paid_by_card(client, resident, job, stripe_fake_server)
    assert company_paid_volume(company=job.company, start=DAY, end=DAY + datetime.timedelta(days=1)) == Decimal("80.00")

    first = refund(client, administrator, payment, "30.00")

    assert first.status_code == 201 and first.json()["status"] == "succeeded"
    assert job_net_paid(request=job) == Decimal("50.00")
    assert company_paid_volume(company=job.company, start=DAY, end=DAY + datetime.timedelta(days=1)) == Decimal("50.00")
    client.force_login(resident)
    assert client.get(f"/api/payments/requests/{job.pk}/").json()["state"] == "partially_refunded"

    too_much = refund(client, administrator, payment, "50.01")
    assert too_much.status_code == 400 and too_much.json()["code"] == "refund_invalid"
    assert "50.01" in too_much.json()["detail"] and "50.00" in too_much.json()["detail"]

    assert refund(client, administrator, payment, "50.00").status_code == 201
    assert job_net_paid(request=job) == Decimal("0.00")
    client.force_login(resident)
    assert client.get(f"/api/payments/requests/{job.pk}/").json()["state"] == "refunded"
    # Stripe's own records agree: two refunds on the PaymentIntent.
    import stripe
    refunds = stripe.StripeClient("sk_test_x", base_addresses={"api": stripe_fake_server.url}).v1.refunds.list(
        params={"payment_intent": payment.provider_reference})
    assert sorted(r.amount for r in refunds.data) == [3000, 5000]


def test_wechat_refund_in_progress_is_booked_once_when_its_callback_arrives(client, resident, administrator, job, wechat):
    payment = paid_by_wechat(client, resident, job, wechat)
    wechat.refund_status = "PROCESSING"

    made = refund(client, administrator, payment, "20.00")

    assert made.status_code == 201 and made.json()["status"] == "pending"
    assert job_net_paid(request=job) == Decimal("80.00")
    # A second refund may not count the one in progress as still refundable.
    assert refund(client, administrator, payment, "60.01").json()["code"] == "refund_invalid"
    headers, body = wechat.refund_notification(made.json()["reference"])
    wechat_notify(client, headers, body)
    wechat_notify(client, headers, body)

    assert payment.refunds.get().status == RefundStatus.SUCCEEDED
    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.REFUND).count() == 1
    assert job_net_paid(request=job) == Decimal("60.00")


def test_refund_of_cash_is_recorded_in_the_ledger(client, administrator, job, company_staff, resident):
    payment = payment_record_cash(request=job, company=job.company, actor=company_staff, amount="80.00")
    payment_confirm_cash(payment=payment, actor=resident)

    assert refund(client, administrator, payment, "80.00").status_code == 201

    assert job_net_paid(request=job) == Decimal("0.00")


@pytest.mark.parametrize("who", ["agent", "finance_officer", "resident", "company_staff"])
def test_only_administrators_refund(client, request, job, company_staff, resident, who):
    payment = payment_record_cash(request=job, company=job.company, actor=company_staff, amount="80.00")
    payment_confirm_cash(payment=payment, actor=resident)

    response = refund(client, request.getfixturevalue(who), payment, "10.00")

    assert response.status_code == 403
    assert job_net_paid(request=job) == Decimal("80.00")


def test_refunds_count_in_the_period_they_were_booked(client, resident, administrator, complete_job, company_staff):
    """A closed period's volume never changes: a refund booked the next day lowers the next day's volume."""
    job = complete_job()
    payment = payment_record_cash(request=job, company=job.company, actor=job.company.partner.users.first(), amount="80.00")
    payment_confirm_cash(payment=payment, actor=resident)
    second = complete_job(final_price="40.00")
    other = payment_record_cash(request=second, company=second.company, actor=second.company.partner.users.first(),
                                amount="40.00")
    payment_confirm_cash(payment=other, actor=resident)
    next_day = DAY + datetime.timedelta(days=1)

    with time_machine.travel(datetime.datetime(2026, 11, 24, 3, 0), tick=False):
        refund(client, administrator, payment, "25.00")

    assert job.company == second.company
    assert company_paid_volume(company=job.company, start=DAY, end=next_day) == Decimal("120.00")
    assert company_paid_volume(company=job.company, start=next_day, end=next_day + datetime.timedelta(days=1)) == Decimal("-25.00")
    assert company_paid_volume(company=job.company, start=DAY, end=next_day + datetime.timedelta(days=1)) == Decimal("95.00")


def test_company_volume_is_one_database_query(job, company_staff, resident, django_assert_num_queries):
    payment = payment_record_cash(request=job, company=job.company, actor=company_staff, amount="80.00")
    payment_confirm_cash(payment=payment, actor=resident)

    with django_assert_num_queries(1):
        volume = company_paid_volume(company=job.company, start=DAY, end=DAY + datetime.timedelta(days=1))

    assert volume == Decimal("80.00")
