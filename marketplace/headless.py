"""The REST API's side of allauth.headless: app clients (the mini program) send ``Authorization: Bearer <JWT>``."""
from __future__ import annotations

from allauth.headless.contrib.rest_framework.authentication import (
    JWTTokenAuthentication,
)
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed

from marketplace.mfa import staff_mfa_missing


class JWTAuthentication(JWTTokenAuthentication):
    """allauth's access token, plus the staff two-factor rule.

    The web middleware (marketplace.mfa) cannot see token users, so the rule is applied here: a staff
    member without an authenticator gets no API access by token. With one, allauth's login flow already
    asked for the TOTP code before it issued the token.
    """

    def authenticate_credentials(self, key: str):
        user, payload = super().authenticate_credentials(key)
        if staff_mfa_missing(user):
            raise AuthenticationFailed(_("Staff accounts must set up two-factor authentication first."))
        return user, payload
