"""The platform's shared records: people, the city's region grid, the yearly policy and the
service catalogue's extra facts (unit and who serves an item) beside Oscar's Product."""
from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser
from simple_history.models import HistoricalRecords

from marketplace.managers import UserManager


class User(AbstractUser):
    """A person. Residents called in on the hotline may have only a phone number, so email is optional."""

    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.phone or f"#{self.pk}"

    def get_full_name(self) -> str:
        return f"{self.last_name}{self.first_name}".strip()


class Region(models.Model):
    """One cell of the three-level grid: city → town/street → community/village."""

    class Level(models.IntegerChoices):
        CITY = 1, _("city")
        TOWN = 2, _("town / street")
        COMMUNITY = 3, _("community / village")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def ancestors_and_self(self) -> list["Region"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class YearPolicy(models.Model):
    """The numbers the seeds give, one record per year. Every rule reads its value from here.

    Edited only by administrators; every edit keeps a history row (who, when, old and new values).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    min_discount = models.DecimalField(
        _("minimum discount below market"), max_digits=5, decimal_places=4, default=Decimal("0.1500"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("Guide price ≤ (1 − this) × market price. 0.15 = 15%."),
    )
    complaint_limit = models.PositiveSmallIntegerField(
        _("upheld complaints that remove a company"), default=3, validators=[MinValueValidator(1)]
    )
    subsidy_rate = models.DecimalField(
        _("subsidy rate"), max_digits=5, decimal_places=4, default=Decimal("0.1000"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    reward_rate = models.DecimalField(
        _("reward rate"), max_digits=5, decimal_places=4, default=Decimal("0.0500"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    satisfaction_target = models.DecimalField(
        _("satisfaction target"), max_digits=5, decimal_places=4, default=Decimal("0.9000"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    volunteer_hours_duty = models.DecimalField(
        _("yearly volunteer hours duty"), max_digits=6, decimal_places=2, default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    offer_window_asap_seconds = models.PositiveIntegerField(
        _("offer window, as soon as possible (s)"), default=90, validators=[MinValueValidator(10)]
    )
    offer_window_scheduled_seconds = models.PositiveIntegerField(
        _("offer window, scheduled (s)"), default=1800, validators=[MinValueValidator(10)]
    )
    default_category_quota = models.PositiveIntegerField(
        _("default companies admitted per category"), default=10, validators=[MinValueValidator(1)],
        help_text=_("Used for a category without its own quota row (限量审定)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly policy")
        verbose_name_plural = _("yearly policies")

    def __str__(self) -> str:
        return str(_("Policy %(year)s") % {"year": self.year})


class CategoryQuota(models.Model):
    """How many companies may be approved for one category in a policy year (限量审定)."""

    policy = models.ForeignKey(YearPolicy, on_delete=models.CASCADE, related_name="category_quotas")
    category = models.ForeignKey("catalogue.Category", on_delete=models.CASCADE, related_name="+")
    max_companies = models.PositiveIntegerField(_("maximum companies"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "category"], name="one_quota_per_category_year")]
        verbose_name = _("category quota")
        verbose_name_plural = _("category quotas")

    def __str__(self) -> str:
        return f"{self.category} ≤ {self.max_companies}"


class ServiceItemProfile(models.Model):
    """What Oscar's Product does not know about a service item: its unit and who serves it."""

    class Unit(models.TextChoices):
        VISIT = "visit", _("per visit")
        HOUR = "hour", _("per hour")
        SQUARE_METRE = "m2", _("per m²")
        PIECE = "piece", _("per piece")

    class ServedBy(models.TextChoices):
        COMPANY = "company", _("contracted company")
        VOLUNTEER = "volunteer", _("volunteer team")
        CENTRE = "centre", _("the service centre answers itself")
        UNIT = "unit", _("linked government unit")

    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, related_name="service_profile")
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.VISIT)
    served_by = models.CharField(_("served by"), max_length=10, choices=ServedBy.choices, default=ServedBy.COMPANY)
    department = models.CharField(_("department"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service item profile")
        verbose_name_plural = _("service item profiles")

    def __str__(self) -> str:
        return f"{self.product} ({self.get_unit_display()})"
