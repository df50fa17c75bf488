"""Guide prices (市场收费指导价) and price-change requests. A company's contracted price for an item is
Oscar's StockRecord (partner, product, price); its history is kept by simple-history."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from simple_history import register
from simple_history.models import HistoricalRecords

MONEY = dict(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])


class GuidePrice(models.Model):
    """The published guide price of one item, city-wide (region empty) or for one region."""

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="guide_prices")
    region = models.ForeignKey(
        "marketplace.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="guide_prices",
        help_text=_("Empty means the whole city."),
    )
    market_price = models.DecimalField(_("market reference price"), **MONEY)
    market_source = models.CharField(_("market price source"), max_length=200)
    market_surveyed_on = models.DateField(_("market survey date"))
    guide_price = models.DecimalField(_("guide price"), **MONEY)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["product__title", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["product", "region"], name="one_guide_price_per_item_region"),
            models.UniqueConstraint(
                fields=["product"], condition=models.Q(region__isnull=True), name="one_citywide_guide_price_per_item"
            ),
        ]
        verbose_name = _("guide price")
        verbose_name_plural = _("guide prices")

    def __str__(self) -> str:
        return f"{self.product} {self.region or ''} ¥{self.guide_price}"

    @property
    def saving(self):
        return self.market_price - self.guide_price


class PriceChangeRequest(models.Model):
    """A company asks to change a contracted price during its term; an administrator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    stockrecord = models.ForeignKey("partner.StockRecord", on_delete=models.PROTECT, related_name="change_requests")
    current_price = models.DecimalField(_("current price"), **MONEY)
    requested_price = models.DecimalField(_("requested price"), **MONEY)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("price change request")
        verbose_name_plural = _("price change requests")


# Every contracted price keeps its history (who, when, old, new, why) without forking Oscar's partner app.
register(get_model("partner", "StockRecord"), app="pricing", table_name="pricing_historicalstockrecord")
