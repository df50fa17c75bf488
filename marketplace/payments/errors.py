"""Refusals of the payments domain. Each has a stable code; the message names the rule and the numbers."""
from __future__ import annotations

from marketplace.errors import DomainError


class PaymentNotAllowed(DomainError):
    """The job cannot be paid (not completed, no final price, nothing to pay) or the actor may not do this."""

    code = "payment_not_allowed"


class MethodNotEnabled(DomainError):
    code = "payment_method_not_enabled"


class AlreadyPaid(DomainError):
    code = "already_paid"


class CashInvalid(DomainError):
    code = "cash_invalid"


class RefundInvalid(DomainError):
    code = "refund_invalid"


class FlagResolveInvalid(DomainError):
    code = "flag_resolve_invalid"


class IllegalPaymentTransition(DomainError):
    code = "illegal_payment_transition"


class GatewayError(DomainError):
    """The provider could not be reached or refused the call; nothing was changed here."""

    code = "payment_provider_error"


class NotificationRejected(Exception):
    """A provider notification whose signature (or decryption) did not verify. Never believed.
    ``status``: 400 when it is not signed at all, 401 when the signature does not verify."""

    def __init__(self, message: str, *, status: int = 401):
        super().__init__(message)
        self.status = status
