"""allauth.headless's password sign-in, taking the 11-digit phone numbers people type in China.

Every other headless endpoint that takes a phone number (sign-up, sign-in by code, phone change) builds its
phone field through ``AccountAdapter.phone_form_field``; ``auth/login`` alone declares allauth's E.164-only
field. This module serves allauth's own login view at the same path with the input's phone field swapped for
``marketplace.forms.PhoneNumberField``; ``marketplace/urls.py`` includes it just before allauth.headless.urls.
"""
from allauth.headless import app_settings as headless_settings
from allauth.headless.account.inputs import LoginInput
from allauth.headless.account.views import LoginView
from django.urls import path

from marketplace.forms import PhoneNumberField


class PhoneLoginInput(LoginInput):
    phone = PhoneNumberField(required=False)


class PhoneLoginView(LoginView):
    input_class = PhoneLoginInput


urlpatterns = [
    path(f"{client}/v1/auth/login", PhoneLoginView.as_api_view(client=client))
    for client in headless_settings.CLIENTS
]
