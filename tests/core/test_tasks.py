from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meesaq.core import tasks as core_tasks
from meesaq.core.tasks import STALE_AFTER, periodic, recover_stale_jobs, tick
from tests.core import test_tasks_jobs as jobs

# The worker closes connections between jobs, which a test wrapped in a transaction cannot survive.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_calls() -> Iterator[None]:
    jobs.CALLS.clear()
    yield
    jobs.CALLS.clear()


@pytest.fixture
def heartbeat_every_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    # Import every app's tasks module first: imported later, they would register their periodic
    # jobs into the emptied table and the test would depend on which tests ran before it.
    core_tasks.periodic_jobs()
    monkeypatch.setattr(core_tasks, "_PERIODIC", {})
    periodic(every=timedelta(hours=1))(jobs.heartbeat)


def run_worker_batch() -> None:
    call_command("worker", batch=True, verbosity=0)


def test_a_failing_job_is_retried_with_backoff_until_it_succeeds() -> None:
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False) as clock:
        jobs.flaky.enqueue("a")
        run_worker_batch()
        retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert retry.args_kwargs == {"args": ["a"], "kwargs": {"attempt": 2}}
        assert retry.run_after == timezone.now() + timedelta(minutes=1)
        run_worker_batch()  # not due yet
        assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1

        clock.shift(timedelta(minutes=1))
        run_worker_batch()
        third = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert third.run_after == timezone.now() + timedelta(minutes=2)

        clock.shift(timedelta(minutes=2))
        run_worker_batch()
    statuses = list(
        DBTaskResult.objects.order_by("enqueued_at", "run_after").values_list("status", flat=True)
    )
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert jobs.CALLS == ["a", "a", "a"]


def test_a_job_that_keeps_failing_stops_after_its_attempts_and_stays_visible() -> None:
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False) as clock:
        jobs.always_fails.enqueue()
        run_worker_batch()
        clock.shift(timedelta(minutes=5))
        run_worker_batch()
        clock.shift(timedelta(hours=5))
        run_worker_batch()
    rows = DBTaskResult.objects.all()
    assert [row.status for row in rows] == ["FAILED", "FAILED"]
    assert all("RuntimeError" in row.exception_class_path for row in rows)


def test_tick_enqueues_a_periodic_job_once_per_period(heartbeat_every_hour: None) -> None:
    path = jobs.heartbeat.module_path
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False) as clock:
        assert tick() == [path]
        assert tick() == []  # still waiting in the queue
        run_worker_batch()
        clock.shift(timedelta(minutes=59))
        assert tick() == []
        clock.shift(timedelta(minutes=1, seconds=1))
        assert tick() == [path]
    assert DBTaskResult.objects.filter(task_path=path).count() == 2


def test_tick_command_reports_what_it_enqueued(
    heartbeat_every_hour: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("tick")
    assert "Enqueued 1 periodic job(s)." in capsys.readouterr().out


def test_tick_puts_back_a_job_left_running_by_a_dead_worker() -> None:
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False) as clock:
        result = jobs.heartbeat.enqueue()
        row = DBTaskResult.objects.get(pk=result.id)
        row.claim("dead-worker")
        clock.shift(STALE_AFTER - timedelta(seconds=1))
        assert recover_stale_jobs() == 0
        clock.shift(timedelta(seconds=2))
        tick()
        row.refresh_from_db()
        assert row.status == TaskResultStatus.READY
        run_worker_batch()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "beat"
