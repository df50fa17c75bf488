"""Account forms: allauth's sign-up form gains the rule that a person gives a phone or an email."""
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupExtra(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(_("Give a mobile phone number or an email address."))
        return cleaned

    def signup(self, request, user):
        """allauth calls this after creating the user; nothing extra to store."""
