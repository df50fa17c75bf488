"""Card payments through Stripe, against a real localstripe on 127.0.0.1, with signed webhooks."""
from decimal import Decimal

import pytest

from marketplace.payments.models import (
    LedgerKind,
    NotificationOutcome,
    Payment,
    PaymentLedgerEntry,
    PaymentNotification,
)
from marketplace.payments.models import PaymentStatus as S
from marketplace.payments.selectors import job_net_paid
from marketplace.payments.services import payment_refresh

from .conftest import STRIPE_WEBHOOK_SECRET, stripe_pay, stripe_webhook

pytestmark = [pytest.mark.django_db]


def start_card_payment(client, resident, job):
    client.force_login(resident)
    response = client.post(f"/api/payments/requests/{job.pk}/", {"method": "stripe_card"}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_resident_pays_completed_job_by_card_and_the_webhook_marks_it_paid(client, resident, job, stripe_fake_server):
    started = start_card_payment(client, resident, job)
    params = started["client_params"]
    assert params["client_secret"].startswith(params["payment_intent"] + "_secret_")
    assert started["payment"]["amount"] == "80.00" and started["payment"]["status"] == "pending"

    intent = stripe_pay(stripe_fake_server, params["payment_intent"])
    assert intent["status"] == "succeeded" and intent["amount"] == 8000 and intent["currency"] == "cny"
    response = stripe_webhook(client, "payment_intent.succeeded", intent)

    assert response.status_code == 200
    payment = Payment.objects.get(pk=started["payment"]["id"])
    assert payment.status == S.PAID and payment.provider_reference == params["payment_intent"]
    assert job_net_paid(request=job) == Decimal("80.00")
    status = client.get(f"/api/payments/requests/{job.pk}/").json()
    assert status["state"] == "paid" and status["net_paid"] == "80.00"


def test_replayed_webhook_books_the_payment_once(client, resident, job, stripe_fake_server):
    started = start_card_payment(client, resident, job)
    intent = stripe_pay(stripe_fake_server, started["client_params"]["payment_intent"])

    for _ in range(3):
        assert stripe_webhook(client, "payment_intent.succeeded", intent, event_id="evt_same").status_code == 200
    # A different event about the same PaymentIntent, and a status check, book nothing more.
    assert stripe_webhook(client, "payment_intent.succeeded", intent, event_id="evt_other").status_code == 200
    payment_refresh(payment=Payment.objects.get(pk=started["payment"]["id"]))

    assert PaymentLedgerEntry.objects.filter(payment__request=job, kind=LedgerKind.CHARGE).count() == 1
    assert job_net_paid(request=job) == Decimal("80.00")
    assert PaymentNotification.objects.filter(event_id="evt_same").count() == 1


def test_a_lost_webhook_is_made_good_by_checking_with_stripe(client, resident, job, stripe_fake_server):
    started = start_card_payment(client, resident, job)
    stripe_pay(stripe_fake_server, started["client_params"]["payment_intent"])

    response = client.post(f"/api/payments/{started['payment']['id']}/refresh/")

    assert response.status_code == 200 and response.json()["status"] == "paid"
    assert job_net_paid(request=job) == Decimal("80.00")


def test_declined_card_leaves_the_job_unpaid_and_payable(client, resident, job, stripe_fake_server):
    started = start_card_payment(client, resident, job)
    intent = stripe_pay(stripe_fake_server, started["client_params"]["payment_intent"], card="4000000000000341")
    assert intent["status"] == "requires_payment_method"

    stripe_webhook(client, "payment_intent.payment_failed", intent)

    assert Payment.objects.get(pk=started["payment"]["id"]).status == S.FAILED
    assert job_net_paid(request=job) == Decimal("0.00")
    again = start_card_payment(client, resident, job)
    assert again["payment"]["id"] != started["payment"]["id"]


def test_failed_event_after_paid_does_not_unpay_the_job(client, resident, job, stripe_fake_server):
    started = start_card_payment(client, resident, job)
    intent = stripe_pay(stripe_fake_server, started["client_params"]["payment_intent"])
    stripe_webhook(client, "payment_intent.succeeded", intent)

    late = dict(intent, status="requires_payment_method", last_payment_error={"code": "card_declined"})
    stripe_webhook(client, "payment_intent.payment_failed", late)

    assert Payment.objects.get(pk=started["payment"]["id"]).status == S.PAID
    assert job_net_paid(request=job) == Decimal("80.00")


def test_webhook_with_a_bad_signature_is_refused_logged_and_changes_nothing(client, resident, job, stripe_fake_server, caplog):
    started = start_card_payment(client, resident, job)
    intent = stripe_pay(stripe_fake_server, started["client_params"]["payment_intent"])

    wrong_secret = stripe_webhook(client, "payment_intent.succeeded", intent, secret="whsec_someone_else")
    tampered = stripe_webhook(client, "payment_intent.succeeded", intent,
                              tamper=lambda headers, body: (headers, body.replace(b'"amount": 8000', b'"amount": 1')))
    unsigned = stripe_webhook(client, "payment_intent.succeeded", intent,
                              tamper=lambda headers, body: ({}, body))

    assert wrong_secret.status_code == 401 and tampered.status_code == 401 and unsigned.status_code == 400
    assert Payment.objects.get(pk=started["payment"]["id"]).status == S.PENDING
    assert not PaymentLedgerEntry.objects.exists() and not PaymentNotification.objects.exists()
    assert sum("Refused a stripe notification" in record.getMessage() for record in caplog.records) == 3


def test_payment_for_the_wrong_amount_is_flagged_not_accepted(client, resident, job, stripe_fake_server):
    started = start_card_payment(client, resident, job)
    intent = stripe_pay(stripe_fake_server, started["client_params"]["payment_intent"])

    # Signed with our secret, but reporting ¥79.00 received for an ¥80.00 job.
    stripe_webhook(client, "payment_intent.succeeded", dict(intent, amount=7900, amount_received=7900))

    payment = Payment.objects.get(pk=started["payment"]["id"])
    assert payment.status == S.NEEDS_REVIEW and payment.flagged_at is not None
    assert "79.00" in payment.flag_reason and "80.00" in payment.flag_reason
    assert job_net_paid(request=job) == Decimal("0.00")
    assert PaymentNotification.objects.get().outcome == NotificationOutcome.FLAGGED


def test_refund_reported_before_the_payment_is_applied_once_the_payment_arrives(client, resident, job, stripe_fake_server):
    """Out of order: Stripe's refund event overtakes payment_intent.succeeded."""
    import stripe

    started = start_card_payment(client, resident, job)
    intent_id = started["client_params"]["payment_intent"]
    intent = stripe_pay(stripe_fake_server, intent_id)
    refund = stripe.StripeClient(STRIPE_WEBHOOK_SECRET.replace("whsec", "sk_test"),
                                 base_addresses={"api": stripe_fake_server.url}).v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 3000}).to_dict()

    assert stripe_webhook(client, "refund.created", refund, event_id="evt_refund").status_code == 200
    assert PaymentNotification.objects.get(event_type="refund.created").outcome == NotificationOutcome.DEFERRED
    assert job_net_paid(request=job) == Decimal("0.00")
    stripe_webhook(client, "payment_intent.succeeded", intent)
    stripe_webhook(client, "refund.created", refund, event_id="evt_refund")  # Stripe retries with the same id
    stripe_webhook(client, "charge.refunded", {"id": intent["latest_charge"]["id"], "object": "charge",
                                                "payment_intent": intent_id})  # and tells it once more

    assert Payment.objects.get(pk=started["payment"]["id"]).status == S.PAID
    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.REFUND).count() == 1
    assert job_net_paid(request=job) == Decimal("50.00")
    assert PaymentNotification.objects.get(event_type="refund.created").outcome == NotificationOutcome.PROCESSED
