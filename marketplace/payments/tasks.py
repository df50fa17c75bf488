"""Thin Celery wrappers. Idempotent: a day already reconciled is not run again."""
from celery import shared_task

from marketplace.payments import services


@shared_task(acks_late=True)
def reconcile_yesterday() -> list[int]:
    """Daily (beat): compare yesterday's ledger with each provider's records."""
    return [run.pk for run in services.reconciliation_run_due()]
