"""Small helpers shared by the web-page tests."""
from __future__ import annotations

import datetime

from django.urls import reverse

NOW = datetime.datetime(2026, 11, 23, 10, 0)


def set_price(company, item, price, actor):
    from pricing.services import contract_price_set

    return contract_price_set(partner=company.partner, product=item, price=price, actor=actor, reason="测试")


def messages_of(response) -> list[str]:
    """The flash messages a rendered page shows."""
    return [str(message) for message in response.context["messages"]]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))
