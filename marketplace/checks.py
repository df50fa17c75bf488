"""System checks that catch a deployment mistake before the first request does."""
from django.conf import settings
from django.core.checks import Error, register


@register()
def policy_and_money_settings(app_configs, **kwargs):
    errors = []
    if settings.OSCAR_DEFAULT_CURRENCY != "CNY":
        errors.append(Error("OSCAR_DEFAULT_CURRENCY must be CNY: every amount on the platform is in yuan.", id="marketplace.E001"))
    return errors
