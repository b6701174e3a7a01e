"""Background work: retried tasks, periodic jobs and the recovery of jobs a dead worker held.

Jobs run on Django's tasks API (the django-tasks backport) with django-tasks-db's database queue.

- ``retried_task(attempts=, backoff=)`` makes a task that, when it raises, enqueues itself again
  with ``run_after`` pushed back (backoff doubles each time) until ``attempts`` runs have failed.
  The attempt number travels in the job's keyword arguments as ``attempt``; every failed run
  stays in the queue table as a FAILED row that administrators see on the jobs page.
- ``periodic(every=)`` registers a task to be enqueued by ``tick()`` when its last enqueue is
  older than ``every``. There is no schedule table: the last enqueue is the newest row of the
  queue table with the task's path, and a job still waiting or running is never doubled.
  Tasks register when their module is imported; ``tick()`` imports every app's ``tasks`` module.
- ``tick()`` (``meesaq tick``, also run every minute by ``meesaq worker``) first puts back in the
  queue any job that has been RUNNING longer than ``STALE_AFTER``: django-tasks-db claims a job by
  marking it RUNNING, so a worker killed mid-job would otherwise leave it RUNNING forever.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# A job RUNNING for longer than this is taken to belong to a dead worker and is run again.
# Jobs must therefore finish well within it and be safe to run twice (they are: each job
# re-reads the state it acts on).
STALE_AFTER = timedelta(minutes=30)
DEFAULT_ATTEMPTS = 5
DEFAULT_BACKOFF = timedelta(minutes=1)


def retried_task(
    *, attempts: int = DEFAULT_ATTEMPTS, backoff: timedelta = DEFAULT_BACKOFF
) -> Callable[[Callable[..., Any]], Task[..., Any]]:
    """Make a task that is enqueued again with a growing delay when it raises."""

    def decorate(func: Callable[..., Any]) -> Task[..., Any]:
        made: list[Task[..., Any]] = []

        @functools.wraps(func)
        def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt < attempts:
                    delay = backoff * (2 ** (attempt - 1))
                    made[0].using(run_after=timezone.now() + delay).enqueue(
                        *args, attempt=attempt + 1, **kwargs
                    )
                    logger.warning(
                        "Job %s failed (attempt %d of %d), retrying in %s",
                        made[0].name,
                        attempt,
                        attempts,
                        delay,
                    )
                else:
                    logger.error("Job %s failed for good after %d attempts", made[0].name, attempt)
                raise

        made.append(task()(run))
        return made[0]

    return decorate


@dataclass(frozen=True)
class Periodic:
    task: Task[..., Any]
    every: timedelta


_PERIODIC: dict[str, Periodic] = {}


def periodic(*, every: timedelta) -> Callable[[Task[..., Any]], Task[..., Any]]:
    """Register a task (taking no arguments) for ``tick()`` to enqueue every ``every``."""

    def register(job: Task[..., Any]) -> Task[..., Any]:
        _PERIODIC[job.module_path] = Periodic(task=job, every=every)
        return job

    return register


def periodic_jobs() -> dict[str, Periodic]:
    """Return the registered periodic jobs by task path, importing every app's tasks module."""
    autodiscover_modules("tasks")
    return dict(_PERIODIC)


def recover_stale_jobs(*, now: Any = None) -> int:
    """Put back in the queue the jobs that a dead worker left RUNNING; return how many."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    with transaction.atomic():
        return DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - STALE_AFTER
        ).update(status=TaskResultStatus.READY, started_at=None)


def tick() -> list[str]:
    """Recover stale jobs and enqueue the periodic jobs that are due; return their paths."""
    from django_tasks_db.models import DBTaskResult

    recovered = recover_stale_jobs()
    if recovered:
        logger.warning("Put %d job(s) left by a stopped worker back in the queue", recovered)
    now = timezone.now()
    enqueued = []
    for path, job in sorted(periodic_jobs().items()):
        rows = DBTaskResult.objects.filter(task_path=path)
        pending = rows.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        recent = rows.filter(enqueued_at__gt=now - job.every)
        if pending.exists() or recent.exists():
            continue
        job.task.enqueue()
        enqueued.append(path)
    return enqueued
