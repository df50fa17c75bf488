"""Writes for WeChat sign-in: linking a WeChat identity to a person, and the phone code that proves them.

An identity that is not linked yet never makes an account by itself. The person proves a phone number
with an SMS code (``PhoneProof``, allauth's code-verification machinery with the same timeout and attempt
limit as phone-code sign-in); ``wechat_identity_link`` then links the identity to the account that has
that number, or to a new resident account with the number, now verified.
"""
from __future__ import annotations

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.code_verification import (
    AbstractCodeVerificationProcess,
)
from allauth.core import ratelimit
from allauth.core.internal.cryptokit import compare_user_code
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.phones import normalise_phone
from marketplace.sms import SmsError
from marketplace.social.errors import (
    AccountInactive,
    CodeNotSent,
    IdentityAlreadyLinked,
)
from marketplace.social.selectors import wechat_user_by_unionid

PENDING_SESSION_KEY = "wechat_link_pending"
PROOF_SESSION_KEY = "wechat_link_phone_proof"


# --- the identity waiting for a phone number (web) ----------------------------------------------------

def pending_link_stash(*, request, sociallogin: SocialLogin) -> None:
    request.session[PENDING_SESSION_KEY] = sociallogin.serialize()
    request.session.pop(PROOF_SESSION_KEY, None)


def pending_link(*, request) -> SocialLogin | None:
    data = request.session.get(PENDING_SESSION_KEY)
    if not data:
        return None
    try:
        return SocialLogin.deserialize(data)
    except (ValueError, SocialApp.DoesNotExist):  # tampered with, or WeChat was switched off since
        pending_link_clear(request=request)
        return None


def pending_link_clear(*, request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.pop(PROOF_SESSION_KEY, None)


# --- the phone code -----------------------------------------------------------------------------------

class PhoneProof(AbstractCodeVerificationProcess):
    """A six-digit code texted to a phone number, kept in the session beside the waiting identity."""

    def __init__(self, *, request, state: dict) -> None:
        super().__init__(
            max_attempts=account_settings.LOGIN_BY_CODE_MAX_ATTEMPTS,
            timeout=account_settings.LOGIN_BY_CODE_TIMEOUT,
            state=state,
        )
        self.request = request

    @property
    def phone(self) -> str:
        return self.state["phone"]

    @classmethod
    def start(cls, *, request, phone: str) -> PhoneProof:
        """Text a code to ``phone`` (already normalised). Refused when asked again too soon."""
        if not ratelimit.consume(request, action="verify_phone", key=phone):
            from marketplace.forms import TOO_MANY_CODES

            raise CodeNotSent(str(TOO_MANY_CODES), code="rate_limited")
        proof = cls(request=request, state=cls.initial_state(user=None, phone=phone))
        proof.send()
        return proof

    @classmethod
    def resume(cls, *, request) -> PhoneProof | None:
        state = request.session.get(PROOF_SESSION_KEY)
        if not state:
            return None
        return cls(request=request, state=state).abort_if_invalid()

    def send(self) -> None:
        adapter = get_account_adapter()
        self.state["code"] = adapter.generate_phone_verification_code(user=None, phone=self.phone)
        try:
            adapter.send_verification_code_sms(user=None, phone=self.phone, code=self.code)
        except SmsError as exc:
            self.abort()
            raise CodeNotSent(_("The text message could not be sent. Please try again later."), code="sms_failed") from exc
        self.persist()

    def check(self, code: str) -> bool:
        """True when ``code`` is the one sent; a wrong one counts, and the last allowed wrong one ends it."""
        if self.code and compare_user_code(actual=code, expected=self.code):
            return True
        self.record_invalid_attempt()
        return False

    def persist(self) -> None:
        self.request.session[PROOF_SESSION_KEY] = self.state

    def abort(self) -> None:
        self.request.session.pop(PROOF_SESSION_KEY, None)


# --- linking ------------------------------------------------------------------------------------------

def _connect(*, request, sociallogin: SocialLogin, user) -> None:
    try:
        with transaction.atomic():
            sociallogin.connect(request, user)
    except IntegrityError as exc:  # the same identity was linked a moment ago by another request
        raise IdentityAlreadyLinked(_("This WeChat account is already linked to another person.")) from exc


@transaction.atomic
def wechat_identity_link(*, request, sociallogin: SocialLogin, phone: str):
    """Link a WeChat identity to the person whose phone number was just proven by an SMS code.

    The account with that number gets the identity (and its number counts as verified); with no such
    account, a resident account is made for the number. Returns the user."""
    from marketplace.adapters import sign_up_claim
    from marketplace.services import resident_for_phone

    phone = normalise_phone(phone)
    account = sociallogin.account
    if SocialAccount.objects.filter(provider=account.provider, uid=account.uid).exists():
        raise IdentityAlreadyLinked(_("This WeChat account is already linked to another person."))
    adapter = get_account_adapter()
    user = adapter.get_user_by_phone(phone)
    if user is None:
        user = resident_for_phone(phone=phone)
    elif not user.is_active:
        raise AccountInactive(_("The account with this phone number is switched off. Call the service centre."))
    adapter.set_phone_verified(user, phone)
    sign_up_claim(user)  # an unconfirmed sign-up made with this number by someone else becomes the owner's
    _connect(request=request, sociallogin=sociallogin, user=user)
    return user


@transaction.atomic
def wechat_identity_link_by_unionid(*, request, sociallogin: SocialLogin):
    """An identity from one WeChat app whose unionid is already linked through the other app belongs to that
    person: link it to them. Returns the user, or None when the unionid names nobody (or is absent)."""
    account = sociallogin.account
    user = wechat_user_by_unionid(unionid=(account.extra_data or {}).get("unionid"), provider=account.provider)
    if user is None:
        return None
    _connect(request=request, sociallogin=sociallogin, user=user)
    return user
