"""Forms of the subsidy pages. The rules live in the services (``payout_account_fields_check``); a form
only carries the fields and shows a refusal on the field it names."""
from django import forms
from django.utils.translation import gettext_lazy as _


class PayoutAccountForm(forms.Form):
    account_name = forms.CharField(label=_("Account holder"), max_length=200,
                                   help_text=_("As the bank knows it: usually the company's registered name."))
    bank_name = forms.CharField(label=_("Bank and branch"), max_length=200, required=False)
    bank_account = forms.CharField(label=_("Bank account number"), max_length=60, required=False)
    wechat_openid = forms.CharField(label=_("WeChat openid (for WeChat Pay transfers)"), max_length=64, required=False)
    stripe_account = forms.CharField(label=_("Stripe connected account"), max_length=64, required=False)
    reason = forms.CharField(label=_("Why the change (kept in the history)"), max_length=100, required=False)
