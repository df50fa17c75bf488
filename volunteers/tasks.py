"""Thin Celery wrappers. Each is idempotent and safe to run late or twice."""
import logging

from celery import shared_task

from marketplace.errors import PolicyMissing
from volunteers import services

logger = logging.getLogger("volunteers")


@shared_task(acks_late=True)
def public_interest_requests_route() -> int:
    """Offer waiting public-interest requests to the best team (beat: every minute)."""
    try:
        return len(services.public_interest_requests_route())
    except PolicyMissing as exc:
        logger.warning("volunteer routing skipped: %s", exc)
        return 0


@shared_task(acks_late=True)
def duty_reminders_send() -> int:
    """Remind duty holders behind pace at the year's checkpoints (beat: daily; one reminder per person
    per checkpoint is recorded, so daily runs send each once)."""
    try:
        return services.duty_reminders_send()
    except PolicyMissing as exc:
        logger.warning("duty reminders skipped: %s", exc)
        return 0
