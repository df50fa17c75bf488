"""Refusals of offers."""
from marketplace.errors import DomainError


class OfferTaken(DomainError):
    """Somebody else already has the job, or the offer was withdrawn."""

    code = "offer_taken"


class OfferExpired(DomainError):
    code = "offer_expired"


class DispatchInvalid(DomainError):
    code = "dispatch_invalid"
