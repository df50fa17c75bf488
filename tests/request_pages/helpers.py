"""Small helpers shared by the request-page tests: what people type on the forms, and what pages show."""
from __future__ import annotations

from django.urls import reverse


def request_form_data(**overrides) -> dict:
    """What a resident types on the request page."""
    data = {
        "description": "厨房和客厅保洁",
        "address": "昭阳街道东关社区1号",
        "latitude": "27.331000",
        "longitude": "117.490000",
        "region": "",
        "when": "asap",
        "window_start": "",
        "window_end": "",
        "contact_phone": "13900000001",
        "idempotency_key": "form-key-1",
    }
    data.update(overrides)
    return data


def hotline_form_data(item, **overrides) -> dict:
    """What an agent types on the hotline screen."""
    data = {
        "phone": "13900000123",
        "name": "王阿姨",
        "item": str(item.pk),
        "description": "问一下高龄津贴怎么申请",
        "address": "东关社区5号楼",
        "latitude": "",
        "longitude": "",
        "region": "",
        "when": "asap",
        "window_start": "",
        "window_end": "",
        "idempotency_key": "call-key-1",
    }
    data.update(overrides)
    return data


def new_request_url(item) -> str:
    return f"{reverse('request-new')}?item={item.pk}"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))

