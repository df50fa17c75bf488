"""Account forms: the phone field allauth shows everywhere, and the sign-up rules allauth cannot express.

Sign-up (web ``/accounts/signup/`` and headless ``auth/signup``, both built on this form): a person gives
a phone number or an email address. With a phone number the password may be left out: allauth texts a
code to confirm the number (``marketplace.adapters.SignUpPhoneVerificationStage``). With only an email
address a password is needed, since nothing else would let the person sign in again.
"""
from allauth.account.fields import PhoneField
from django import forms
from django.utils.translation import gettext_lazy as _

PHONE_HELP = _("Enter a mobile phone number: its 11 digits such as 13900000001, or with the country code "
               "such as +8613900000001.")
# allauth's "verify_phone" rate limit said no: every page that texts a code says it the same way.
TOO_MANY_CODES = _("Too many codes were asked for. Please wait a minute and try again.")


class PhoneNumberField(PhoneField):
    """allauth's phone field, which also takes the 11 digits people in China type: the value it gives
    is E.164 (13900000001 → +8613900000001), through ``marketplace.phones.normalise_mobile``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"placeholder": _("Mobile phone number"), "inputmode": "tel"})

    def to_python(self, value):
        from marketplace.phones import InvalidPhone, normalise_mobile

        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return normalise_mobile(value)
        except InvalidPhone:
            raise forms.ValidationError(PHONE_HELP, code="invalid_phone") from None


def phone_code_may_be_sent(phone: str) -> bool:
    """Whether allauth's "verify_phone" rate limit lets one more code go to ``phone`` now (not counted
    here: allauth counts it when it sends). Asked before the account is made, so a refused sign-up
    leaves nothing behind."""
    from allauth.core import context, ratelimit

    return ratelimit.consume(context.request, action="verify_phone", key=phone, dry_run=True)


class SignupExtra(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            if not self.has_error("phone") and not self.has_error("email"):
                raise forms.ValidationError(_("Give a mobile phone number or an email address."))
            return cleaned
        if cleaned.get("phone") and not phone_code_may_be_sent(cleaned["phone"]):
            self.add_error("phone", TOO_MANY_CODES)
            return cleaned
        # The web form names the password password1; the headless API names it password.
        password = cleaned.get("password1") or cleaned.get("password")
        password_typed = self.data.get("password1") or self.data.get("password")
        if not cleaned.get("phone") and not password and not password_typed:
            self.add_error(
                "password1" if "password1" in self.fields else "password" if "password" in self.fields else None,
                _("Choose a password, or sign up with a mobile phone number instead: we text you a code."),
            )
        return cleaned

    def signup(self, request, user):
        """allauth calls this after creating the user; nothing extra to store."""
