"""Run the payment providers' local fakes for the demo, on 127.0.0.1 only: localstripe (with its webhooks
sent to our Stripe endpoint) and the WeChat Pay fake (API + a page that plays the resident's phone).

    python manage.py payments_fakes            # until Ctrl-C

The default settings (development) point WeChat Pay and Stripe at these ports; the WeChat merchant key
and the fake platform key/certificate are made once under var/payment-fakes/.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

HOST = "127.0.0.1"  # never every interface


def _port(url: str, default: int) -> int:
    return urlsplit(url).port or default


class Command(BaseCommand):
    help = "Run localstripe and the WeChat Pay fake on 127.0.0.1 for the demo (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
                            help="Where our site answers (Stripe webhooks are sent to SITE_URL/payments/notify/stripe/).")

    def handle(self, *args, site_url: str, **options):
        if not settings.PAYMENTS_DEMO_FAKES:
            raise CommandError("The payment fakes are for development: set PAYMENTS_DEMO_FAKES=1 (DEBUG turns it on).")
        from marketplace.payments.fakes.servers import (
            WeChatFakeServer,
            ensure_keys,
            wechat_fake,
        )
        from marketplace.payments.fakes.stripe import LocalStripe

        stripe_port = _port(settings.STRIPE_API_BASE, 8420)
        wechat_port = _port(settings.WECHATPAY_API_BASE, 8421)
        keys = ensure_keys(merchant_key_path=Path(settings.WECHATPAY_PRIVATE_KEY_PATH), folder=Path(settings.PAYMENTS_FAKES_DIR))

        stripe_server = LocalStripe(host=HOST, port=stripe_port).start()
        stripe_server.register_webhook(url=f"{site_url.rstrip('/')}/payments/notify/stripe/",
                                       secret=settings.STRIPE_WEBHOOK_SECRET)
        base_url = f"http://{HOST}:{wechat_port}"
        server = WeChatFakeServer(wechat_fake(settings=settings, keys=keys, base_url=base_url), HOST, wechat_port)
        threading.Thread(target=server.serve_forever, name="wechat-fake", daemon=True).start()
        self.stdout.write(self.style.SUCCESS(
            f"localstripe on {stripe_server.url} (webhooks → {site_url}/payments/notify/stripe/)\n"
            f"WeChat Pay fake on {base_url} (callbacks → {settings.WECHATPAY_NOTIFY_URL})\nCtrl-C stops them."
        ))
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            stripe_server.stop()
