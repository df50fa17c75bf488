from tests.sms.conftest import fresh_rate_limits, sms  # noqa: F401  (SMS outbox and clean rate limits, shared)
