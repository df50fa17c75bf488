"""Stripe Connect transfers (``POST /v1/transfers``): the subsidy moves from the platform's balance to
the company's connected account at once, so a created Transfer is "paid". Our payout reference is the
idempotency key and is kept in the metadata, so a retry never transfers twice.
"""
from __future__ import annotations

import datetime
import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from subsidies.errors import PayoutGatewayError
from subsidies.gateways import base

logger = logging.getLogger("subsidies.payouts")


class StripeConnectGateway(base.PayoutGateway):
    method = "stripe"

    def __init__(self, *, secret_key: str, api_base: str = "https://api.stripe.com", currency: str = "cny"):
        self.client = stripe.StripeClient(secret_key, base_addresses={"api": api_base}, max_network_retries=0)
        self.currency = currency

    @classmethod
    def from_settings(cls) -> StripeConnectGateway:
        return cls(secret_key=settings.STRIPE_SECRET_KEY, api_base=getattr(settings, "STRIPE_API_BASE", "https://api.stripe.com"))

    @staticmethod
    def _result(transfer) -> base.TransferResult:
        if getattr(transfer, "reversed", False):
            return base.TransferResult(status=base.FAILED, provider_reference=transfer.id, failure=_("reversed at Stripe"))
        return base.TransferResult(status=base.PAID, provider_reference=transfer.id,
                                   occurred_at=datetime.datetime.fromtimestamp(transfer.created, tz=datetime.UTC))

    def transfer(self, *, reference: str, amount: Decimal, account, line) -> base.TransferResult:
        if account is None or not account.stripe_account:
            raise PayoutGatewayError(_("%(company)s has no Stripe connected account in its payout account.")
                                     % {"company": line.company_name}, params={"definite": True})
        try:
            transfer = self.client.v1.transfers.create(
                params={"amount": base.to_fen(amount), "currency": self.currency, "destination": account.stripe_account,
                        "transfer_group": f"SUB{line.run.year}", "description": f"{line.run.year}年度民生110服务补贴",
                        "metadata": {"payout_reference": reference, "line": str(line.pk)}},
                options={"idempotency_key": reference},
            )
        except (stripe.InvalidRequestError, stripe.PermissionError, stripe.AuthenticationError) as exc:
            logger.warning("Stripe refused transfer %s: %s", reference, exc)
            raise PayoutGatewayError(_("Stripe refused the transfer: %(message)s") % {"message": exc.user_message or exc},
                                     params={"definite": True, "code": getattr(exc, "code", "") or ""}) from exc
        except stripe.StripeError as exc:
            logger.warning("Stripe transfer %s failed: %s", reference, exc)
            raise PayoutGatewayError(_("Stripe could not be reached; the line was not paid."),
                                     params={"definite": False}) from exc
        return self._result(transfer)

    def fetch(self, *, reference: str, line) -> base.TransferResult:
        try:
            found = self.client.v1.transfers.list(params={"transfer_group": f"SUB{line.run.year}", "limit": 100})
        except stripe.StripeError as exc:
            raise PayoutGatewayError(_("Stripe could not be reached."), params={"definite": False}) from exc
        for transfer in found.data:
            if (transfer.metadata or {}).get("payout_reference") == reference:
                return self._result(transfer)
        return base.TransferResult(status=base.PENDING)
