"""Thin Celery wrappers. ``payouts_refresh_processing`` runs on the beat schedule (settings
CELERY_BEAT_SCHEDULE, every 15 minutes): it asks WeChat Pay about every transfer still in progress and
books the ones that arrived, as the system actor (marketplace.system). Safe to run twice or at the same
time as a finance officer's "Check now": a line is booked paid once (conditional update + one payout
entry per line)."""
import logging

from celery import shared_task

logger = logging.getLogger("subsidies.payouts")


@shared_task
def payouts_refresh_processing(actor_id: int | None = None) -> int:
    """Check every line in ``processing`` (not bank transfers, which finance confirms by hand). Acts as
    the system user unless ``actor_id`` names a finance officer. Returns how many lines were checked; a
    provider error on one line is logged and the others are still checked."""
    from marketplace.errors import DomainError
    from marketplace.models import User
    from marketplace.system import system_user
    from subsidies import services
    from subsidies.models import PayoutLine, PayoutMethod, PayoutState

    actor = User.objects.get(pk=actor_id) if actor_id else system_user()
    checked = 0
    lines = PayoutLine.objects.filter(payout_state=PayoutState.PROCESSING).exclude(paid_via=PayoutMethod.BANK).order_by("pk")
    for line in lines:
        try:
            services.payout_line_refresh(line=line, actor=actor)
        except DomainError as error:
            logger.warning("payout line %s not refreshed: %s", line.pk, error.message)
            continue
        checked += 1
    return checked
