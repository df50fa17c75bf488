"""Forms of the company portal's offers and jobs pages. They only carry input: the rules (a decline
needs a reason, a final price within quantity × contracted price) live in the services, whose
refusals the views put on these forms' fields."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OfferDeclineForm(forms.Form):
    # Not required here: matching.services.offer_decline refuses a blank reason with its own message,
    # which the view shows on this field (one rule, one place). The browser still asks for it.
    reason = forms.CharField(
        label=_("Reason"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"required": True, "placeholder": _("Why do you decline?"), "maxlength": 200}),
    )


class JobCompleteForm(forms.Form):
    # Text, not DecimalField: marketplace.money.parse_amount (called by job_complete) refuses amounts
    # with more than two decimals instead of rounding them, and says so.
    final_price = forms.CharField(
        label=_("Final price (¥)"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    quantity = forms.CharField(
        label=_("Quantity"), max_length=12, initial="1",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.TextInput(attrs={"size": 30}))
