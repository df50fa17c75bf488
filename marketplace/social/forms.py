"""Forms of the WeChat link pages: a phone number, then the code texted to it."""
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _


class PhoneForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The same phone field as every other allauth form (the account adapter's): mobiles only, E.164.
        self.fields["phone"] = get_account_adapter().phone_form_field(required=True, label=_("Mobile phone"))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits."), code="invalid_code")
        return code


class DisconnectForm(allauth_forms.DisconnectForm):
    """allauth's "remove a linked account" form. allauth refuses to remove the last linked account of
    someone with no password; here a person whose phone number is verified signs in by a texted code, so
    removing WeChat leaves them a way in."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as refusal:
            user = self.request.user
            if refusal.code == "no_password" and user.phone and user.phone_verified:
                return self.cleaned_data
            raise
