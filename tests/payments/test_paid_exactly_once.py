"""A job is paid exactly once, whatever arrives and in whatever order."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.payments.models import LedgerKind, Payment, PaymentLedgerEntry
from marketplace.payments.models import PaymentStatus as S
from marketplace.payments.selectors import job_net_paid

from .conftest import stripe_pay, stripe_webhook, wechat_notify

pytestmark = [pytest.mark.django_db]


def test_second_method_paid_at_the_provider_is_flagged_as_a_duplicate(client, resident, job, wechat, stripe_fake_server):
    client.force_login(resident)
    first = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json").json()
    wechat_payment = Payment.objects.get(pk=first["payment"]["id"])
    # The resident switches to a card; the QR code had been scanned on another phone meanwhile.
    second = client.post(f"/api/payments/requests/{job.pk}/", {"method": "stripe_card"}, content_type="application/json").json()
    stripe_webhook(client, "payment_intent.succeeded", stripe_pay(stripe_fake_server, second["client_params"]["payment_intent"]))

    wechat_notify(client, *wechat.paid_notification(wechat_payment.reference))

    wechat_payment.refresh_from_db()
    assert Payment.objects.filter(request=job, status=S.PAID).count() == 1
    assert wechat_payment.status == S.NEEDS_REVIEW and "must be refunded" in wechat_payment.flag_reason
    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    assert job_net_paid(request=job) == Decimal("80.00")


def test_switching_method_cancels_the_first_payment_at_the_provider(client, resident, job, wechat, stripe_fake_server):
    client.force_login(resident)
    first = client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"}, content_type="application/json").json()

    client.post(f"/api/payments/requests/{job.pk}/", {"method": "stripe_card"}, content_type="application/json")

    cancelled = Payment.objects.get(pk=first["payment"]["id"])
    assert cancelled.status == S.CANCELLED
    assert wechat.orders[cancelled.reference]["trade_state"] == "CLOSED"


def test_the_database_refuses_a_second_paid_payment_for_a_job(job, resident):
    def paid(reference):
        return Payment.objects.create(request=job, company=job.company, resident=resident, method="cash", provider="cash",
                                      status=S.PAID, amount=Decimal("80.00"), reference=reference, created_by=resident,
                                      created_at=timezone.now())

    paid("CA1")
    with pytest.raises(IntegrityError), transaction.atomic():
        paid("CA2")


def test_an_unpaid_or_unfinished_job_cannot_be_paid(client, resident, raise_request, companies, wechat):
    request = raise_request()
    client.force_login(resident)

    response = client.post(f"/api/payments/requests/{request.pk}/", {"method": "wechat_native"}, content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "payment_not_allowed"
    assert not Payment.objects.exists()


def test_disabled_method_is_refused(client, resident, job, settings, wechat):
    settings.PAYMENT_PROVIDERS = ["cash", "wechat"]
    client.force_login(resident)

    response = client.post(f"/api/payments/requests/{job.pk}/", {"method": "stripe_card"}, content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "payment_method_not_enabled"


def test_provider_down_answers_502_and_leaves_the_job_payable(client, resident, job, settings, wechat):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    client.force_login(resident)

    response = client.post(f"/api/payments/requests/{job.pk}/", {"method": "stripe_card"}, content_type="application/json")

    assert response.status_code == 502 and response.json()["code"] == "payment_provider_error"
    assert Payment.objects.get().status == S.FAILED
    assert client.post(f"/api/payments/requests/{job.pk}/", {"method": "wechat_native"},
                       content_type="application/json").status_code == 201
