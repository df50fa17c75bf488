"""Web forms for prices. They check the shape of the input only; the pricing rules (≤ guide price, no
raise during the term) are applied by pricing.services, whose refusals the views show on these forms."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def price_field(label) -> forms.DecimalField:
    """An amount in yuan, as marketplace.money.parse_amount accepts it: not negative, at most two
    decimal places (a third place is refused, never rounded)."""
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=0)


class _ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.upc})" if obj.upc else obj.title


class _StockRecordChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.product.title} (¥{obj.price:.2f})"


class ContractPriceForm(forms.Form):
    """A company sets or lowers its contracted price for one item."""

    product = _ItemChoiceField(label=_("Service item"), queryset=None)
    price = price_field(_("Contracted price (¥)"))
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class PriceChangeRequestForm(forms.Form):
    """A company asks the centre to change a contracted price during its term."""

    stockrecord = _StockRecordChoiceField(label=_("Service item"), queryset=None)
    requested_price = price_field(_("Requested price (¥)"))
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, stockrecords, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stockrecord"].queryset = stockrecords


class PriceChangeDecisionForm(forms.Form):
    """An administrator approves or rejects a price-change request."""

    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
