"""Staff two-factor: centre agents, finance officers and administrators must sign in with TOTP.

A staff member without an authenticator is sent to allauth's TOTP setup page before anything else. One
with an authenticator must have passed the second factor in this session (allauth's MFA login stage, MFA
re-authentication, or setting the authenticator up just now); otherwise they are asked for a code.
``settings.MARKETPLACE_REQUIRE_STAFF_MFA = False`` switches the rule off (tests that use force_login).
"""
from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from marketplace.roles import Role, has_role

# Pages a staff member may still open before the second factor: setting it up, proving it, signing out,
# and what those pages need. /_allauth/ is allauth's headless API, which runs its own MFA stage.
ALWAYS_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/accounts/login/",
    "/_allauth/",
    "/static/",
    "/media/",
    "/i18n/",
    "/jsi18n/",
    "/favicon.ico",
)


def staff_must_use_mfa(user) -> bool:
    return bool(getattr(settings, "MARKETPLACE_REQUIRE_STAFF_MFA", True)) and has_role(user, *Role.STAFF)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_mfa_missing(user) -> bool:
    """A staff member who has not set up TOTP (used by the token authentication, which has no session)."""
    return staff_must_use_mfa(user) and not has_totp(user)


def session_passed_mfa(request) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffTwoFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not staff_must_use_mfa(user):
            return self.get_response(request)
        if request.path.startswith(ALWAYS_ALLOWED_PREFIXES):
            return self._remember_setup(request, user)
        if not has_totp(user):
            return self._refuse(request, "mfa_setup_required",
                                _("Staff accounts must set up two-factor authentication first."),
                                reverse("mfa_activate_totp"))
        if not session_passed_mfa(request):
            return self._refuse(request, "mfa_required",
                                _("Enter the code from your authenticator app to continue."),
                                reverse("mfa_reauthenticate"))
        return self.get_response(request)

    def _remember_setup(self, request, user):
        """Setting up TOTP means typing a valid code from it: that session has passed the second factor."""
        setting_up = request.method == "POST" and request.path == reverse("mfa_activate_totp") and not has_totp(user)
        response = self.get_response(request)
        if setting_up:
            authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if authenticator is not None:
                record_authentication(request, user, "mfa", type="totp", id=authenticator.pk)
        return response

    @staticmethod
    def _refuse(request, code: str, detail: str, url: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "detail": detail}, status=403)
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
