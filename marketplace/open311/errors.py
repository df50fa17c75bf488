"""Refusals of the Open311 layer. ``Open311Error`` is answered in the spec's error format
(``<errors><error><code/><description/></error></errors>`` or a JSON list of {code, description});
``Open311ClientInvalid`` is a domain refusal of the key-issuing services."""
from __future__ import annotations

from marketplace.errors import DomainError


class Open311ClientInvalid(DomainError):
    code = "open311_client_invalid"


class Open311Error(Exception):
    """An answer the spec defines as an error: the HTTP status (404 for what does not exist, 403 for a
    missing or wrong api_key, 400 for everything else) and one description per problem."""

    def __init__(self, status: int, *descriptions):
        super().__init__("; ".join(str(d) for d in descriptions))
        self.status = status
        self.descriptions = [str(d) for d in descriptions]
