"""A worker killed in the middle of a job loses nothing: another worker finishes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meesaq.core.tasks import STALE_AFTER
from tests.workers import start_worker, wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class SharedDb:
    """The database that worker processes share with the test, read through its own driver."""

    env: dict[str, str]
    sqlite_path: str | None

    def row(self, job_id: str) -> tuple[str, list[str], object]:
        table = DBTaskResult._meta.db_table
        query = f"SELECT status, worker_ids, return_value FROM {table} WHERE id = %s"  # noqa: S608
        if self.sqlite_path is not None:
            with closing(sqlite3.connect(self.sqlite_path)) as db:
                found = db.execute(query.replace("%s", "?"), [uuid.UUID(job_id).hex]).fetchone()
            return found[0], json.loads(found[1]), json.loads(found[2] or "null")
        with psycopg.connect(self.env["DATABASE_URL"]) as pg:
            found = pg.execute(query, [job_id]).fetchone()
        assert found is not None
        return found[0], found[1], found[2]

    def age_claim(self, job_id: str, started_at: datetime) -> None:
        table = DBTaskResult._meta.db_table
        query = f"UPDATE {table} SET started_at = %s WHERE id = %s"  # noqa: S608
        if self.sqlite_path is not None:
            with closing(sqlite3.connect(self.sqlite_path)) as db, db:
                stamp = started_at.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
                db.execute(query.replace("%s", "?"), [stamp, uuid.UUID(job_id).hex])
            return
        with psycopg.connect(self.env["DATABASE_URL"]) as pg:
            pg.execute(query, [started_at, job_id])


@pytest.fixture
def shared_db(tmp_path: Path) -> SharedDb:
    """Return the database that worker processes share with this test."""
    default = connections["default"].settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
        "MEESAQ_VAR_DIR": str(tmp_path / "var"),
    }
    if default["ENGINE"].endswith("sqlite3"):
        # The test database lives in memory, out of other processes' sight: use a file.
        path = str(tmp_path / "jobs.sqlite3")
        env["DATABASE_URL"] = f"sqlite:///{path}"
        subprocess.run(  # fixed arguments
            [sys.executable, "-m", "meesaq.cli", "migrate", "-v0"], env=env, check=True
        )
        return SharedDb(env=env, sqlite_path=path)
    env["DATABASE_URL"] = (
        f"postgres://{default['USER']}@{default['HOST']}:{default['PORT']}/{default['NAME']}"
    )
    return SharedDb(env=env, sqlite_path=None)


def enqueue(env: dict[str, str], folder: Path) -> str:
    code = (
        "from tests.core.test_tasks_jobs import wait_for_flag;"
        f"print(wait_for_flag.enqueue({str(folder)!r}).id)"
    )
    out = subprocess.run(  # noqa: S603  # fixed arguments
        [sys.executable, "-m", "meesaq.cli", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.split()[-1]


def test_a_job_survives_its_worker_being_killed(shared_db: SharedDb, tmp_path: Path) -> None:
    env = shared_db.env
    folder = tmp_path / "job"
    folder.mkdir()
    job_id = enqueue(env, folder)

    first = start_worker(env, "first")
    try:
        wait_until((folder / "started").exists, "the first worker started the job")
        wait_until(lambda: shared_db.row(job_id)[0] == "RUNNING", "the job is claimed")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert shared_db.row(job_id)[0] == "RUNNING"

    # The dead worker's claim grows old: the next worker's tick puts the job back in the queue.
    shared_db.age_claim(job_id, timezone.now() - STALE_AFTER - timedelta(minutes=1))
    (folder / "go").touch()
    second = start_worker(env, "second")
    try:
        wait_until(
            lambda: shared_db.row(job_id)[0] == "SUCCESSFUL", "the second worker finished the job"
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait()
    assert shared_db.row(job_id)[1:] == (["first", "second"], "finished")
    assert (folder / "runs").read_text() == "run\nrun\n"
