"""Reads for the administrators' pages: the job queue and the message templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from meesaq.notifications.models import MessageTemplate

# Queued, running and failed jobs; finished ones are not the administrators' concern.
JOB_STATUSES = ("READY", "RUNNING", "FAILED")


@dataclass(frozen=True)
class JobRow:
    """What the jobs page shows of one job: never its arguments' values (they may hold ids)."""

    id: str
    task_path: str
    status: str
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    run_after: datetime | None
    attempt: int | None
    exception: str

    @property
    def failed(self) -> bool:
        """Say whether the job failed (and so may be run again)."""
        return self.status == "FAILED"


def jobs_queryset(*, status: str = "") -> QuerySet[Any]:
    """Return the queued, running and failed jobs (or those of one status), newest first."""
    from django_tasks_db.models import DBTaskResult

    statuses = (status,) if status in JOB_STATUSES else JOB_STATUSES
    return DBTaskResult.objects.filter(status__in=statuses).order_by("-enqueued_at", "-pk")


def _attempt(args_kwargs: object) -> int | None:
    kwargs = args_kwargs.get("kwargs") if isinstance(args_kwargs, dict) else None
    value = kwargs.get("attempt") if isinstance(kwargs, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def job_row(job: Any) -> JobRow:
    """Return what may be shown of a job row: the exception's class name only, no values."""
    from django_tasks_db.models import get_date_max

    return JobRow(
        id=str(job.pk),
        task_path=job.task_path,
        status=job.status,
        enqueued_at=job.enqueued_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        run_after=None if job.run_after == get_date_max() else job.run_after,
        attempt=_attempt(job.args_kwargs),
        exception=job.exception_class_path.rsplit(".", 1)[-1] if job.exception_class_path else "",
    )


def message_templates() -> QuerySet[MessageTemplate]:
    """Return every message template, by event and channel."""
    return MessageTemplate.objects.order_by("event", "channel")
