"""Readiness: can this process serve requests (database, job queue, file storage)?

Liveness (`/healthz`) only says the process answers; readiness (`/readyz`) is what a proxy or
an orchestrator should consult before sending traffic, and what monitoring should alert on.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.db.utils import DatabaseError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max


@dataclass(frozen=True)
class Readiness:
    """The state of each dependency; ``ok`` only when all of them are."""

    database: str
    task_queue: str
    storage: str
    oldest_waiting_job_seconds: int | None

    @property
    def ok(self) -> bool:
        """Return whether every dependency answered."""
        return self.database == self.task_queue == self.storage == "ok"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def _oldest_waiting_job() -> tuple[str, int | None]:
    # A backlog is reported, not failed on: web requests still work while a worker restarts.
    # A job enqueued to run at once carries the far-future "no time set" marker in run_after,
    # so it waits since it was enqueued; a delayed job waits since its run_after.
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    try:
        moments = [
            ready.filter(run_after=get_date_max()).aggregate(m=Min("enqueued_at"))["m"],
            ready.filter(run_after__lte=timezone.now()).aggregate(m=Min("run_after"))["m"],
        ]
    except DatabaseError:
        return "unavailable", None
    waiting = [moment for moment in moments if moment is not None]
    if not waiting:
        return "ok", None
    return "ok", max(0, int((timezone.now() - min(waiting)).total_seconds()))


def _storage() -> str:
    folder = Path(settings.MEDIA_ROOT)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ready-"):
            pass
    except OSError:
        return "unavailable"
    return "ok"


def readiness() -> Readiness:
    """Check the database, the job queue table and the upload folder."""
    database = _database()
    queue, oldest = _oldest_waiting_job() if database == "ok" else ("unavailable", None)
    return Readiness(
        database=database,
        task_queue=queue,
        storage=_storage(),
        oldest_waiting_job_seconds=oldest,
    )
