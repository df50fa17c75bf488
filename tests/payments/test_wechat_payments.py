"""WeChat Pay v3 at the HTTP boundary: the API answered through `responses` by a fake that signs like WeChat,
callbacks encrypted (AEAD_AES_256_GCM, APIv3 key) and signed (platform key) exactly as WeChat sends them."""
import base64
import json
import time
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from marketplace.payments.fakes.wechat import aes_gcm_encrypt
from marketplace.payments.models import (
    LedgerKind,
    NotificationOutcome,
    Payment,
    PaymentLedgerEntry,
    PaymentNotification,
)
from marketplace.payments.models import PaymentStatus as S
from marketplace.payments.selectors import job_net_paid

from .conftest import wechat_notify

pytestmark = [pytest.mark.django_db]


def start(client, resident, job, method="wechat_native", **extra):
    client.force_login(resident)
    return client.post(f"/api/payments/requests/{job.pk}/", {"method": method, **extra}, content_type="application/json")


def started_payment(client, resident, job, method="wechat_native", **extra) -> Payment:
    response = start(client, resident, job, method, **extra)
    assert response.status_code == 201, response.content
    return Payment.objects.get(pk=response.json()["payment"]["id"])


def test_native_payment_gives_a_code_url_and_the_signed_callback_marks_the_job_paid(client, resident, job, wechat):
    response = start(client, resident, job)
    assert response.status_code == 201
    payment = Payment.objects.get(pk=response.json()["payment"]["id"])
    assert response.json()["client_params"]["code_url"].startswith("weixin://wxpay/bizpayurl?pr=")
    order = wechat.orders[payment.reference]
    assert order["amount"] == 8000 and order["trade_type"] == "NATIVE"
    assert ("GET", "/v3/certificates") in wechat.calls or payment.pk  # downloaded once per process

    notified = wechat_notify(client, *wechat.paid_notification(payment.reference))

    assert notified.status_code == 200 and notified.json()["code"] == "SUCCESS"
    payment.refresh_from_db()
    assert payment.status == S.PAID and payment.provider_reference == wechat.orders[payment.reference]["transaction_id"]
    assert job_net_paid(request=job) == Decimal("80.00")


def test_jsapi_payment_returns_parameters_signed_with_the_merchant_key(client, resident, job, wechat, wechat_keys):
    response = start(client, resident, job, "wechat_jsapi", openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")

    assert response.status_code == 201
    params = response.json()["client_params"]
    assert params["package"].startswith("prepay_id=wx") and params["signType"] == "RSA" and params["appId"] == wechat.appid
    message = f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n".encode()
    wechat_keys["merchant"].public_key().verify(base64.b64decode(params["paySign"]), message, padding.PKCS1v15(), hashes.SHA256())


def test_jsapi_without_openid_is_refused_before_anything_is_made(client, resident, job, wechat):
    response = start(client, resident, job, "wechat_jsapi")

    assert response.status_code == 400 and response.json()["code"] == "openid_required"
    assert not Payment.objects.exists() and not wechat.orders


def test_asking_again_returns_the_open_payment_instead_of_a_second_order(client, resident, job, wechat):
    first = start(client, resident, job).json()
    second = start(client, resident, job).json()

    assert first["payment"]["id"] == second["payment"]["id"] and len(wechat.orders) == 1


def test_replayed_callback_books_the_payment_once(client, resident, job, wechat):
    payment = started_payment(client, resident, job)
    headers, body = wechat.paid_notification(payment.reference)

    for _ in range(3):
        assert wechat_notify(client, headers, body).status_code == 200
    # WeChat's status query reports the same transaction: still one charge.
    client.post(f"/api/payments/{payment.pk}/refresh/")

    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    assert PaymentNotification.objects.count() == 1
    assert job_net_paid(request=job) == Decimal("80.00")


def test_a_lost_callback_is_made_good_by_querying_wechat(client, resident, job, wechat):
    payment = started_payment(client, resident, job)
    wechat.pay(payment.reference)  # paid in WeChat; the callback never came

    response = client.post(f"/api/payments/{payment.pk}/refresh/")

    assert response.status_code == 200 and response.json()["status"] == "paid"
    assert ("GET", f"/v3/pay/transactions/out-trade-no/{payment.reference}") in wechat.calls


def tampered_body(headers, body):
    data = json.loads(body)
    data["event_type"] = "TRANSACTION.SUCCESS "  # one byte changed after signing
    return headers, json.dumps(data, ensure_ascii=False)


def signed_by_impostor(wechat, impostor_key):
    def tamper(headers, body):
        return {**headers, **wechat.signed_headers(body, key=impostor_key)}, body
    return tamper


def encrypted_with_wrong_key(wechat):
    def tamper(headers, body):
        data = json.loads(body)
        data["resource"] = {**aes_gcm_encrypt("WrongApiV3Key0123456789abcdefABC", '{"trade_state": "SUCCESS"}',
                                              associated_data="transaction"), "original_type": "transaction"}
        body = json.dumps(data, ensure_ascii=False)
        return {**headers, **wechat.signed_headers(body)}, body  # correctly signed, but not ours to decrypt
    return tamper


def stale(wechat):
    def tamper(headers, body):
        return {**headers, **wechat.signed_headers(body, timestamp=int(time.time()) - 3600)}, body
    return tamper


def unknown_serial(wechat):
    def tamper(headers, body):
        return {**headers, "Wechatpay-Serial": "7B0C1D2E3F"}, body
    return tamper


def unsigned(headers, body):
    return {"Content-Type": "application/json"}, body


@pytest.mark.parametrize("tamper, status", [
    (lambda wechat, keys: tampered_body, 401),
    (lambda wechat, keys: signed_by_impostor(wechat, keys["impostor"]), 401),
    (lambda wechat, keys: encrypted_with_wrong_key(wechat), 401),
    (lambda wechat, keys: stale(wechat), 401),
    (lambda wechat, keys: unknown_serial(wechat), 401),
    (lambda wechat, keys: unsigned, 400),
], ids=["tampered body", "impostor signature", "wrong APIv3 key", "stale timestamp", "unknown certificate", "unsigned"])
def test_unverifiable_callbacks_are_refused_logged_and_change_nothing(client, resident, job, wechat, wechat_keys, caplog,
                                                                      tamper, status):
    payment = started_payment(client, resident, job)
    headers, body = tamper(wechat, wechat_keys)(*wechat.paid_notification(payment.reference))

    response = wechat_notify(client, headers, body)

    assert response.status_code == status and response.json()["code"] == "FAIL"
    payment.refresh_from_db()
    assert payment.status == S.PENDING
    assert not PaymentLedgerEntry.objects.exists() and not PaymentNotification.objects.exists()
    assert any("Refused a wechat notification" in record.getMessage() for record in caplog.records)


def test_payment_of_the_wrong_amount_is_flagged_for_finance_not_accepted(client, resident, job, wechat):
    payment = started_payment(client, resident, job)

    wechat_notify(client, *wechat.paid_notification(payment.reference, amount_fen=1))

    payment.refresh_from_db()
    assert payment.status == S.NEEDS_REVIEW and payment.flagged_at is not None
    assert "0.01" in payment.flag_reason and "80.00" in payment.flag_reason
    assert job_net_paid(request=job) == Decimal("0.00")
    client.force_login(resident)
    assert client.get(f"/api/payments/requests/{job.pk}/").json()["state"] == "unpaid"


def test_refund_callback_before_the_payment_callback_leaves_the_job_paid_once_net_of_the_refund(client, resident, job, wechat):
    payment = started_payment(client, resident, job)
    paid_headers, paid_body = wechat.paid_notification(payment.reference)
    wechat.refund_status = "PROCESSING"
    wechat._refund({"out_trade_no": payment.reference, "out_refund_no": "DASHBOARD0001",
                    "amount": {"refund": 2000, "total": 8000, "currency": "CNY"}})  # refunded in WeChat's merchant platform
    refund_headers, refund_body = wechat.refund_notification("DASHBOARD0001")

    assert wechat_notify(client, refund_headers, refund_body).status_code == 200
    assert PaymentNotification.objects.get().outcome == NotificationOutcome.DEFERRED
    assert wechat_notify(client, paid_headers, paid_body).status_code == 200
    assert wechat_notify(client, refund_headers, refund_body).status_code == 200  # WeChat retries: nothing more

    payment.refresh_from_db()
    assert payment.status == S.PAID
    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    assert PaymentLedgerEntry.objects.filter(kind=LedgerKind.REFUND).count() == 1
    assert job_net_paid(request=job) == Decimal("60.00")
    assert payment.refunds.get().requested_by is None  # made at the provider, learnt from the callback
