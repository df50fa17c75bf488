"""Forms of the payment pages. Amounts are taken as text and checked by the services (parse_amount), so
the user sees the same message as the API gives."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.payments.models import FlagOutcome, Provider


class CashRecordForm(forms.Form):
    amount = forms.CharField(label=_("Amount received (¥)"), max_length=20)
    note = forms.CharField(label=_("Note (e.g. cash, bank transfer)"), max_length=500, required=False)


class CashConfirmForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CashDisputeForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RefundForm(forms.Form):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.CharField(label=_("Amount to refund (¥)"), max_length=20)
    reason = forms.CharField(label=_("Reason (e.g. the upheld complaint)"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReconciliationRunForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    provider = forms.ChoiceField(label=_("Provider"), choices=[(p.value, p.label) for p in Provider if p != Provider.CASH])


class FlagResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What was found"), choices=FlagOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was done (e.g. the provider's refund number)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
