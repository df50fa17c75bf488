"""Refusals of the subsidy payout, each with a stable code."""
from marketplace.errors import DomainError


class RunInvalid(DomainError):
    code = "run_invalid"


class RunNotEditable(DomainError):
    """An approved (or reviewed) run cannot be recomputed or changed."""

    code = "run_not_editable"


class SameOfficer(DomainError):
    """The officer who started a run may not approve it."""

    code = "same_officer"


class AdjustmentInvalid(DomainError):
    code = "adjustment_invalid"


class PayoutInvalid(DomainError):
    code = "payout_invalid"


class PayoutAccountInvalid(DomainError):
    """A payout account that could not carry money (``params["field"]`` names the field)."""

    code = "payout_account_invalid"


class AlreadyPaid(DomainError):
    code = "already_paid"


class PayoutGatewayError(DomainError):
    """The payout provider could not be reached or refused; nothing was marked paid."""

    code = "payout_gateway_error"
