"""The payout gateway interface: send one line's subsidy to a company, and ask how it went.

An implementation raises ``subsidies.errors.PayoutGatewayError`` when it cannot tell the outcome
(network, provider error: ``params["definite"]`` False — retry with the same reference, which the provider
deduplicates) or when the provider definitively refused (``definite`` True — a new reference next time).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

PAID, PENDING, FAILED = "paid", "pending", "failed"


def to_fen(amount: Decimal) -> int:
    """Exact: amounts are already in fen."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fen")
    return int(fen)


@dataclass(frozen=True)
class TransferResult:
    status: str  # paid / pending / failed
    provider_reference: str = ""
    occurred_at: datetime.datetime | None = None
    failure: str = ""
    raw: dict = field(default_factory=dict)


class PayoutGateway:
    method = ""

    def transfer(self, *, reference: str, amount: Decimal, account, line) -> TransferResult:
        """Send ``amount`` for ``line`` to ``account`` (a PayoutAccount), under our ``reference``."""
        raise NotImplementedError

    def fetch(self, *, reference: str, line) -> TransferResult:
        """The provider's view of the transfer sent under ``reference``."""
        raise NotImplementedError
