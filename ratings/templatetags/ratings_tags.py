"""Display helpers for the quality loop's pages."""
from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def percent(rate):
    """0.9987 → "99.87%"; empty → "—". For showing only (rates are compared on their counts)."""
    if rate is None or rate == "":
        return "—"
    return f"{(Decimal(rate) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@register.filter
def stars(value):
    """4 → "★★★★☆"."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return "—"
    return "★" * n + "☆" * (5 - n)


@register.filter
def cny(amount):
    if amount is None or amount == "":
        return "—"
    return f"¥{Decimal(amount):,.2f}"
