"""A test SMS backend that keeps messages in memory, like Django's locmem email backend."""
from marketplace.sms import SmsBackend

outbox: list[dict] = []


class OutboxSmsBackend(SmsBackend):
    def send(self, *, phone, text, template="", params=None):
        outbox.append({"phone": phone, "text": text, "template": template, "params": params or {}})


def last_code(phone: str) -> str:
    return next(m["params"]["code"] for m in reversed(outbox) if m["phone"] == phone)
