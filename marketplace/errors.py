"""Errors raised by the marketplace's services. Each carries a stable code and a message for people."""
from __future__ import annotations


class DomainError(Exception):
    """Base for refusals a user can understand. ``code`` is stable; ``message`` is translated text."""

    code = "domain_error"

    def __init__(self, message, *, code: str | None = None, params: dict | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.params = params or {}

    def __str__(self) -> str:
        return str(self.message)


class PolicyMissing(DomainError):
    code = "policy_missing"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class RequestInvalid(DomainError):
    code = "request_invalid"


class NotYours(DomainError):
    """The actor has no say over this request (another company's job, another resident's request)."""

    code = "not_yours"
