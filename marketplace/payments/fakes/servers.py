"""The demo's payment fakes served on 127.0.0.1 (``manage.py payments_fakes``): localstripe, and the WeChat
Pay fake over HTTP with a page that plays the resident's phone (open the QR code's link, press pay, and
the fake sends the signed, encrypted callback to our notify URL). Development only."""
from __future__ import annotations

import html
import logging
import re
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from marketplace.payments.fakes.wechat import (
    FakeWeChatPay,
    certificate_pem,
    make_platform_certificate,
    make_rsa_key,
    private_pem,
)

logger = logging.getLogger("marketplace.payments.fakes")


def ensure_keys(*, merchant_key_path: Path, folder: Path) -> dict:
    """The merchant key (our side reads it from settings) and the fake platform key and certificate,
    made once and kept in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    merchant_key_path.parent.mkdir(parents=True, exist_ok=True)
    if not merchant_key_path.exists():
        merchant_key_path.write_text(private_pem(make_rsa_key()))
    platform_path, certificate_path = folder / "platform_key.pem", folder / "platform_certificate.pem"
    if not platform_path.exists() or not certificate_path.exists():
        platform = make_rsa_key()
        platform_path.write_text(private_pem(platform))
        certificate_path.write_text(certificate_pem(make_platform_certificate(platform)))
    load = serialization.load_pem_private_key
    return {
        "merchant": load(merchant_key_path.read_bytes(), password=None),
        "platform": load(platform_path.read_bytes(), password=None),
        "certificate": x509.load_pem_x509_certificate(certificate_path.read_bytes()),
    }


PAY_PAGE = """<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>微信支付（演示）</title>
<style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto;text-align:center}}button{{font-size:1.2rem;padding:.6rem 2rem;background:#07c160;color:#fff;border:0;border-radius:6px}}</style>
</head><body><h1>微信支付（演示）</h1><p>{description}</p><p style="font-size:2rem">¥{amount}</p><p>{state}</p>{form}</body></html>"""


class WeChatFakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeWeChatPay, host: str = "127.0.0.1", port: int = 8421):
        self.fake = fake
        super().__init__((host, port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: WeChatFakeServer

    def log_message(self, format, *args):
        logger.info("wechat fake: " + format, *args)

    def _send(self, status: int, headers: dict, body: str | bytes) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _api(self, method: str) -> None:
        fake = self.server.fake
        answer = fake.handle(method, fake.base_url + self.path, self._body() if method == "POST" else b"", self.headers)
        self._send(answer.status, answer.headers, answer.body)

    def do_GET(self):
        match = re.fullmatch(r"/fake/pay/([0-9A-Za-z_\-|*]+)", self.path)
        if match:
            return self._pay_page(match.group(1))
        return self._api("GET")

    def do_POST(self):
        match = re.fullmatch(r"/fake/pay/([0-9A-Za-z_\-|*]+)", self.path)
        if match:
            return self._pay(match.group(1))
        return self._api("POST")

    def _pay_page(self, number: str, state: str = "") -> None:
        order = self.server.fake.orders.get(number)
        if order is None:
            return self._send(404, {"Content-Type": "text/plain; charset=utf-8"}, "订单不存在")
        paid = order["trade_state"] == "SUCCESS"
        form = "" if paid else '<form method="post"><button type="submit">确认支付</button></form>'
        page = PAY_PAGE.format(description=html.escape(order["description"]), amount=f"{order['amount'] / 100:.2f}",
                               state=html.escape(state or ("已支付" if paid else "待支付")), form=form)
        self._send(200, {"Content-Type": "text/html; charset=utf-8"}, page)

    def _pay(self, number: str) -> None:
        fake = self.server.fake
        order = fake.orders.get(number)
        if order is None:
            return self._send(404, {"Content-Type": "text/plain; charset=utf-8"}, "订单不存在")
        headers, body = fake.paid_notification(number)
        request = urllib.request.Request(order["notify_url"], data=body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                state = f"已支付，商户已确认（HTTP {response.status}）"
        except urllib.error.HTTPError as exc:
            state = f"已支付，但商户回应 HTTP {exc.code}: {exc.read()[:200]!r}"
        except OSError as exc:
            state = f"已支付，但通知商户失败：{exc}"
        self._pay_page(number, state)


def wechat_fake(*, settings, keys: dict, base_url: str) -> FakeWeChatPay:
    return FakeWeChatPay(
        apiv3_key=settings.WECHATPAY_APIV3_KEY, mchid=settings.WECHATPAY_MCHID, appid=settings.WECHATPAY_APPID,
        platform_key=keys["platform"], platform_certificate=keys["certificate"],
        merchant_public_key=keys["merchant"].public_key(), base_url=base_url, pay_page_base=base_url,
    )
