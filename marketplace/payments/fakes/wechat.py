"""A stand-in for WeChat Pay API v3, for the tests (plugged in with the ``responses`` library) and the demo
(served on 127.0.0.1 by ``manage.py payments_fakes``).

It plays WeChat's side exactly as the v3 documentation describes, written independently of our gateway
and of wechatpayv3 (only ``cryptography``): it checks the merchant's Authorization signature, signs every
answer with the platform key (Wechatpay-Signature over "timestamp\\nnonce\\nbody\\n"), serves the platform
certificate encrypted with the APIv3 key, and builds notifications encrypted with AEAD_AES_256_GCM and
signed like real callbacks. A test can also tamper with them.
"""
from __future__ import annotations

import base64
import datetime
import gzip
import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

WECHAT_API = "https://api.mch.weixin.qq.com"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
BILL_HEADER = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
               "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
               "手续费,费率,订单金额,申请退款金额,费率备注")


# --- keys ---------------------------------------------------------------------------------------


def make_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_pem(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def make_platform_certificate(key, *, serial: int | None = None, valid_days: int = 3650) -> x509.Certificate:
    """A self-signed certificate standing in for WeChat Pay's platform certificate."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA (fake)")])
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=valid_days))
        .sign(key, hashes.SHA256())
    )


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def rsa_sign(key, message: str) -> str:
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def aes_gcm_encrypt(apiv3_key: str, plaintext: str, *, associated_data: str, nonce: str | None = None) -> dict:
    nonce = nonce or secrets.token_hex(6)  # 12 characters, as WeChat sends
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(nonce.encode(), plaintext.encode(), associated_data.encode())
    return {"algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(ciphertext).decode(), "nonce": nonce,
            "associated_data": associated_data}


# --- the fake -----------------------------------------------------------------------------------


@dataclass
class FakeResponse:
    status: int
    headers: dict
    body: str | bytes


@dataclass
class FakeWeChatPay:
    apiv3_key: str
    mchid: str
    appid: str
    platform_key: rsa.RSAPrivateKey
    platform_certificate: x509.Certificate
    merchant_public_key: object | None = None  # when given, the merchant's Authorization signature is checked
    base_url: str = WECHAT_API
    pay_page_base: str = ""  # the demo's page that plays the resident's phone ("scan" the QR code)
    refund_status: str = "SUCCESS"  # what the refund API answers: SUCCESS, or PROCESSING (then a notification follows)
    orders: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    ledger: list = field(default_factory=list)  # what the trade bill lists
    calls: list = field(default_factory=list)  # (method, path) of every API call, for tests
    bills: dict = field(default_factory=dict)  # download token → gzip bytes
    bill_tamper: bytes = b""  # appended to the bill after its hash is taken (a test of the SHA1 check)

    @property
    def serial(self) -> str:
        return format(self.platform_certificate.serial_number, "X")

    # --- answers signed by the platform -------------------------------------------------------

    def signed_headers(self, body: str, *, timestamp: int | None = None, nonce: str | None = None, key=None,
                       serial: str | None = None) -> dict:
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or secrets.token_hex(16)
        return {
            "Wechatpay-Timestamp": timestamp, "Wechatpay-Nonce": nonce, "Wechatpay-Serial": serial or self.serial,
            "Wechatpay-Signature": rsa_sign(key or self.platform_key, f"{timestamp}\n{nonce}\n{body}\n"),
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        }

    def _answer(self, status: int, payload: dict | None = None) -> FakeResponse:
        body = "" if payload is None else json.dumps(payload, ensure_ascii=False)
        headers = {"Content-Type": "application/json; charset=utf-8", "Request-ID": secrets.token_hex(8),
                   **self.signed_headers(body)}
        return FakeResponse(status, headers, body)

    def _error(self, status: int, code: str, message: str) -> FakeResponse:
        return FakeResponse(status, {"Content-Type": "application/json; charset=utf-8"},
                            json.dumps({"code": code, "message": message}, ensure_ascii=False))

    # --- the merchant's signature ---------------------------------------------------------------

    def _merchant_signed(self, method: str, path: str, body: str, authorization: str) -> bool:
        if self.merchant_public_key is None:
            return True
        fields = dict(re.findall(r'(\w+)="([^"]*)"', authorization or ""))
        if not authorization.startswith("WECHATPAY2-SHA256-RSA2048 ") or fields.get("mchid") != self.mchid:
            return False
        message = f"{method}\n{path}\n{fields.get('timestamp')}\n{fields.get('nonce_str')}\n{body}\n"
        try:
            self.merchant_public_key.verify(base64.b64decode(fields.get("signature", "")), message.encode(),
                                            padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            return False
        return True

    # --- the API ------------------------------------------------------------------------------

    def handle(self, method: str, url: str, body: str | bytes | None, headers) -> FakeResponse:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        text = body.decode() if isinstance(body, bytes) else (body or "")
        self.calls.append((method, parts.path))
        if parts.path == "/v3/billdownload/file":
            token = parse_qs(parts.query).get("token", [""])[0]
            if token not in self.bills:
                return self._error(404, "RESOURCE_NOT_EXISTS", "账单不存在")
            return FakeResponse(200, {"Content-Type": "application/octet-stream"}, self.bills[token])
        if not self._merchant_signed(method, path, text, headers.get("Authorization", "")):
            return self._error(401, "SIGN_ERROR", "签名错误")
        data = json.loads(text) if text else {}
        if method == "GET" and parts.path == "/v3/certificates":
            return self._certificates()
        match = re.fullmatch(r"/v3/pay/transactions/(jsapi|native)", parts.path)
        if method == "POST" and match:
            return self._create(match.group(1), data)
        match = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)", parts.path)
        if method == "GET" and match:
            order = self.orders.get(match.group(1))
            return self._answer(200, self._transaction(order)) if order else self._error(404, "ORDER_NOT_EXIST", "订单不存在")
        match = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)/close", parts.path)
        if method == "POST" and match:
            order = self.orders.get(match.group(1))
            if order and order["trade_state"] == "NOTPAY":
                order["trade_state"] = "CLOSED"
            return self._answer(204)
        if method == "POST" and parts.path == "/v3/refund/domestic/refunds":
            return self._refund(data)
        if method == "GET" and parts.path == "/v3/bill/tradebill":
            return self._trade_bill(parse_qs(parts.query).get("bill_date", [""])[0])
        return self._error(404, "NOT_FOUND", "no such API in the fake")

    def _certificates(self) -> FakeResponse:
        now = datetime.datetime.now(SHANGHAI)
        return self._answer(200, {"data": [{
            "serial_no": self.serial,
            "effective_time": (now - datetime.timedelta(days=1)).isoformat(timespec="seconds"),
            "expire_time": (now + datetime.timedelta(days=3650)).isoformat(timespec="seconds"),
            "encrypt_certificate": aes_gcm_encrypt(self.apiv3_key, certificate_pem(self.platform_certificate),
                                                   associated_data="certificate"),
        }]})

    def _create(self, kind: str, data: dict) -> FakeResponse:
        number, amount = data.get("out_trade_no", ""), (data.get("amount") or {}).get("total")
        if not re.fullmatch(r"[0-9A-Za-z_\-|*]{6,32}", number) or not isinstance(amount, int) or amount <= 0:
            return self._error(400, "PARAM_ERROR", "参数错误")
        if data.get("mchid") != self.mchid or data.get("appid") != self.appid or not data.get("notify_url"):
            return self._error(400, "PARAM_ERROR", "商户号或应用ID不匹配")
        if kind == "jsapi" and not (data.get("payer") or {}).get("openid"):
            return self._error(400, "PARAM_ERROR", "缺少openid")
        order = self.orders.get(number)
        if order is not None and order["amount"] != amount:
            return self._error(400, "INVALID_REQUEST", "订单号重复")
        if order is None:
            order = self.orders[number] = {
                "out_trade_no": number, "amount": amount, "trade_type": kind.upper(), "trade_state": "NOTPAY",
                "transaction_id": "", "notify_url": data["notify_url"], "description": data.get("description", ""),
                "prepay_id": f"wx{secrets.token_hex(14)}", "openid": (data.get("payer") or {}).get("openid", ""),
            }
        if kind == "jsapi":
            return self._answer(200, {"prepay_id": order["prepay_id"]})
        code_url = f"{self.pay_page_base}/fake/pay/{number}" if self.pay_page_base else f"weixin://wxpay/bizpayurl?pr={order['prepay_id'][2:12]}"
        return self._answer(200, {"code_url": code_url})

    def _transaction(self, order: dict) -> dict:
        resource = {
            "appid": self.appid, "mchid": self.mchid, "out_trade_no": order["out_trade_no"],
            "trade_type": order["trade_type"], "trade_state": order["trade_state"], "trade_state_desc": order["trade_state"],
            "amount": {"total": order.get("paid", order["amount"]), "payer_total": order.get("paid", order["amount"]),
                       "currency": "CNY", "payer_currency": "CNY"},
            "payer": {"openid": order.get("openid") or "oFakeOpenId0001"},
        }
        if order["transaction_id"]:
            resource["transaction_id"] = order["transaction_id"]
            resource["success_time"] = order["success_time"]
        return resource

    def _refund(self, data: dict) -> FakeResponse:
        order = self.orders.get(data.get("out_trade_no", ""))
        amount = data.get("amount") or {}
        if order is None or order["trade_state"] not in ("SUCCESS", "REFUND"):
            return self._error(400, "INVALID_REQUEST", "订单未支付")
        number = data.get("out_refund_no", "")
        if number in self.refunds:  # WeChat answers a repeated out_refund_no with the same refund
            return self._answer(200, self._refund_resource(self.refunds[number]))
        refunded = sum(r["amount"] for r in self.refunds.values() if r["out_trade_no"] == order["out_trade_no"])
        if not isinstance(amount.get("refund"), int) or amount["refund"] <= 0 or refunded + amount["refund"] > order.get("paid", order["amount"]):
            return self._error(400, "INVALID_REQUEST", "退款金额超过订单可退金额")
        refund = self.refunds[number] = {
            "out_refund_no": number, "refund_id": f"50{secrets.randbelow(10**26):026d}", "out_trade_no": order["out_trade_no"],
            "transaction_id": order["transaction_id"], "amount": amount["refund"], "total": order["amount"],
            "status": self.refund_status, "create_time": _now_text(), "success_time": "",
            "notify_url": data.get("notify_url") or order["notify_url"],
        }
        if self.refund_status == "SUCCESS":
            self._refund_done(refund)
        order["trade_state"] = "REFUND"
        return self._answer(200, self._refund_resource(refund))

    def _refund_done(self, refund: dict) -> None:
        refund["status"], refund["success_time"] = "SUCCESS", _now_text()
        self.ledger.append({"kind": "refund", "at": time.time(), "out_trade_no": refund["out_trade_no"],
                            "transaction_id": refund["transaction_id"], "refund_id": refund["refund_id"],
                            "out_refund_no": refund["out_refund_no"], "fen": refund["amount"]})

    def _refund_resource(self, refund: dict) -> dict:
        resource = {
            "refund_id": refund["refund_id"], "out_refund_no": refund["out_refund_no"],
            "transaction_id": refund["transaction_id"], "out_trade_no": refund["out_trade_no"], "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱", "create_time": refund["create_time"], "status": refund["status"],
            "amount": {"total": refund["total"], "refund": refund["amount"], "payer_total": refund["total"],
                       "payer_refund": refund["amount"], "currency": "CNY"},
        }
        if refund["success_time"]:
            resource["success_time"] = refund["success_time"]
        return resource

    def _trade_bill(self, bill_date: str) -> FakeResponse:
        try:
            day = datetime.date.fromisoformat(bill_date)
        except ValueError:
            return self._error(400, "PARAM_ERROR", "bill_date 格式错误")
        rows = [entry for entry in self.ledger if datetime.datetime.fromtimestamp(entry["at"], SHANGHAI).date() == day]
        if not rows:
            return self._error(400, "NO_STATEMENT_EXIST", "要下载的账单不存在")
        original = self.trade_bill_text(rows).encode("utf-8")
        token = secrets.token_urlsafe(12)
        self.bills[token] = gzip.compress(original + self.bill_tamper)
        return self._answer(200, {"hash_type": "SHA1", "hash_value": hashlib.sha1(original).hexdigest(),
                                  "download_url": f"{self.base_url}/v3/billdownload/file?token={token}"})

    def trade_bill_text(self, rows: list[dict]) -> str:
        lines = [BILL_HEADER]
        for row in rows:
            when = datetime.datetime.fromtimestamp(row["at"], SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            yuan = f"{row['fen'] / 100:.2f}"
            if row["kind"] == "charge":
                values = [when, self.appid, self.mchid, "0", "", row["transaction_id"], row["out_trade_no"], "oFakeOpenId0001",
                          row["trade_type"], "SUCCESS", "OTHERS", "CNY", yuan, "0.00", "0", "0", "0.00", "0.00", "", "",
                          "民生110服务", "", "0.00", "0.60%", yuan, "0.00", ""]
            else:
                values = [when, self.appid, self.mchid, "0", "", row["transaction_id"], row["out_trade_no"], "oFakeOpenId0001",
                          "NATIVE", "REFUND", "OTHERS", "CNY", "0.00", "0.00", row["refund_id"], row["out_refund_no"], yuan,
                          "0.00", "ORIGINAL", "SUCCESS", "民生110服务", "", "0.00", "0.60%", "0.00", yuan, ""]
            lines.append(",".join(f"`{value}" for value in values))
        charges = [r for r in rows if r["kind"] == "charge"]
        refunds = [r for r in rows if r["kind"] == "refund"]
        lines.append("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额")
        lines.append(",".join(f"`{v}" for v in [len(rows), f"{sum(r['fen'] for r in charges) / 100:.2f}",
                                                   f"{sum(r['fen'] for r in refunds) / 100:.2f}", "0.00", "0.00",
                                                   f"{sum(r['fen'] for r in charges) / 100:.2f}",
                                                   f"{sum(r['fen'] for r in refunds) / 100:.2f}"]))
        return "\n".join(lines) + "\n"

    # --- what happens in the resident's WeChat ----------------------------------------------------

    def pay(self, out_trade_no: str, *, amount_fen: int | None = None) -> dict:
        """The resident pays the order (optionally a different amount, to test the check). Returns the
        transaction resource that the TRANSACTION.SUCCESS notification carries."""
        order = self.orders[out_trade_no]
        if order["trade_state"] != "SUCCESS":
            order["trade_state"] = "SUCCESS"
            order["transaction_id"] = f"42{secrets.randbelow(10**26):026d}"
            order["success_time"] = _now_text()
            order["paid"] = amount_fen if amount_fen is not None else order["amount"]
            self.ledger.append({"kind": "charge", "at": time.time(), "out_trade_no": out_trade_no,
                                "transaction_id": order["transaction_id"], "trade_type": order["trade_type"],
                                "fen": order["paid"]})
        return self._transaction(order)

    def notification(self, event_type: str, resource: dict, *, event_id: str | None = None, summary: str = "",
                     original_type: str = "transaction") -> tuple[dict, str]:
        """A callback as WeChat sends it: the resource encrypted with the APIv3 key, the body signed."""
        encrypted = aes_gcm_encrypt(self.apiv3_key, json.dumps(resource, ensure_ascii=False), associated_data=original_type)
        encrypted["original_type"] = original_type
        body = json.dumps({
            "id": event_id or secrets.token_hex(18), "create_time": _now_text(), "resource_type": "encrypt-resource",
            "event_type": event_type, "summary": summary or "支付成功", "resource": encrypted,
        }, ensure_ascii=False)
        return {"Content-Type": "application/json", **self.signed_headers(body)}, body

    def paid_notification(self, out_trade_no: str, *, amount_fen: int | None = None, event_id: str | None = None):
        return self.notification("TRANSACTION.SUCCESS", self.pay(out_trade_no, amount_fen=amount_fen), event_id=event_id)

    def refund_notification(self, out_refund_no: str, *, event_id: str | None = None):
        refund = self.refunds[out_refund_no]
        if refund["status"] != "SUCCESS":
            self._refund_done(refund)
        resource = {"mchid": self.mchid, "out_trade_no": refund["out_trade_no"], "transaction_id": refund["transaction_id"],
                    "out_refund_no": out_refund_no, "refund_id": refund["refund_id"], "refund_status": "SUCCESS",
                    "success_time": refund["success_time"], "user_received_account": "支付用户零钱",
                    "amount": {"total": refund["total"], "refund": refund["amount"], "payer_total": refund["total"],
                               "payer_refund": refund["amount"]}}
        return self.notification("REFUND.SUCCESS", resource, event_id=event_id, summary="退款成功", original_type="refund")

    # --- plugging into the `responses` library ---------------------------------------------------

    def install(self, mock) -> None:
        """Answer every call to WeChat's API host through this fake (``mock`` is a responses.RequestsMock)."""

        def callback(request):
            answer = self.handle(request.method, request.url, request.body, request.headers)
            return answer.status, answer.headers, answer.body

        pattern = re.compile(re.escape(self.base_url) + r"/v3/.*")
        for method in ("GET", "POST"):
            mock.add_callback(method, pattern, callback=callback)


def _now_text() -> str:
    return datetime.datetime.now(SHANGHAI).isoformat(timespec="seconds")
