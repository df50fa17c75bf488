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
    # Made by a sign-up with this phone whose texted code has not been confirmed yet: whoever signed up may
    # not own the number (marketplace.adapters.unclaimed_sign_up).
    sign_up_unconfirmed = models.BooleanField(_("sign-up not confirmed"), default=False)

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
    escalate_after_declines = models.PositiveSmallIntegerField(
        _("declines before escalation"), default=5, validators=[MinValueValidator(1)],
        help_text=_("After this many declines or timeouts the request goes to the agents' supervise queue."),
    )
    escalate_after_minutes = models.PositiveIntegerField(
        _("minutes unaccepted before escalation"), default=30, validators=[MinValueValidator(1)]
    )
    default_response_minutes = models.PositiveIntegerField(
        _("default response deadline (minutes)"), default=30, validators=[MinValueValidator(1)]
    )
    default_completion_hours = models.PositiveIntegerField(
        _("default completion deadline (hours)"), default=48, validators=[MinValueValidator(1)]
    )
    default_category_quota = models.PositiveIntegerField(
        _("default companies admitted per category"), default=10, validators=[MinValueValidator(1)],
        help_text=_("Used for a category without its own quota row (限量审定)."),
    )
    # Ratings, call-backs, complaints and renewals (the Ratings issue).
    rating_edit_days = models.PositiveSmallIntegerField(
        _("days a rating stays editable"), default=7, validators=[MinValueValidator(0)],
        help_text=_("A rating given on day 0 may be changed up to and including day N."),
    )
    rating_reminder_hours = models.PositiveIntegerField(
        _("hours after completion before the rating reminder"), default=24, validators=[MinValueValidator(1)]
    )
    callback_max_tries = models.PositiveSmallIntegerField(
        _("unanswered call-back tries before it closes"), default=3, validators=[MinValueValidator(1)]
    )
    complaint_reopen_days = models.PositiveSmallIntegerField(
        _("days after the decision a complaint may be reopened"), default=30, validators=[MinValueValidator(0)]
    )
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("days before an agreement ends that it goes on the renewal list"), default=60, validators=[MinValueValidator(1)]
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


class CategoryDeadline(models.Model):
    """Response and completion deadlines for one category in a policy year (else the policy defaults)."""

    policy = models.ForeignKey(YearPolicy, on_delete=models.CASCADE, related_name="category_deadlines")
    category = models.ForeignKey("catalogue.Category", on_delete=models.CASCADE, related_name="+")
    response_minutes = models.PositiveIntegerField(_("respond within (minutes)"), validators=[MinValueValidator(1)])
    completion_hours = models.PositiveIntegerField(_("complete within (hours)"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "category"], name="one_deadline_per_category_year")]
        verbose_name = _("category deadline")
        verbose_name_plural = _("category deadlines")


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


class LinkedUnit(models.Model):
    """A government department or town office that takes transferred (转办) requests and reports back.
    Each keeps someone on duty 24 hours: the duty contact."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("government department")
        TOWN_OFFICE = "town_office", _("town / street office")
        UTILITY = "utility", _("public utility")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="linked_units")
    duty_contact_name = models.CharField(_("duty contact"), max_length=64)
    duty_contact_phone = models.CharField(_("duty phone"), max_length=20)
    staff = models.ManyToManyField("marketplace.User", blank=True, related_name="linked_units")
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("linked unit")
        verbose_name_plural = _("linked units")

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")  # raised, not yet routed
    MATCHING = "matching", _("matching")  # looking for a company
    OFFERED = "offered", _("offered")  # one company has an open offer
    ACCEPTED = "accepted", _("accepted")  # a company (or team) took it
    ON_THE_WAY = "on_the_way", _("on the way")
    IN_SERVICE = "in_service", _("in service")  # work started on site
    COMPLETED = "completed", _("completed")  # work done, final price recorded
    CLOSED = "closed", _("closed")  # called back / finished
    CANCELLED = "cancelled", _("cancelled")  # by the resident, before service started
    ESCALATED = "escalated", _("escalated")  # nobody accepted in time: in the supervise queue
    TRANSFERRED = "transferred", _("transferred to a unit")  # 转办 to a linked government unit
    HANDLED_AT_ONCE = "handled_at_once", _("handled at once")  # 即办: the agent answered it


OPEN_REQUEST_STATUSES = (
    RequestStatus.SUBMITTED, RequestStatus.MATCHING, RequestStatus.OFFERED, RequestStatus.ACCEPTED,
    RequestStatus.ON_THE_WAY, RequestStatus.IN_SERVICE, RequestStatus.ESCALATED, RequestStatus.TRANSFERRED,
)
# A company holds these as its active jobs (they count against its capacity).
ACTIVE_JOB_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.ON_THE_WAY, RequestStatus.IN_SERVICE)


class ServiceRequest(models.Model):
    """A resident's need, from any channel, and who is handling it."""

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        APP = "app", _("app / mini program")
        HOTLINE = "hotline", _("hotline")
        OPEN311 = "open311", _("Open311 partner")

    resident = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="service_requests")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="service_requests")
    description = models.TextField(_("description"))
    answers = models.JSONField(_("answers to the item's questions"), default=dict, blank=True)
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="service_requests")
    as_soon_as_possible = models.BooleanField(_("as soon as possible"), default=True)
    window_start = models.DateTimeField(_("from"), null=True, blank=True)
    window_end = models.DateTimeField(_("until"), null=True, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    public_interest = models.BooleanField(_("public-interest work (free, for volunteers)"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    # 首问负责: the agent who first took the request owns it until it is closed.
    owner = models.ForeignKey(
        "marketplace.User", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_requests",
        verbose_name=_("responsible agent"),
    )
    created_by = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    company = models.ForeignKey(
        "providers.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="jobs",
        verbose_name=_("company"),
    )
    linked_unit = models.ForeignKey(LinkedUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    volunteer_team_id = models.PositiveIntegerField(null=True, blank=True)  # the Volunteers issue adds the team model
    final_price = models.DecimalField(_("final price"), max_digits=12, decimal_places=2, null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    response_due_at = models.DateTimeField(_("respond by"))
    completion_due_at = models.DateTimeField(_("complete by"))
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], name="one_request_per_idempotency_key"),
        ]
        indexes = [models.Index(fields=["status", "response_due_at"]), models.Index(fields=["company", "status"])]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.product}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RequestPhoto(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="requests/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class RequestStatusChange(models.Model):
    """One row per lifecycle move: who, when, from, to, why. Never edited."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    actor = models.ForeignKey("marketplace.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]

    # The matcher's and the centre's working notes (which company was offered it, who declined and why,
    # a unit's duty phone) are for staff; residents and the public see the move without them.
    STAFF_ONLY_REASONS = ("offered", "matching", "escalated", "transferred")

    @property
    def reason_for_resident(self) -> str:
        return "" if self.to_status in self.STAFF_ONLY_REASONS else self.reason


class Open311Client(models.Model):
    """A partner system that may raise requests through the Open311 GeoReport v2 API.

    Only the SHA-256 hash of its API key is kept: the raw key is shown once, when an administrator
    issues it. Requests posted with the key are created by ``user`` (the client's own account)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    api_key_hash = models.CharField(_("API key (SHA-256 hash)"), max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))
    active = models.BooleanField(_("active"), default=True)
    user = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, related_name="open311_clients",
        verbose_name=_("creates requests as"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name
