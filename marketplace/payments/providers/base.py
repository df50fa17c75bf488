"""The one interface every payment provider implements, and the plain records that cross it.

Gateways talk to the provider and verify what it says; they never touch the database. The services
(``marketplace.payments.services``) decide what a verified change means for a payment.
"""
from __future__ import annotations

import abc
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from marketplace.money import FEN

# What a verified provider message can say about a payment.
PAID = "paid"
FAILED = "failed"
CANCELLED = "cancelled"
REFUNDED = "refunded"
REFUND_FAILED = "refund_failed"


def to_fen(amount: Decimal) -> int:
    """¥80.00 → 8000. Amounts are already in fen precision (see marketplace.money), so this is exact."""
    return int((amount.quantize(FEN) * 100).to_integral_exact())


def from_fen(fen) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(FEN)


@dataclass(frozen=True)
class ProviderChange:
    """One fact the provider told us, already verified: a payment was paid / failed / cancelled, or a refund
    succeeded / failed."""

    kind: str
    payment_reference: str = ""  # our reference (WeChat out_trade_no, Stripe metadata), when the provider echoes it
    provider_payment_reference: str = ""  # WeChat transaction_id, Stripe PaymentIntent id
    amount: Decimal | None = None  # paid: the amount received; refunds: the amount refunded
    currency: str = "CNY"
    occurred_at: datetime.datetime | None = None
    refund_reference: str = ""  # our refund reference (WeChat out_refund_no, Stripe metadata)
    provider_refund_reference: str = ""  # WeChat refund_id, Stripe re_…


@dataclass
class VerifiedNotification:
    """A notification whose signature verified, with the changes it reports (none for event types we ignore)."""

    provider: str
    event_id: str
    event_type: str
    payload: dict
    changes: list[ProviderChange] = field(default_factory=list)


@dataclass
class StartedPayment:
    """What the provider gave us when a payment was created."""

    provider_reference: str = ""  # kept on the payment
    stored: dict = field(default_factory=dict)  # kept on the payment to build client params again later


@dataclass
class RefundResult:
    provider_reference: str
    status: str  # "succeeded" | "pending" | "failed"
    occurred_at: datetime.datetime | None = None
    failure: str = ""


@dataclass(frozen=True)
class ProviderTransaction:
    """One line of the provider's records for a day (reconciliation)."""

    kind: str  # "charge" | "refund"
    reference: str  # the provider's id of the transaction (as our ledger entry's ``reference``)
    payment_reference: str  # our payment reference, when the provider has it
    amount: Decimal
    occurred_at: datetime.datetime | None = None


class PaymentGateway(abc.ABC):
    provider: str = ""

    @abc.abstractmethod
    def create_payment(self, payment, **options) -> StartedPayment:
        """Ask the provider for a payment of ``payment.amount``. Raises GatewayError when it refuses."""

    @abc.abstractmethod
    def client_params(self, payment) -> dict:
        """What the resident's client needs to pay (JSAPI: signed wx.requestPayment parameters; Native:
        the code_url; Stripe: the PaymentIntent's client_secret), from what ``create_payment`` stored."""

    @abc.abstractmethod
    def parse_notification(self, request) -> VerifiedNotification:
        """Verify a notification (signature, decryption) and read it. Raises NotificationRejected."""

    @abc.abstractmethod
    def fetch_status(self, payment) -> list[ProviderChange]:
        """Ask the provider where the payment stands (when a notification is late or lost)."""

    @abc.abstractmethod
    def refund(self, payment, refund) -> RefundResult:
        """Give back ``refund.amount`` of ``payment``. Raises GatewayError when the provider refuses."""

    @abc.abstractmethod
    def cancel(self, payment) -> None:
        """Close an unpaid payment at the provider (best effort)."""

    @abc.abstractmethod
    def list_transactions(self, day: datetime.date) -> list[ProviderTransaction]:
        """The provider's charges and refunds of one day (Asia/Shanghai), for reconciliation."""
