"""Small helpers for the quality loop tests."""
from __future__ import annotations

from django.urls import reverse

from ratings.models import CallBack
from ratings.services import callback_attempt_record, callbacks_enqueue, rating_give
from tests.ratings.conftest import scores


def rate(job, stars: int, **others):
    return rating_give(request=job, resident=job.resident, **scores(stars, **others))


def call_back(job, agent, outcome: str | None):
    """Queue the job's call-back and record one reached call with ``outcome``, or (None) three
    unanswered calls."""
    callbacks_enqueue()
    callback = CallBack.objects.get(request=job)
    if outcome is None:
        for _ in range(3):
            callback = callback_attempt_record(callback=callback, agent=agent, reached=False)
        return callback
    return callback_attempt_record(callback=callback, agent=agent, reached=True, outcome=outcome)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))
