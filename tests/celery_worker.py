"""A real Celery worker for tests: run one until it has finished a given task (no sleeping)."""
from __future__ import annotations

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from marketplace.celery import app


@pytest.fixture
def finished_tasks():
    """Task names as a real worker finishes them, with an event to wait on (no sleeping)."""
    done: list[str] = []
    event = threading.Event()

    def record(sender=None, **kwargs):
        done.append(sender.name)
        event.set()

    task_postrun.connect(record, weak=False)
    yield done, event
    task_postrun.disconnect(record)


def run_worker_until(event, names, wanted: str, timeout: float = 60.0) -> None:
    """Start a real worker on the configured broker and stop it once ``wanted`` has run."""
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        while wanted not in names:
            event.clear()
            assert event.wait(timeout), f"the worker did not run {wanted} within {timeout}s (ran {names})"
