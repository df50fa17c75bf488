"""Thin Celery wrappers. Each is idempotent and safe to run late (e.g. after a worker restart)."""
from celery import shared_task

from matching import services


@shared_task(acks_late=True)
def assign_waiting_requests() -> int:
    return len(services.requests_assign_waiting())


@shared_task(acks_late=True)
def expire_offer(offer_id: int) -> int:
    """Queued with an ETA at the offer's deadline. It expires whatever is due (not just this offer), so a
    late or repeated run is harmless; the periodic ``expire_due_offers`` is the safety net."""
    return services.offers_expire_due()


@shared_task(acks_late=True)
def expire_due_offers() -> int:
    return services.offers_expire_due()
