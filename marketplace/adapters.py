"""allauth adapter: people sign in with email or mobile phone; the phone lives on our User."""
from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model

from marketplace.roles import role_group


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Everyone who signs up is a resident; other roles are granted by administrators."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:

            from marketplace.roles import Role

            user.groups.add(role_group(Role.RESIDENT))
        return user

    def clean_phone(self, phone: str) -> str:
        """Mainland mobile numbers are typed as 11 digits; store them in E.164 (+86…)."""
        from marketplace.phones import InvalidPhone, normalise_phone

        try:
            phone = normalise_phone(phone)
        except InvalidPhone:
            pass  # allauth's own validation reports it
        return super().clean_phone(phone)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        return get_user_model().objects.filter(phone=phone).order_by("pk").first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        """Sign-in codes and phone verification codes both arrive here; the SMS backend sends them."""
        from django.conf import settings
        from django.utils.translation import gettext

        from marketplace.sms import sms_send

        text = gettext("[Minsheng 110] Your code is %(code)s. It expires in %(minutes)s minutes.") % {
            "code": code, "minutes": max(1, settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60),
        }
        sms_send(phone=phone, text=text, template=settings.SMS_TEMPLATE_CODE, params={"code": code})

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """A code was asked for a number with no account: say so (allauth's enumeration prevention)."""
        from django.conf import settings
        from django.utils.translation import gettext

        from marketplace.sms import sms_send

        text = gettext("[Minsheng 110] No account uses this number. Sign up first to receive codes.")
        sms_send(phone=phone, text=text, template=settings.SMS_TEMPLATE_UNKNOWN_ACCOUNT, params={})
