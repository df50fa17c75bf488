"""allauth adapter: people sign in with email or mobile phone; the phone lives on our User.

Sign-up makes residents only (other roles are granted by administrators). A person may sign up with
a phone number and no password: allauth then texts a six-digit code and the account is signed in once
the code is confirmed (its phone verified). Phone numbers are typed as 11 digits or in E.164; both
become E.164 through ``marketplace.phones``.
"""
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.stages import PhoneVerificationStage
from allauth.core.exceptions import RateLimited
from allauth.core.internal.httpkit import headed_redirect_response
from django.contrib import messages
from django.contrib.auth import get_user_model

from marketplace.roles import role_group

ALLAUTH_PHONE_STAGE = "allauth.account.stages.PhoneVerificationStage"


def unclaimed_sign_up(user) -> bool:
    """An account made by a sign-up with a phone number whose texted code was never confirmed. Whoever
    made it may not own the number."""
    return bool(user.pk and user.sign_up_unconfirmed and not user.phone_verified)


def sign_up_claim(user) -> None:
    """The owner of a number, proven by a texted code, takes over an unconfirmed sign-up made with it:
    the password and email whoever signed up typed are dropped, so they cannot come back with them
    (pre-account-takeover). Nothing happens to an ordinary account."""
    from allauth.account.models import EmailAddress

    if not user.sign_up_unconfirmed:
        return
    user.set_unusable_password()
    user.email = None
    user.sign_up_unconfirmed = False
    user.save(update_fields=["password", "email", "sign_up_unconfirmed"])
    EmailAddress.objects.filter(user=user).delete()


class SignUpPhoneVerificationStage(PhoneVerificationStage):
    """allauth's phone verification stage, asked at sign-up — and at a password sign-in to an
    unclaimed sign-up (``unclaimed_sign_up``).

    A sign-up that gives a phone number (with or without a password) is signed in only after the code
    texted to it is confirmed. Someone who signs up with another person's number and a password, and
    never confirms the code, cannot sign in with that password either: the code goes to the number.
    People who already have an account and sign in with their password are not stopped for an
    unverified number (hotline and demo accounts have one); their number becomes verified the first
    time they sign in by code.
    """

    def handle(self):
        if not self.login.signup and not unclaimed_sign_up(self.login.user):
            return None, True
        try:
            return super().handle()
        except RateLimited:
            # SignupExtra checked the rate limit before the account was made; this is the rare race.
            adapter = get_adapter(self.request)
            adapter.add_message(self.request, messages.ERROR, message=adapter.error_messages["rate_limited"])
            return headed_redirect_response("account_login"), False


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        """An unconfirmed sign-up becomes an ordinary account at its first sign-in. By the sign-up's own
        code (or a password sign-in that confirmed it): as it is. By a sign-in code alone: the number's
        owner claims it, and the password and email its maker typed are dropped (``sign_up_claim``)."""
        from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

        if user.sign_up_unconfirmed:
            methods = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or [{}]
            if methods[-1].get("method") == "code":
                sign_up_claim(user)
            else:
                user.sign_up_unconfirmed = False
                user.save(update_fields=["sign_up_unconfirmed"])
        return super().login(request, user)

    def save_user(self, request, user, form, commit=True):
        """Everyone who signs up is a resident; other roles are granted by administrators."""
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email or None  # phone-only sign-ups: no email (unique, so NULL rather than "")
        user.sign_up_unconfirmed = bool(user.phone and not user.phone_verified)
        if commit:
            from marketplace.roles import Role

            user.save()
            user.groups.add(role_group(Role.RESIDENT))
        return user

    def get_login_stages(self) -> list[str]:
        return [
            f"{SignUpPhoneVerificationStage.__module__}.{SignUpPhoneVerificationStage.__qualname__}"
            if stage == ALLAUTH_PHONE_STAGE else stage
            for stage in super().get_login_stages()
        ]

    # --- phone numbers ------------------------------------------------------------------------------

    def phone_form_field(self, **kwargs):
        """Every phone field allauth shows (sign-up, sign-in by code, phone change; web and headless)."""
        from marketplace.forms import PhoneNumberField

        return PhoneNumberField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        """Mainland mobile numbers are typed as 11 digits; store them in E.164 (+86…)."""
        from django import forms

        from marketplace.forms import PHONE_HELP
        from marketplace.phones import InvalidPhone, normalise_mobile

        try:
            phone = normalise_mobile(phone)
        except InvalidPhone:
            raise forms.ValidationError(PHONE_HELP, code="invalid_phone") from None
        return super().clean_phone(phone)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk is not None:  # save_user sets the phone before the new user is first saved
            user.save(update_fields=["phone", "phone_verified"])

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_phone(self, user):
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def get_user_by_phone(self, phone: str):
        """Also reached with the login field as typed (password sign-in by 13900000001)."""
        from marketplace.phones import InvalidPhone, normalise_phone

        try:
            phone = normalise_phone(phone)
        except InvalidPhone:
            return None
        return get_user_model().objects.filter(phone=phone).order_by("pk").first()

    # --- texts --------------------------------------------------------------------------------------

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        """Sign-in codes and phone verification codes (sign-up) both arrive here; the SMS backend sends them."""
        from django.conf import settings
        from django.utils.translation import gettext

        from marketplace.sms import sms_send

        text = gettext("[Minsheng 110] Your code is %(code)s. It expires in %(minutes)s minutes.") % {
            "code": code, "minutes": max(1, settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60),
        }
        sms_send(phone=phone, text=text, template=settings.SMS_TEMPLATE_CODE, params={"code": code})

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """A sign-in code was asked for a number with no account (allauth's enumeration prevention: the
        page says "code sent" either way). The text says how to sign up with this number instead."""
        from django.conf import settings
        from django.utils.translation import gettext

        from marketplace.sms import sms_send

        text = gettext("[Minsheng 110] No account uses this number yet. To make one, choose Sign up and "
                       "enter this number: we will text you a code, no password needed.")
        sms_send(phone=phone, text=text, template=settings.SMS_TEMPLATE_UNKNOWN_ACCOUNT, params={})

    def send_account_already_exists_sms(self, phone: str, **kwargs) -> None:
        """Someone tried to sign up with a number that already has an account: tell its owner, who signs
        in by code instead (the sign-up page itself does not say whether the number is taken)."""
        from django.conf import settings
        from django.utils.translation import gettext

        from marketplace.sms import sms_send

        text = gettext("[Minsheng 110] Someone tried to sign up with this number, which already has an "
                       "account. To sign in, ask for a sign-in code. If it was not you, ignore this text.")
        sms_send(phone=phone, text=text, template=settings.SMS_TEMPLATE_ACCOUNT_EXISTS, params={})
