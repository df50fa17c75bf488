"""``subsidies.tasks.payouts_refresh_processing`` runs on the beat schedule as the system user: a real Celery
worker picks it up from the broker, asks WeChat Pay (faked at its HTTP boundary with signed answers) about
every transfer in progress and books the one that arrived, naming the system user in the ledger."""
import base64
import json
import re
import secrets
import time

import pytest
import responses
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django.conf import settings as django_settings
from django.contrib.auth import authenticate

from marketplace.celery import app
from marketplace.payments.fakes.wechat import make_rsa_key, private_pem, public_pem
from marketplace.roles import Role, roles_of
from marketplace.system import SYSTEM_EMAIL, is_system_user, system_user
from subsidies import services
from subsidies.errors import RunInvalid
from subsidies.models import LedgerKind, PayoutAccount, PayoutState
from subsidies.tasks import payouts_refresh_processing
from tests.celery_worker import run_worker_until

from .conftest import line_of

PUBLIC_KEY_ID = "PUB_KEY_ID_0111111111111111111111111111"
API = "https://api.mch.weixin.qq.com"


def test_the_task_is_on_the_beat_schedule():
    entry = django_settings.CELERY_BEAT_SCHEDULE["subsidies-payouts-refresh"]
    assert entry["task"] == "subsidies.tasks.payouts_refresh_processing" == payouts_refresh_processing.name
    assert entry["task"] in app.tasks
    assert not entry.get("args")  # runs as the system user


@pytest.mark.django_db
def test_the_system_user_is_made_once_and_cannot_sign_in_or_act_as_finance(approved_run, fiscal_year):
    user = system_user()
    assert system_user() == user and is_system_user(user)
    assert (user.email, user.is_active, user.has_usable_password(), str(user)) == (SYSTEM_EMAIL, False, False, "系统（自动任务）")
    assert roles_of(user) == frozenset() and Role.FINANCE_OFFICER not in roles_of(user)
    assert authenticate(email=SYSTEM_EMAIL, password="") is None
    with pytest.raises(RunInvalid):  # it may check transfers, not pay, approve or adjust
        services.payout_line_pay(line=line_of(approved_run, fiscal_year["at_target"]), method="bank", actor=user,
                                 reference="X1")


def _signed(platform_key, payload: dict):
    body = json.dumps(payload, ensure_ascii=False)
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    signature = base64.b64encode(platform_key.sign(f"{timestamp}\n{nonce}\n{body}\n".encode(), padding.PKCS1v15(),
                                                   hashes.SHA256())).decode()
    return 200, {"Content-Type": "application/json", "Request-ID": "req-1", "Wechatpay-Timestamp": timestamp,
                 "Wechatpay-Nonce": nonce, "Wechatpay-Serial": PUBLIC_KEY_ID, "Wechatpay-Signature": signature,
                 "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}, body


@pytest.fixture
def wechat_keys(settings):
    merchant_key, platform_key = make_rsa_key(), make_rsa_key()
    settings.WECHATPAY_MCHID, settings.WECHATPAY_APPID = "1900000109", "wxd678efh567hg6787"
    settings.WECHATPAY_APIV3_KEY = "TestApiV3Key0123456789abcdefABCD"
    settings.WECHATPAY_CERT_SERIAL_NO = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    settings.WECHATPAY_PRIVATE_KEY, settings.WECHATPAY_PUBLIC_KEY = private_pem(merchant_key), public_pem(platform_key)
    settings.WECHATPAY_PUBLIC_KEY_ID, settings.WECHATPAY_API_BASE = PUBLIC_KEY_ID, API
    return platform_key


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_as_the_system_user_and_books_the_arrived_transfer(
        approved_run, fiscal_year, second_officer, wechat_keys, finished_tasks):
    names, event = finished_tasks
    arrived, waiting = line_of(approved_run, fiscal_year["at_target"]), line_of(approved_run, fiscal_year["below"])
    for company, openid in ((fiscal_year["at_target"], "o-MYE42l80oelYMDE34nYD456Xoy"), (fiscal_year["below"], "o-second0000000000000000000")):
        PayoutAccount.objects.create(company=company, account_name=company.legal_name, wechat_openid=openid)

    def create(request):
        sent = json.loads(request.body)
        return _signed(wechat_keys, {"out_batch_no": sent["out_batch_no"], "batch_id": f"BATCH{sent['out_batch_no']}",
                                     "create_time": "2027-01-05T10:00:00+08:00", "batch_status": "ACCEPTED"})

    def detail(request):
        reference = request.url.rsplit("/", 1)[-1]
        state = "SUCCESS" if reference.endswith(f"L{arrived.pk}A1") else "PROCESSING"
        return _signed(wechat_keys, {"mchid": "1900000109", "out_batch_no": reference, "batch_id": f"BATCH{reference}",
                                     "out_detail_no": reference, "detail_id": f"DETAIL{reference}", "detail_status": state,
                                     "transfer_amount": 100, "transfer_remark": "2026年度民生110服务补贴",
                                     "openid": "o-MYE42l80oelYMDE34nYD456Xoy", "initiate_time": "2027-01-05T10:00:00+08:00",
                                     "update_time": "2027-01-05T10:01:00+08:00"})

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback("POST", f"{API}/v3/transfer/batches", callback=create)
        mock.add_callback("GET", re.compile(rf"{re.escape(API)}/v3/transfer/batches/out-batch-no/.*"), callback=detail)
        for line in (arrived, waiting):
            sent = services.payout_line_pay(line=line, method="wechat", actor=second_officer)
            assert sent.payout_state == PayoutState.PROCESSING

        app.control.purge()  # start from an empty queue
        payouts_refresh_processing.delay()  # what beat sends, without arguments
        run_worker_until(event, names, "subsidies.tasks.payouts_refresh_processing")

    arrived.refresh_from_db()
    waiting.refresh_from_db()
    system = system_user()
    assert (arrived.payout_state, arrived.paid_by, arrived.provider_reference) == (
        PayoutState.PAID, system, f"DETAIL{arrived.payout_reference}")
    assert arrived.ledger_entries.get(kind=LedgerKind.PAYOUT).created_by == system
    assert waiting.payout_state == PayoutState.PROCESSING and waiting.paid_at is None
    assert not waiting.ledger_entries.filter(kind=LedgerKind.PAYOUT).exists()
