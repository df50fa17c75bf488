"""Oscar's dashboard catalogue forms, with the stock-record (contracted price) form checking the
pricing rules through pricing.services, exactly as every other write path does."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F401,F403  (Oscar's fork recipe)
from oscar.apps.dashboard.catalogue.forms import StockRecordForm as CoreStockRecordForm

from marketplace.errors import DomainError
from marketplace.money import CURRENCY


class StockRecordForm(CoreStockRecordForm):
    def clean(self):
        cleaned = super().clean()
        partner, price, product = cleaned.get("partner"), cleaned.get("price"), self.instance.product_id and self.instance.product
        if cleaned.get("price_currency") and cleaned["price_currency"] != CURRENCY:
            self.add_error("price_currency", forms.ValidationError(_("Prices are in yuan (CNY) only.")))
        if partner is not None and price is not None and product:
            from pricing.services import contract_price_check

            try:
                contract_price_check(partner=partner, product=product, price=price)
            except DomainError as exc:
                self.add_error("price", forms.ValidationError(str(exc)))
        return cleaned
