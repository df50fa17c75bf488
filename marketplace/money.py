"""Money on the platform: CNY, ``Decimal``, two places (fen).

Input amounts must already be in fen: an amount with three decimal places is refused, never rounded
silently. The only rounding step is ``round_fen`` (half-up), used where a rate multiplies an amount
(subsidies); see docs/money.md.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from marketplace.errors import DomainError

FEN = Decimal("0.01")
CURRENCY = "CNY"


class InvalidAmount(DomainError):
    code = "invalid_amount"


def parse_amount(value, *, field: str = "amount") -> Decimal:
    """A non-negative amount in yuan with at most two decimal places, as an exact Decimal."""
    if isinstance(value, float):
        raise InvalidAmount(_("%(field)s must be given as text or Decimal, not a float.") % {"field": field})
    try:
        amount = Decimal(str(value).strip().replace(",", "").lstrip("¥"))
    except (InvalidOperation, ValueError):
        raise InvalidAmount(_("%(field)s: %(value)r is not an amount of money.") % {"field": field, "value": value}) from None
    if not amount.is_finite():
        raise InvalidAmount(_("%(field)s: %(value)r is not an amount of money.") % {"field": field, "value": value})
    if amount < 0:
        raise InvalidAmount(_("%(field)s may not be negative (got %(value)s).") % {"field": field, "value": amount})
    if amount != amount.quantize(FEN):
        raise InvalidAmount(
            _("%(field)s: %(value)s has more than two decimal places; amounts are in fen.") % {"field": field, "value": amount}
        )
    return amount.quantize(FEN)


def round_fen(amount: Decimal) -> Decimal:
    """The one rounding step: half-up to the fen."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def format_cny(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"
