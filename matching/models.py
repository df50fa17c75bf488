"""What the matcher decided and offered, kept so an agent can see why a company was chosen."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Match(models.Model):
    """One run of the matcher for one request: every candidate with the parts of its score."""

    request = models.ForeignKey("marketplace.ServiceRequest", on_delete=models.CASCADE, related_name="matches")
    created_at = models.DateTimeField()
    # [{"company_id", "company_name", "distance_km", "parts": {...}, "cost"}], best first
    candidates = models.JSONField(default=list)
    batch = models.BooleanField(_("assigned in a batch"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Offer(models.Model):
    """A request offered to one company, open until ``expires_at``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    request = models.ForeignKey("marketplace.ServiceRequest", on_delete=models.CASCADE, related_name="offers")
    company = models.ForeignKey("providers.Company", on_delete=models.CASCADE, related_name="offers")
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey("marketplace.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decline_reason = models.CharField(max_length=200, blank=True)
    by_hand = models.BooleanField(_("dispatched by hand"), default=False)
    hand_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            # A company is offered a request at most once ("a company that declined is not offered it again").
            models.UniqueConstraint(fields=["request", "company"], name="one_offer_per_company_per_request"),
            # At most one open offer per request at a time.
            models.UniqueConstraint(fields=["request"], condition=models.Q(status="pending"), name="one_pending_offer_per_request"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]
