"""Paying an approved run: the bank transfer file, WeChat Pay transfers and Stripe Connect transfers at
their HTTP boundary (the `responses` library, correctly formed and signed answers); each line records how
and when it was paid and is never paid twice."""
import base64
import csv
import io
import json
import re
import secrets
import time
from decimal import Decimal as D

import pytest
import responses
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from marketplace.payments.fakes.wechat import make_rsa_key, private_pem, public_pem
from subsidies import services
from subsidies.errors import AlreadyPaid, PayoutGatewayError, PayoutInvalid
from subsidies.gateways.stripe_connect import StripeConnectGateway
from subsidies.gateways.wechat import WeChatTransferGateway
from subsidies.models import LedgerKind, PayoutAccount, PayoutState, RunStatus

from .conftest import line_of

pytestmark = [pytest.mark.django_db]
PUBLIC_KEY_ID = "PUB_KEY_ID_0111111111111111111111111111"


def test_bank_file_lists_every_line_with_money_and_a_line_is_paid_once(client, approved_run, fiscal_year, second_officer):
    PayoutAccount.objects.create(company=fiscal_year["at_target"], account_name="邵武市第1家政服务有限公司",
                                 bank_name="中国农业银行邵武支行", bank_account="6228480000000000001")
    client.force_login(second_officer)
    response = client.get(f"/finance/subsidies/runs/{approved_run.pk}/bank-transfers.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["amount"] for r in rows] == ["34.33", "7.51", "14.12"]  # zero line left out, name order
    assert rows[0]["bank_account"] == "6228480000000000001" and rows[0]["payout_reference"].startswith("SUB2026L")

    line = line_of(approved_run, fiscal_year["at_target"])
    paid = services.payout_line_pay(line=line, method="bank", actor=second_officer, reference="ABC123")
    assert (paid.payout_state, paid.paid_via, paid.provider_reference, paid.paid_by) == (PayoutState.PAID, "bank", "ABC123", second_officer)
    assert paid.paid_at is not None
    with pytest.raises(AlreadyPaid):
        services.payout_line_pay(line=line, method="bank", actor=second_officer, reference="ABC124")
    assert line.ledger_entries.filter(kind=LedgerKind.PAYOUT).count() == 1

    assert services.payout_run_bank_paid(run=approved_run, actor=second_officer, bank_reference="B2027") == 2
    approved_run.refresh_from_db()
    assert approved_run.status == RunStatus.PAID
    with pytest.raises(PayoutInvalid):
        services.payout_line_pay(line=line_of(approved_run, fiscal_year["zero"]), method="bank", actor=second_officer,
                                 reference="X")


def _signed(platform_key, status: int, payload: dict):
    body = json.dumps(payload, ensure_ascii=False)
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    signature = base64.b64encode(platform_key.sign(f"{timestamp}\n{nonce}\n{body}\n".encode(), padding.PKCS1v15(),
                                                   hashes.SHA256())).decode()
    return status, {"Content-Type": "application/json", "Request-ID": "req-1", "Wechatpay-Timestamp": timestamp,
                    "Wechatpay-Nonce": nonce, "Wechatpay-Serial": PUBLIC_KEY_ID, "Wechatpay-Signature": signature,
                    "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}, body


def test_wechat_transfer_is_accepted_then_booked_once_when_it_succeeds(approved_run, fiscal_year, second_officer):
    merchant_key, platform_key = make_rsa_key(), make_rsa_key()
    PayoutAccount.objects.create(company=fiscal_year["at_target"], account_name="张三", wechat_openid="o-MYE42l80oelYMDE34nYD456Xoy")
    gateway = WeChatTransferGateway(mchid="1900000109", appid="wxd678efh567hg6787", apiv3_key="TestApiV3Key0123456789abcdefABCD",
                                    cert_serial_no="5157F09EFDC096DE15EBE81A47057A7232F1B8E1", private_key=private_pem(merchant_key),
                                    public_key=public_pem(platform_key), public_key_id=PUBLIC_KEY_ID)
    line = line_of(approved_run, fiscal_year["at_target"])
    sent = {}

    def create(request):
        sent.update(json.loads(request.body))
        sent["serial"] = request.headers.get("Wechatpay-Serial")
        return _signed(platform_key, 200, {"out_batch_no": sent["out_batch_no"], "batch_id": "1030000071100999991182020050700019480001",
                                            "create_time": "2027-01-05T10:00:00+08:00", "batch_status": "ACCEPTED"})

    def detail(request):
        return _signed(platform_key, 200, {"mchid": "1900000109", "out_batch_no": sent["out_batch_no"], "batch_id": "1030000071100999991182020050700019480001",
                                            "out_detail_no": sent["out_batch_no"], "detail_id": "1040000071100999991182020050700019500100",
                                            "detail_status": "SUCCESS", "transfer_amount": 3433, "transfer_remark": "2026年度民生110服务补贴",
                                            "openid": "o-MYE42l80oelYMDE34nYD456Xoy", "initiate_time": "2027-01-05T10:00:00+08:00",
                                            "update_time": "2027-01-05T10:01:00+08:00"})

    with responses.RequestsMock() as mock:
        mock.add_callback("POST", "https://api.mch.weixin.qq.com/v3/transfer/batches", callback=create)
        mock.add_callback("GET", re.compile(r"https://api\.mch\.weixin\.qq\.com/v3/transfer/batches/out-batch-no/.*"), callback=detail)
        pending = services.payout_line_pay(line=line, method="wechat", actor=second_officer, gateway=gateway)
        assert pending.payout_state == PayoutState.PROCESSING and pending.paid_at is None
        assert (sent["total_amount"], sent["total_num"]) == (3433, 1)
        assert sent["transfer_detail_list"][0]["transfer_amount"] == 3433 and sent["transfer_detail_list"][0]["user_name"] != "张三"
        assert sent["serial"] == PUBLIC_KEY_ID  # the encrypted name names the key it was encrypted with
        with pytest.raises(AlreadyPaid):
            services.payout_line_pay(line=line, method="wechat", actor=second_officer, gateway=gateway)
        paid = services.payout_line_refresh(line=line, actor=second_officer, gateway=gateway)
        services.payout_line_refresh(line=line, actor=second_officer, gateway=gateway)  # nothing more to do

    assert (paid.payout_state, paid.paid_via, paid.provider_reference) == (PayoutState.PAID, "wechat", "1040000071100999991182020050700019500100")
    assert line.ledger_entries.get(kind=LedgerKind.PAYOUT).amount == D("34.33")


def test_stripe_connect_transfer_pays_the_line_with_the_reference_as_idempotency_key(approved_run, fiscal_year, second_officer):
    PayoutAccount.objects.create(company=fiscal_year["below"], account_name="二公司", stripe_account="acct_1032D82eZvKYlo2C")
    line = line_of(approved_run, fiscal_year["below"])
    gateway = StripeConnectGateway(secret_key="sk_test_subsidies")
    with responses.RequestsMock() as mock:
        mock.add("POST", "https://api.stripe.com/v1/transfers", json={
            "id": "tr_1MiN3gLkdIwHu7ixNCZvFdgA", "object": "transfer", "amount": 751, "amount_reversed": 0,
            "balance_transaction": "txn_1MiN3gLkdIwHu7ixxapQrznl", "created": 1799200800, "currency": "cny",
            "description": "2026年度民生110服务补贴", "destination": "acct_1032D82eZvKYlo2C", "livemode": False,
            "metadata": {"payout_reference": f"SUB2026L{line.pk}A1", "line": str(line.pk)}, "reversals": {"object": "list", "data": [], "has_more": False, "url": "/v1/transfers/tr_1MiN3gLkdIwHu7ixNCZvFdgA/reversals"},
            "reversed": False, "source_transaction": None, "source_type": "card", "transfer_group": "SUB2026"})
        paid = services.payout_line_pay(line=line, method="stripe", actor=second_officer, gateway=gateway)
        sent = mock.calls[0].request
    assert "amount=751" in sent.body and "destination=acct_1032D82eZvKYlo2C" in sent.body and "currency=cny" in sent.body
    assert sent.headers["Idempotency-Key"] == f"SUB2026L{line.pk}A1"
    assert (paid.payout_state, paid.paid_via, paid.provider_reference) == (PayoutState.PAID, "stripe", "tr_1MiN3gLkdIwHu7ixNCZvFdgA")


def test_a_stripe_refusal_leaves_the_line_payable_under_a_new_reference(approved_run, fiscal_year, second_officer):
    PayoutAccount.objects.create(company=fiscal_year["below"], account_name="二公司", stripe_account="acct_missing")
    line = line_of(approved_run, fiscal_year["below"])
    with responses.RequestsMock() as mock:
        mock.add("POST", "https://api.stripe.com/v1/transfers", status=400, json={"error": {
            "type": "invalid_request_error", "code": "resource_missing", "param": "destination",
            "message": "No such destination: 'acct_missing'"}})
        with pytest.raises(PayoutGatewayError):
            services.payout_line_pay(line=line, method="stripe", actor=second_officer, gateway=StripeConnectGateway(secret_key="sk_test_x"))
    line.refresh_from_db()
    assert (line.payout_state, line.payout_attempt, line.paid_at) == (PayoutState.FAILED, 2, None)
    assert not line.ledger_entries.filter(kind=LedgerKind.PAYOUT).exists()
