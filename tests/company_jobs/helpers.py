"""Small helpers for the company portal page tests."""
from __future__ import annotations

from django.urls import reverse

MASKED_PHONE = "139****0001"
FULL_PHONE = "13900000001"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def accept(client, offer, **extra):
    return client.post(reverse("company-offer-accept", args=[offer.pk]), follow=True, **extra)


def decline(client, offer, reason: str):
    return client.post(reverse("company-offer-decline", args=[offer.pk]), {"reason": reason}, follow=True)
