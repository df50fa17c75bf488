"""Two-factor tests run with the staff MFA rule on, whatever the suite-wide default for force_login tests is."""
import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)


@pytest.fixture(autouse=True)
def staff_mfa_on(settings):
    settings.MARKETPLACE_REQUIRE_STAFF_MFA = True


def totp_code(secret: str) -> str:
    import time

    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def with_totp():
    """Give a user an activated TOTP authenticator; returns its secret."""

    def activate(user) -> str:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    return activate
