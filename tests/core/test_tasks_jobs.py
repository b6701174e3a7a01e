"""Jobs used by the task-queue tests (module level, so a worker process can import them)."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from meesaq.core.tasks import retried_task

CALLS: list[str] = []


@task()
def wait_for_flag(folder: str) -> str:
    """Say the job started, then wait until the test lets it finish."""
    (Path(folder) / "started").touch()
    (Path(folder) / "runs").open("a").write("run\n")
    # Polls a file the test controls; bounded so a broken test cannot hang the worker forever.
    for _ in range(6000):
        if (Path(folder) / "go").exists():
            return "finished"
        time.sleep(0.01)
    raise TimeoutError("the test never said go")


@retried_task(attempts=3)
def flaky(label: str) -> str:
    """Fail until CALLS holds two entries for this label."""
    CALLS.append(label)
    if CALLS.count(label) < 3:
        raise RuntimeError("not yet")
    return "ok"


@retried_task(attempts=2)
def always_fails() -> None:
    """Fail every time."""
    raise RuntimeError("broken")


@task()
def heartbeat() -> str:
    """Do nothing: a periodic job for the tick tests."""
    return "beat"
