"""WeChat Pay API v3 through the ``wechatpayv3`` package: JSAPI (mini program / WeChat's browser) and
Native (a QR code for the desktop web).

Notifications are believed only when wechatpayv3 verifies the Wechatpay-Signature (RSA-SHA256 over
"timestamp\\nnonce\\nbody\\n" with the platform certificate named by Wechatpay-Serial) and decrypts the
resource (AEAD_AES_256_GCM with the APIv3 key); a timestamp more than five minutes off is refused too.
Responses from the API are verified the same way by the package.
"""
from __future__ import annotations

import csv
import datetime
import gzip
import hashlib
import io
import json
import logging
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core

from marketplace.payments.errors import GatewayError, NotificationRejected
from marketplace.payments.models import PaymentMethod
from marketplace.payments.providers import base
from marketplace.payments.providers.base import (
    ProviderChange,
    ProviderTransaction,
    RefundResult,
    StartedPayment,
)

logger = logging.getLogger("marketplace.payments")

DEFAULT_API_BASE = "https://api.mch.weixin.qq.com"
NOTIFICATION_MAX_AGE_SECONDS = 300  # WeChat's advice: refuse notifications whose timestamp is 5 minutes off


class _Core(Core):
    """wechatpayv3's Core with a configurable API host (the development fake listens on loopback). The
    host must be set before the platform certificates are downloaded, which Core does in __init__."""

    def __init__(self, *, api_base: str, **kwargs):
        self._api_base = api_base.rstrip("/")
        super().__init__(**kwargs)
        self._gate_way = self._api_base

    def _init_certificates(self):
        self._gate_way = self._api_base
        super()._init_certificates()


class _WeChatPay(WeChatPay):
    """WeChatPay built on ``_Core`` (the package's __init__ builds its own Core; this mirrors it)."""

    def __init__(self, *, wechatpay_type, mchid, appid, notify_url, api_base, **core_kwargs):
        self._type = wechatpay_type
        self._mchid = mchid
        self._appid = appid
        self._notify_url = notify_url
        self._partner_mode = False
        self._core = _Core(api_base=api_base, mchid=mchid, **core_kwargs)


@dataclass(frozen=True)
class WeChatConfig:
    mchid: str
    appid: str
    apiv3_key: str
    cert_serial_no: str
    private_key: str
    notify_url: str
    api_base: str = DEFAULT_API_BASE
    cert_dir: str | None = None
    public_key: str | None = None
    public_key_id: str | None = None


def _read(path) -> str:
    return Path(path).read_text(encoding="utf-8") if path else ""


def _parse_time(value: str | None) -> datetime.datetime:
    if value:
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    return timezone.now()


def _fen_to_amount(value) -> Decimal | None:
    try:
        return base.from_fen(value)
    except (TypeError, ValueError, InvalidOperation):
        return None


class WeChatGateway(base.PaymentGateway):
    provider = "wechat"

    def __init__(self, config: WeChatConfig):
        self.config = config
        try:
            self.client = _WeChatPay(
                wechatpay_type=WeChatPayType.NATIVE, mchid=config.mchid, appid=config.appid,
                notify_url=config.notify_url, api_base=config.api_base,
                private_key=config.private_key, cert_serial_no=config.cert_serial_no, apiv3_key=config.apiv3_key,
                cert_dir=config.cert_dir, logger=logger, timeout=(5, 20),
                public_key=config.public_key or None, public_key_id=config.public_key_id or None,
            )
        except Exception as exc:  # the package raises bare Exceptions (bad key, no platform certificate)
            logger.error("WeChat Pay client could not start: %s", exc)
            raise GatewayError(_("WeChat Pay is not available at the moment; please choose another method.")) from exc

    @classmethod
    def from_settings(cls) -> WeChatGateway:
        private_key = getattr(settings, "WECHATPAY_PRIVATE_KEY", "") or _read(getattr(settings, "WECHATPAY_PRIVATE_KEY_PATH", ""))
        public_key = getattr(settings, "WECHATPAY_PUBLIC_KEY", "") or None
        if not private_key:
            raise GatewayError(_("WeChat Pay is not configured (no merchant private key)."))
        return cls(WeChatConfig(
            mchid=settings.WECHATPAY_MCHID, appid=settings.WECHATPAY_APPID, apiv3_key=settings.WECHATPAY_APIV3_KEY,
            cert_serial_no=settings.WECHATPAY_CERT_SERIAL_NO, private_key=private_key,
            notify_url=settings.WECHATPAY_NOTIFY_URL, api_base=getattr(settings, "WECHATPAY_API_BASE", DEFAULT_API_BASE),
            cert_dir=getattr(settings, "WECHATPAY_CERT_DIR", None) or None,
            public_key=public_key, public_key_id=getattr(settings, "WECHATPAY_PUBLIC_KEY_ID", "") or None,
        ))

    # --- calling WeChat ------------------------------------------------------------------------

    def _call(self, what: str, function, **kwargs) -> tuple[int, object]:
        try:
            code, body = function(**kwargs)
        except Exception as exc:  # network errors and failed response signatures alike
            logger.warning("WeChat Pay %s failed: %s", what, exc)
            raise GatewayError(_("WeChat Pay could not be reached (%(what)s); nothing was changed. Please try again.")
                               % {"what": what}) from exc
        if isinstance(body, str):
            try:
                body = json.loads(body) if body else {}
            except ValueError:
                body = {"raw": body}
        return code, body

    @staticmethod
    def _refused(what: str, code: int, body) -> GatewayError:
        message = body.get("message", "") if isinstance(body, dict) else ""
        logger.warning("WeChat Pay refused %s: HTTP %s %s", what, code, body)
        return GatewayError(_("WeChat Pay refused %(what)s: %(message)s") % {"what": what, "message": message or code},
                            params={"status": code, "code": body.get("code", "") if isinstance(body, dict) else ""})

    def create_payment(self, payment, *, openid: str = "", **options) -> StartedPayment:
        jsapi = payment.method == PaymentMethod.WECHAT_JSAPI
        if jsapi and not openid:
            raise GatewayError(_("WeChat Pay in the mini program needs the payer's openid."))
        description = f"民生110 #{payment.request_id} {payment.request.product.title}"[:127]
        code, body = self._call(
            _("creating the payment"), self.client.pay,
            description=description, out_trade_no=payment.reference,
            amount={"total": base.to_fen(payment.amount), "currency": "CNY"},
            payer={"openid": openid} if jsapi else None,
            pay_type=WeChatPayType.JSAPI if jsapi else WeChatPayType.NATIVE,
            notify_url=self.config.notify_url,
        )
        if code != 200:
            raise self._refused(_("the payment"), code, body)
        if jsapi:
            return StartedPayment(stored={"prepay_id": body["prepay_id"]})
        return StartedPayment(stored={"code_url": body["code_url"]})

    def client_params(self, payment) -> dict:
        stored = payment.client_data or {}
        if payment.method == PaymentMethod.WECHAT_NATIVE:
            return {"code_url": stored.get("code_url", "")}
        # wx.requestPayment / WeixinJSBridge: signed over appId, timeStamp, nonceStr, package (RSA).
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        package = f"prepay_id={stored.get('prepay_id', '')}"
        sign = self.client.sign([self.config.appid, timestamp, nonce, package])
        return {"appId": self.config.appid, "timeStamp": timestamp, "nonceStr": nonce, "package": package,
                "signType": "RSA", "paySign": sign}

    def fetch_status(self, payment) -> list[ProviderChange]:
        code, body = self._call(_("checking the payment"), self.client.query, out_trade_no=payment.reference)
        if code == 404:
            return []
        if code != 200:
            raise self._refused(_("the status query"), code, body)
        change = self._transaction_change(body)
        return [change] if change else []

    def refund(self, payment, refund) -> RefundResult:
        code, body = self._call(
            _("the refund"), self.client.refund,
            out_refund_no=refund.reference, out_trade_no=payment.reference,
            amount={"refund": base.to_fen(refund.amount), "total": base.to_fen(payment.amount), "currency": "CNY"},
            reason=(refund.reason or "")[:80] or None, notify_url=self.config.notify_url,
        )
        if code != 200:
            raise self._refused(_("the refund"), code, body)
        status = {"SUCCESS": "succeeded", "PROCESSING": "pending"}.get(body.get("status"), "failed")
        return RefundResult(provider_reference=body.get("refund_id", ""), status=status,
                            occurred_at=_parse_time(body.get("success_time") or body.get("create_time")),
                            failure="" if status != "failed" else str(body.get("status", "")))

    def cancel(self, payment) -> None:
        try:
            self._call(_("closing the payment"), self.client.close, out_trade_no=payment.reference)
        except GatewayError:
            pass  # best effort: a payment that still arrives is checked like any other

    # --- notifications -------------------------------------------------------------------------

    def parse_notification(self, request) -> base.VerifiedNotification:
        headers = request.headers
        body = request.body.decode("utf-8", errors="replace")
        if not headers.get("Wechatpay-Signature"):
            raise NotificationRejected("no Wechatpay-Signature header", status=400)
        try:
            sent_at = int(headers.get("Wechatpay-Timestamp", ""))
        except ValueError:
            raise NotificationRejected("missing or malformed Wechatpay-Timestamp") from None
        if abs(time.time() - sent_at) > NOTIFICATION_MAX_AGE_SECONDS:
            raise NotificationRejected(f"Wechatpay-Timestamp {sent_at} is more than {NOTIFICATION_MAX_AGE_SECONDS} s off")
        try:
            data = self.client.callback(headers, body)
        except Exception as exc:  # unknown algorithm, malformed serial, …
            raise NotificationRejected(f"verification failed: {exc}") from exc
        if not data or not isinstance(data.get("resource"), dict):
            raise NotificationRejected("bad signature, or the resource did not decrypt with the APIv3 key")
        event_type = data.get("event_type", "")
        resource = data["resource"]
        changes = []
        if event_type.startswith("TRANSACTION."):
            change = self._transaction_change(resource)
            changes = [change] if change else []
        elif event_type.startswith("REFUND."):
            changes = [self._refund_change(resource)]
        return base.VerifiedNotification(provider=self.provider, event_id=str(data.get("id", "")), event_type=event_type,
                                         payload=data, changes=changes)

    @staticmethod
    def _transaction_change(resource: dict) -> ProviderChange | None:
        state = resource.get("trade_state")
        kind = {"SUCCESS": base.PAID, "CLOSED": base.CANCELLED, "REVOKED": base.CANCELLED, "PAYERROR": base.FAILED}.get(state)
        if kind is None:
            return None  # NOTPAY, USERPAYING: nothing happened yet
        amount = resource.get("amount") or {}
        return ProviderChange(
            kind=kind, payment_reference=resource.get("out_trade_no", ""),
            provider_payment_reference=resource.get("transaction_id", ""),
            amount=_fen_to_amount(amount.get("total")), currency=amount.get("currency", "CNY"),
            occurred_at=_parse_time(resource.get("success_time")),
        )

    @staticmethod
    def _refund_change(resource: dict) -> ProviderChange:
        amount = resource.get("amount") or {}
        return ProviderChange(
            kind=base.REFUNDED if resource.get("refund_status") == "SUCCESS" else base.REFUND_FAILED,
            payment_reference=resource.get("out_trade_no", ""),
            provider_payment_reference=resource.get("transaction_id", ""),
            amount=_fen_to_amount(amount.get("refund")), currency=amount.get("currency", "CNY"),
            occurred_at=_parse_time(resource.get("success_time")),
            refund_reference=resource.get("out_refund_no", ""), provider_refund_reference=resource.get("refund_id", ""),
        )

    # --- reconciliation ------------------------------------------------------------------------

    def list_transactions(self, day: datetime.date) -> list[ProviderTransaction]:
        """Download the day's trade bill (GZIP; the original's SHA1 checked) and read its charges and refunds."""
        code, body = self._call(_("the trade bill"), self.client.trade_bill, bill_date=day.isoformat())
        if code == 400 and isinstance(body, dict) and body.get("code") == "NO_STATEMENT_EXIST":
            return []  # no transaction that day
        if code != 200:
            raise self._refused(_("the trade bill"), code, body)
        code, content = self._call(_("the bill download"), self.client.download_bill, url=body["download_url"])
        if code != 200 or not isinstance(content, bytes):
            raise self._refused(_("the bill download"), code, content if isinstance(content, dict) else {})
        try:
            original = gzip.decompress(content)
        except (OSError, EOFError) as exc:
            raise GatewayError(_("The WeChat Pay bill for %(day)s is not a readable GZIP file.") % {"day": day}) from exc
        # hash_value is the digest of the original (decompressed) bill.
        if body.get("hash_value") and hashlib.sha1(original).hexdigest().lower() != body["hash_value"].lower():
            raise GatewayError(_("The WeChat Pay bill for %(day)s failed its SHA1 check.") % {"day": day})
        return parse_trade_bill(original.decode("utf-8-sig"))


def _bill_amount(row: dict, *names: str) -> Decimal | None:
    for name in names:
        value = row.get(name, "")
        if value:
            try:
                return Decimal(value).quantize(Decimal("0.01"))
            except InvalidOperation:
                return None
    return None


def parse_trade_bill(text: str) -> list[ProviderTransaction]:
    """WeChat Pay's "ALL" trade bill: a header row, one row per transaction with every field prefixed by a
    back-tick, then a summary (总交易单数 …). SUCCESS rows are charges, REFUND rows refunds."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [name.strip() for name in rows[0]]
    transactions = []
    for raw in rows[1:]:
        if not raw or raw[0].startswith("总") or not raw[0].startswith("`"):
            break  # the summary starts
        row = dict(zip(header, (value.strip().lstrip("`") for value in raw)))
        tz = timezone.get_fixed_timezone(8 * 60)
        try:
            occurred_at = datetime.datetime.strptime(row.get("交易时间", ""), "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
        except ValueError:
            occurred_at = None
        state = row.get("交易状态")
        if state == "SUCCESS":
            amount = _bill_amount(row, "订单金额", "应结订单金额")
            transactions.append(ProviderTransaction(kind="charge", reference=row.get("微信订单号", ""),
                                                    payment_reference=row.get("商户订单号", ""), amount=amount,
                                                    occurred_at=occurred_at))
        elif state == "REFUND":
            amount = _bill_amount(row, "申请退款金额", "退款金额")
            transactions.append(ProviderTransaction(kind="refund", reference=row.get("微信退款单号", ""),
                                                    payment_reference=row.get("商户订单号", ""), amount=amount,
                                                    occurred_at=occurred_at))
    return transactions
