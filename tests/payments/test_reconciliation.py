"""The daily reconciliation: our ledger against each provider's records of the day."""
import datetime

import pytest
import time_machine

from marketplace.payments.models import (
    MismatchKind,
    Payment,
    ReconciliationRun,
    ReconciliationStatus,
)
from marketplace.payments.services import reconciliation_run
from marketplace.payments.tasks import reconcile_yesterday

from .conftest import stripe_pay, stripe_webhook, wechat_notify

pytestmark = [pytest.mark.django_db]

DAY = datetime.date(2026, 11, 23)


def pay(client, resident, job, method):
    client.force_login(resident)
    started = client.post(f"/api/payments/requests/{job.pk}/", {"method": method}, content_type="application/json").json()
    return Payment.objects.get(pk=started["payment"]["id"]), started["client_params"]


def refund(client, administrator, payment, amount):
    client.force_login(administrator)
    response = client.post(f"/api/payments/{payment.pk}/refunds/", {"amount": amount, "reason": "投诉属实"},
                           content_type="application/json")
    assert response.status_code == 201, response.content


def test_wechat_day_with_a_payment_and_a_partial_refund_reconciles_without_mismatch(client, resident, administrator,
                                                                                   complete_job, wechat):
    job = complete_job()
    payment, _params = pay(client, resident, job, "wechat_native")
    wechat_notify(client, *wechat.paid_notification(payment.reference))
    refund(client, administrator, payment, "30.00")

    run = reconciliation_run(day=DAY, provider="wechat")

    assert run.status == ReconciliationStatus.MATCHED and not run.mismatches.exists()
    assert (run.our_charges, run.provider_charges, run.our_refunds, run.provider_refunds) == (80, 80, 30, 30)


def test_wechat_payment_whose_callback_never_came_shows_as_a_mismatch(client, resident, complete_job, wechat):
    job = complete_job()
    payment, _params = pay(client, resident, job, "wechat_native")
    wechat.pay(payment.reference)  # WeChat took the money; we never heard

    run = reconciliation_run(day=DAY, provider="wechat")

    assert run.status == ReconciliationStatus.MISMATCHED
    mismatch = run.mismatches.get()
    assert mismatch.kind == MismatchKind.MISSING_HERE and mismatch.payment == payment
    assert mismatch.our_amount is None and mismatch.provider_amount == 80


def test_stripe_day_reconciles_and_a_charge_unknown_to_us_is_listed(client, resident, administrator, complete_job,
                                                                    stripe_fake_server, finance_officer):
    job = complete_job()
    payment, params = pay(client, resident, job, "stripe_card")
    stripe_webhook(client, "payment_intent.succeeded", stripe_pay(stripe_fake_server, params["payment_intent"]))
    refund(client, administrator, payment, "10.00")

    clean = reconciliation_run(day=DAY, provider="stripe")
    assert clean.status == ReconciliationStatus.MATCHED, list(clean.mismatches.values())

    # Seed a mismatch: a second job paid at Stripe whose webhook was lost.
    other, other_params = pay(client, resident, complete_job(final_price="40.00"), "stripe_card")
    stripe_pay(stripe_fake_server, other_params["payment_intent"])
    again = reconciliation_run(day=DAY, provider="stripe", force=True)

    assert again.status == ReconciliationStatus.MISMATCHED
    mismatch = again.mismatches.get()
    assert mismatch.kind == MismatchKind.MISSING_HERE and mismatch.reference == other_params["payment_intent"]
    assert mismatch.payment == other and mismatch.provider_amount == 40
    client.force_login(finance_officer)
    page = client.get(f"/payments/finance/reconciliation/{again.pk}/").content.decode()
    assert other_params["payment_intent"] in page and "40.00" in page


def test_nightly_task_reconciles_yesterday_once_for_each_provider(wechat, stripe_fake_server, frozen_now):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 1, 0), tick=False):
        first = reconcile_yesterday()
        second = reconcile_yesterday()

    assert first == second and len(first) == 2
    runs = ReconciliationRun.objects.all()
    assert {(run.day, run.provider, run.status) for run in runs} == {
        (DAY, "wechat", ReconciliationStatus.MATCHED), (DAY, "stripe", ReconciliationStatus.MATCHED)}


def test_provider_that_cannot_be_read_gives_a_failed_run_that_is_retried(settings, wechat, frozen_now):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    failed = reconciliation_run(day=DAY, provider="stripe")
    retried = reconciliation_run(day=DAY, provider="stripe")

    assert failed.status == ReconciliationStatus.FAILED and failed.error
    assert retried.pk != failed.pk


def test_wechat_bill_that_fails_its_sha1_check_is_not_believed(client, resident, complete_job, wechat):
    job = complete_job()
    payment, _params = pay(client, resident, job, "wechat_native")
    wechat_notify(client, *wechat.paid_notification(payment.reference))
    wechat.bill_tamper = b"`2026-11-23 18:00:00,`forged\n"

    run = reconciliation_run(day=DAY, provider="wechat")

    assert run.status == ReconciliationStatus.FAILED and "SHA1" in run.error
    assert not run.mismatches.exists()


def test_day_without_transactions_at_wechat_matches_an_empty_ledger(wechat, frozen_now):
    run = reconciliation_run(day=DAY, provider="wechat")

    assert run.status == ReconciliationStatus.MATCHED and run.provider_charges == 0
