"""Stripe PaymentIntents for card payments (Stripe does not take WeChat Pay or Alipay for mainland-China
businesses, so it serves cards only).

Webhooks are believed only when ``stripe.Webhook.construct_event`` verifies the Stripe-Signature header
(t=…,v1=HMAC-SHA256 of "t.payload" with the endpoint's signing secret, within five minutes).
"""
from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.payments.errors import GatewayError, NotificationRejected
from marketplace.payments.providers import base
from marketplace.payments.providers.base import (
    ProviderChange,
    ProviderTransaction,
    RefundResult,
    StartedPayment,
)

logger = logging.getLogger("marketplace.payments")

DEFAULT_API_BASE = "https://api.stripe.com"
REFUND_EVENTS = {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}


@dataclass(frozen=True)
class StripeConfig:
    secret_key: str
    publishable_key: str
    webhook_secret: str
    api_base: str = DEFAULT_API_BASE
    js_url: str = "https://js.stripe.com/v3/"


def _at(timestamp) -> datetime.datetime:
    if timestamp:
        return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    return timezone.now()


def _id(value) -> str:
    """An expandable field: the id whether Stripe sent the id or the object."""
    if isinstance(value, dict):
        return value.get("id", "")
    return getattr(value, "id", value) or ""


class StripeGateway(base.PaymentGateway):
    provider = "stripe"

    def __init__(self, config: StripeConfig):
        self.config = config
        self.client = stripe.StripeClient(config.secret_key, base_addresses={"api": config.api_base}, max_network_retries=1)

    @classmethod
    def from_settings(cls) -> StripeGateway:
        return cls(StripeConfig(
            secret_key=settings.STRIPE_SECRET_KEY, publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
            webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
            api_base=getattr(settings, "STRIPE_API_BASE", DEFAULT_API_BASE),
            js_url=getattr(settings, "STRIPE_JS_URL", "https://js.stripe.com/v3/"),
        ))

    def _call(self, what: str, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except stripe.StripeError as exc:
            logger.warning("Stripe %s failed: %s", what, exc)
            message = getattr(exc, "user_message", None) or str(exc)
            raise GatewayError(_("Stripe refused %(what)s: %(message)s") % {"what": what, "message": message}) from exc
        except Exception as exc:
            logger.warning("Stripe %s failed: %s", what, exc)
            raise GatewayError(_("Stripe could not be reached (%(what)s); nothing was changed.") % {"what": what}) from exc

    def create_payment(self, payment, **options) -> StartedPayment:
        intent = self._call(
            _("the payment"), self.client.v1.payment_intents.create,
            params={
                "amount": base.to_fen(payment.amount), "currency": "cny", "payment_method_types": ["card"],
                "metadata": {"payment_reference": payment.reference, "request_id": str(payment.request_id)},
            },
            options={"idempotency_key": f"create-{payment.reference}"},
        )
        return StartedPayment(provider_reference=intent.id, stored={"client_secret": intent.client_secret})

    def client_params(self, payment) -> dict:
        return {
            "payment_intent": payment.provider_reference,
            "client_secret": (payment.client_data or {}).get("client_secret", ""),
            "publishable_key": self.config.publishable_key,
            "js_url": self.config.js_url,
        }

    def fetch_status(self, payment) -> list[ProviderChange]:
        intent = self._call(_("the status query"), self.client.v1.payment_intents.retrieve, payment.provider_reference)
        change = self._intent_change(intent.to_dict(), status=intent.status)
        return [change] if change else []

    def refund(self, payment, refund) -> RefundResult:
        made = self._call(
            _("the refund"), self.client.v1.refunds.create,
            params={"payment_intent": payment.provider_reference, "amount": base.to_fen(refund.amount),
                    "metadata": {"refund_reference": refund.reference}},
            options={"idempotency_key": f"refund-{refund.reference}"},
        )
        status = {"succeeded": "succeeded", "pending": "pending", "requires_action": "pending"}.get(made.status, "failed")
        return RefundResult(provider_reference=made.id, status=status, occurred_at=_at(made.created),
                            failure="" if status != "failed" else str(made.status))

    def cancel(self, payment) -> None:
        try:
            self._call(_("cancelling the payment"), self.client.v1.payment_intents.cancel, payment.provider_reference)
        except GatewayError:
            pass  # best effort: already paid or already cancelled

    # --- webhooks ------------------------------------------------------------------------------

    def parse_notification(self, request) -> base.VerifiedNotification:
        signature = request.headers.get("Stripe-Signature", "")
        if not signature:
            raise NotificationRejected("no Stripe-Signature header", status=400)
        try:
            stripe.Webhook.construct_event(request.body, signature, self.config.webhook_secret)
            event = json.loads(request.body)
        except (ValueError, stripe.SignatureVerificationError) as exc:
            raise NotificationRejected(f"signature did not verify: {exc}") from exc
        event_type = event.get("type", "")
        obj = (event.get("data") or {}).get("object") or {}
        changes: list[ProviderChange] = []
        if event_type.startswith("payment_intent."):
            change = self._intent_change(obj, status=obj.get("status"), at=event.get("created"))
            changes = [change] if change else []
        elif event_type in REFUND_EVENTS:
            change = self._refund_change(obj)
            changes = [change] if change else []
        elif event_type == "charge.refunded":
            changes = self._charge_refunds(obj)
        return base.VerifiedNotification(provider=self.provider, event_id=str(event.get("id", "")), event_type=event_type,
                                         payload=event, changes=changes)

    @staticmethod
    def _intent_change(intent: dict, *, status, at=None) -> ProviderChange | None:
        if status == "succeeded":
            kind = base.PAID
        elif status == "canceled":
            kind = base.CANCELLED
        elif status == "requires_payment_method" and intent.get("last_payment_error"):
            kind = base.FAILED
        else:
            return None
        received = intent.get("amount_received") or intent.get("amount")
        return ProviderChange(
            kind=kind, payment_reference=(intent.get("metadata") or {}).get("payment_reference", ""),
            provider_payment_reference=intent.get("id", ""),
            amount=base.from_fen(received) if received is not None else None,
            currency=str(intent.get("currency", "")).upper(), occurred_at=_at(at or intent.get("created")),
        )

    @staticmethod
    def _refund_change(refund: dict) -> ProviderChange | None:
        status = refund.get("status")
        if status == "succeeded":
            kind = base.REFUNDED
        elif status in ("failed", "canceled"):
            kind = base.REFUND_FAILED
        else:
            return None  # pending: wait for the next event
        return ProviderChange(
            kind=kind, provider_payment_reference=_id(refund.get("payment_intent")),
            amount=base.from_fen(refund.get("amount", 0)), currency=str(refund.get("currency", "")).upper(),
            occurred_at=_at(refund.get("created")),
            refund_reference=(refund.get("metadata") or {}).get("refund_reference", ""),
            provider_refund_reference=refund.get("id", ""),
        )

    def _charge_refunds(self, charge: dict) -> list[ProviderChange]:
        """charge.refunded: its refunds, from the event when it carries them, else from the API."""
        refunds = ((charge.get("refunds") or {}).get("data")) if isinstance(charge.get("refunds"), dict) else None
        if refunds is None:
            listed = self._call(_("the refund list"), self.client.v1.refunds.list, params={"charge": charge.get("id", "")})
            refunds = [refund.to_dict() for refund in listed.auto_paging_iter()]
        changes = []
        for refund in refunds:
            refund = dict(refund)
            refund.setdefault("payment_intent", charge.get("payment_intent"))
            change = self._refund_change(refund)
            if change:
                changes.append(change)
        return changes

    # --- reconciliation ------------------------------------------------------------------------

    def list_transactions(self, day: datetime.date) -> list[ProviderTransaction]:
        """Charges created on the day and refunds made on it. (Lists come newest first; the refund list is
        walked back to the start of the day. Only ``created[gt]`` is used, which every Stripe API and
        the local fake both take.)"""
        tz = timezone.get_current_timezone()
        start = int(datetime.datetime.combine(day, datetime.time.min, tzinfo=tz).timestamp())
        end = start + 24 * 3600
        transactions = []
        charges = self._call(_("the charge list"), self.client.v1.charges.list, params={"created": {"gt": start - 1}, "limit": 100})
        for charge in charges.auto_paging_iter():
            if charge.created < end and charge.status == "succeeded":
                transactions.append(ProviderTransaction(kind="charge", reference=_id(charge.payment_intent),
                                                        payment_reference="", amount=base.from_fen(charge.amount),
                                                        occurred_at=_at(charge.created)))
        refunds = self._call(_("the refund list"), self.client.v1.refunds.list, params={"limit": 100})
        for refund in refunds.auto_paging_iter():
            if refund.created < start:
                break
            if refund.created < end and refund.status == "succeeded":
                transactions.append(ProviderTransaction(kind="refund", reference=refund.id,
                                                        payment_reference=_id(refund.payment_intent),
                                                        amount=base.from_fen(refund.amount), occurred_at=_at(refund.created)))
        return transactions
