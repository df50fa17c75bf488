import pytest

from tests.sms import outbox as sms_outbox


@pytest.fixture
def sms(settings):
    """Texts sent during the test (settings.SMS_BACKEND points at the in-memory outbox)."""
    settings.SMS_BACKEND = "tests.sms.outbox.OutboxSmsBackend"
    sms_outbox.outbox.clear()
    yield sms_outbox
    sms_outbox.outbox.clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth's rate limits count in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
