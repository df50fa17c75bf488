"""Thin Celery wrappers: check WeChat transfers still in progress (safe to run twice)."""
from celery import shared_task


@shared_task
def payouts_refresh_processing(actor_id: int) -> int:
    from marketplace.models import User
    from subsidies import services
    from subsidies.models import PayoutLine, PayoutState

    actor = User.objects.get(pk=actor_id)
    lines = PayoutLine.objects.filter(payout_state=PayoutState.PROCESSING).exclude(paid_via="bank")
    for line in lines:
        services.payout_line_refresh(line=line, actor=actor)
    return lines.count()
