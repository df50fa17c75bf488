"""Contracted companies (签约企业): an Oscar Partner with a profile, its admission history and agreements."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from providers.validators import validate_credit_code


class CompanyStatus(models.TextChoices):
    APPLIED = "applied", _("applied")  # filed online, waiting for the centre
    UNDER_INSPECTION = "under_inspection", _("under inspection")  # 设标考察
    APPROVED = "approved", _("approved")  # admitted within the category quota (限量审定)
    REJECTED = "rejected", _("rejected")  # not admitted
    CONTRACTED = "contracted", _("contracted")  # an agreement is in force; receives work
    SUSPENDED = "suspended", _("suspended")  # temporarily receives no work
    REMOVED = "removed", _("removed")  # 解约: struck off (e.g. three upheld complaints)
    EXPIRED = "expired", _("expired")  # the agreement ran out without renewal


MAX_SERVICE_RADIUS_KM = 30
LOCATION_CELL_RESOLUTION = 5  # ~8.5 km cell edge: a 30 km search visits a disk of 91 cells

# Statuses that hold one of the category's limited places.
QUOTA_HOLDING_STATUSES = (CompanyStatus.APPROVED, CompanyStatus.CONTRACTED, CompanyStatus.SUSPENDED)


class Company(models.Model):
    partner = models.OneToOneField("partner.Partner", on_delete=models.PROTECT, related_name="company")
    legal_name = models.CharField(_("legal name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    licence_number = models.CharField(_("business licence number"), max_length=64)
    contact_name = models.CharField(_("contact person"), max_length=64)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    categories = models.ManyToManyField("catalogue.Category", related_name="companies", verbose_name=_("categories served"))
    base_latitude = models.DecimalField(
        _("base latitude"), max_digits=9, decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    base_longitude = models.DecimalField(
        _("base longitude"), max_digits=9, decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    base_region = models.ForeignKey(
        "marketplace.Region", on_delete=models.PROTECT, related_name="based_companies", verbose_name=_("base region")
    )
    service_regions = models.ManyToManyField(
        "marketplace.Region", blank=True, related_name="served_by_companies", verbose_name=_("service regions")
    )
    service_radius_km = models.DecimalField(
        _("service radius (km)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_SERVICE_RADIUS_KM)],
    )
    # H3 cell (resolution LOCATION_CELL_RESOLUTION) of the base: the matcher's database-side spatial index.
    base_cell = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    capacity = models.PositiveIntegerField(_("jobs at once"), default=5, validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=20, choices=CompanyStatus.choices, default=CompanyStatus.APPLIED)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["status"])

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.legal_name

    def save(self, *args, **kwargs):
        # Derived data only (no rule): keep the spatial cell in step with the base location.
        import h3

        self.base_cell = h3.str_to_int(
            h3.latlng_to_cell(float(self.base_latitude), float(self.base_longitude), LOCATION_CELL_RESOLUTION)
        )
        super().save(*args, **kwargs)

    @property
    def is_open_all_day(self) -> bool:
        return self.opens_at == self.closes_at


class CompanyStatusChange(models.Model):
    """One row per admission move: who, when, from, to, why. Never edited."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CompanyStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CompanyStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("company status change")


class Agreement(models.Model):
    """The franchise agreement (加盟协议). A renewal is a new agreement that names the one it renews."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="agreements")
    renews = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by")
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    service_hours = models.CharField(_("service hours"), max_length=200)
    service_norms = models.TextField(_("service norms"))
    dispute_handling = models.TextField(_("dispute handling"))
    legal_liability = models.TextField(_("legal liability"))
    signed_on = models.DateField(_("signed on"))
    # The fee schedule: the contracted prices as they stood when signed (product id → "price").
    fee_schedule = models.JSONField(_("fee schedule"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-term_start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(term_end__gt=models.F("term_start")), name="agreement_term_positive")
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.company} {self.term_start}–{self.term_end}"

    def covers(self, day) -> bool:
        return self.term_start <= day <= self.term_end
