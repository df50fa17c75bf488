"""Thin Celery wrappers around ratings.services. Each is idempotent and safe to run late or twice.

Beat schedule (add to CELERY_BEAT_SCHEDULE in marketplace/settings.py):

    from celery.schedules import crontab
    "ratings-callbacks-enqueue": {"task": "ratings.tasks.callbacks_enqueue", "schedule": 300.0},
    "ratings-rating-reminders": {"task": "ratings.tasks.rating_reminders_send", "schedule": crontab(minute=15)},
    "ratings-renewals-enqueue": {"task": "ratings.tasks.renewals_enqueue", "schedule": crontab(hour=6, minute=0)},
    "ratings-monthly-report": {"task": "ratings.tasks.monthly_report_generate",
                               "schedule": crontab(day_of_month=1, hour=2, minute=0)},
"""
from __future__ import annotations

import datetime

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from ratings import selectors, services

BEAT_SCHEDULE = {
    "ratings-callbacks-enqueue": {"task": "ratings.tasks.callbacks_enqueue", "schedule": 300.0},
    "ratings-rating-reminders": {"task": "ratings.tasks.rating_reminders_send", "schedule": crontab(minute=15)},
    "ratings-renewals-enqueue": {"task": "ratings.tasks.renewals_enqueue", "schedule": crontab(hour=6, minute=0)},
    "ratings-monthly-report": {"task": "ratings.tasks.monthly_report_generate",
                               "schedule": crontab(day_of_month=1, hour=2, minute=0)},
}


@shared_task(acks_late=True)
def callbacks_enqueue() -> int:
    """Every finished, cancelled or reported request gets its call-back row (回访 queue)."""
    return services.callbacks_enqueue()


@shared_task(acks_late=True)
def rating_reminders_send() -> int:
    """One reminder per unrated job; the reminder row makes a rerun send nothing new."""
    return services.rating_reminders_send()


@shared_task(acks_late=True)
def renewals_enqueue() -> int:
    """Agreements ending within the policy's notice days go on the renewal list (once each)."""
    return services.renewals_enqueue()


@shared_task(acks_late=True)
def monthly_report_generate(month: str | None = None) -> int:
    """The monthly report (月情况通报); by default for the month before today. ``month`` is "YYYY-MM"."""
    if month:
        first = datetime.date.fromisoformat(f"{month}-01")
    else:
        first = selectors.previous_month(today=timezone.localdate())
    return len(services.monthly_report_generate(month=first))
