"""Admin for prices. Saving goes through pricing.services, so the admin obeys the same rules as the
API, the imports and the commands; a refused save shows the rule's message on the form."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.contrib import admin
from oscar.core.loading import get_model
from simple_history.admin import SimpleHistoryAdmin

from marketplace.errors import DomainError
from pricing import services
from pricing.models import GuidePrice, PriceChangeRequest

StockRecord = get_model("partner", "StockRecord")


class GuidePriceAdminForm(forms.ModelForm):
    change_reason = forms.CharField(label=_("reason"), max_length=200)

    class Meta:
        model = GuidePrice
        fields = ["product", "region", "market_price", "market_source", "market_surveyed_on", "guide_price"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        from marketplace.selectors import policy_current

        try:
            services.guide_price_check(
                market_price=cleaned["market_price"], guide_price=cleaned["guide_price"], policy=policy_current()
            )
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned


@admin.register(GuidePrice)
class GuidePriceAdmin(SimpleHistoryAdmin):
    form = GuidePriceAdminForm
    list_display = ["product", "region", "market_price", "guide_price", "market_surveyed_on"]
    search_fields = ["product__title", "product__upc"]
    autocomplete_fields = ["product"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.guide_price_set(
            product=data["product"], region=data["region"], market_price=data["market_price"],
            market_source=data["market_source"], market_surveyed_on=data["market_surveyed_on"],
            guide_price=data["guide_price"], actor=request.user, reason=data["change_reason"],
        )
        obj.pk = saved.pk


@admin.register(PriceChangeRequest)
class PriceChangeRequestAdmin(SimpleHistoryAdmin):
    """Read-only here: decisions are made on the centre's price-change page (one service, with reasons)."""

    list_display = ["stockrecord", "current_price", "requested_price", "status", "requested_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StockRecordAdminForm(forms.ModelForm):
    change_reason = forms.CharField(label=_("reason"), max_length=200)

    class Meta:
        model = StockRecord
        fields = ["partner", "product", "partner_sku", "price"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.contract_price_check(partner=cleaned["partner"], product=cleaned["product"], price=cleaned["price"])
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned


# Oscar registers StockRecord with a plain ModelAdmin; import it first, then replace it with one that
# applies the rules (our app is listed before Oscar's, so its admin module has not run yet).
import oscar.apps.partner.admin  # noqa: E402,F401

if admin.site.is_registered(StockRecord):
    admin.site.unregister(StockRecord)


@admin.register(StockRecord)
class StockRecordAdmin(SimpleHistoryAdmin):
    form = StockRecordAdminForm
    list_display = ["product", "partner", "price", "price_currency"]
    list_filter = ["partner"]
    search_fields = ["partner__name", "product__title", "product__upc"]
    autocomplete_fields = ["product", "partner"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.contract_price_set(
            partner=data["partner"], product=data["product"], price=data["price"],
            actor=request.user, reason=data["change_reason"],
        )
        obj.pk = saved.pk
