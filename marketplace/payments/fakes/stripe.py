"""localstripe (a fake, stateful Stripe server) on the loopback interface, and the two things that happen
outside our server in a real card payment: the resident's browser paying the PaymentIntent (Stripe.js),
and Stripe signing a webhook.

localstripe's command line binds every interface, so its aiohttp app is started here bound to 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import threading
import time

import stripe

DECLINED_CARD = "4000000000000341"  # localstripe: attaches, then the charge is declined
GOOD_CARD = "4242424242424242"


class LocalStripe:
    """localstripe's aiohttp app served from a background thread on 127.0.0.1 (port 0 = any free port)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host, self.port = host, port
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LocalStripe:
        self._thread = threading.Thread(target=self._serve, name="localstripe", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout=15):
            raise RuntimeError("localstripe did not start within 15 s")
        if self._error:
            raise RuntimeError(f"localstripe could not start: {self._error}")
        return self

    def _serve(self) -> None:
        import warnings

        from aiohttp import web

        with warnings.catch_warnings():  # localstripe registers plain (non-async) handlers; aiohttp warns
            warnings.simplefilter("ignore", DeprecationWarning)
            from localstripe import server
            from localstripe.resources import store

        store.dump_to_disk = lambda: None  # keep its state in memory (it would write /tmp/localstripe.pickle)
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            runner = web.AppRunner(server.app, access_log=None)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, self.host, self.port)
            loop.run_until_complete(site.start())
            self.port = runner.addresses[0][1]
        except BaseException as exc:  # noqa: BLE001 — reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()

    def flush(self) -> None:
        """Forget every object (DELETE /_config/data), so each test starts from an empty Stripe."""
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(f"{self.url}/_config/data", method="DELETE"), timeout=10).read()

    def register_webhook(self, *, url: str, secret: str, name: str = "marketplace") -> None:
        import urllib.parse
        import urllib.request

        data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/_config/webhooks/{name}", data=data), timeout=10).read()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)


def pay_with_card(*, api_base: str, secret_key: str, payment_intent: str, card: str = GOOD_CARD) -> dict:
    """What Stripe.js does in the resident's browser: a card payment method, then confirm the intent.
    Returns the PaymentIntent as a dict (status 'succeeded', or 'requires_payment_method' if declined)."""
    client = stripe.StripeClient(secret_key, base_addresses={"api": api_base})
    method = client.v1.payment_methods.create(params={
        "type": "card", "card": {"number": card, "exp_month": 12, "exp_year": 2035, "cvc": "123"}})
    client.v1.payment_intents.update(payment_intent, params={"payment_method": method.id})
    try:
        intent = client.v1.payment_intents.confirm(payment_intent)
    except stripe.CardError:
        intent = client.v1.payment_intents.retrieve(payment_intent)
    return intent.to_dict()


def signed_event(*, secret: str, event_type: str, obj: dict, event_id: str | None = None,
                 timestamp: int | None = None) -> tuple[dict, bytes]:
    """A webhook as Stripe sends it: the event JSON and Stripe-Signature: t=…,v1=HMAC-SHA256("t.payload")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    payload = json.dumps({
        "id": event_id or f"evt_{secrets.token_hex(12)}", "object": "event", "type": event_type, "created": timestamp,
        "api_version": "2025-01-01", "livemode": False, "data": {"object": obj},
    }).encode()
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}, payload
