"""A bulk import killed (SIGKILL) half-way leaves nothing behind, and the rerun imports once.

A fresh Meesaq database (an SQLite file, or a scratch PostgreSQL database) gets a checked and
queued file. A real worker process starts the import; once it has written some hundreds of rows
inside its transaction, the worker is killed. Nothing of the file may be visible then. The dead
worker's claim is aged past ``STALE_AFTER``; a second worker puts the job back in the queue and
imports the whole file: every row exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.workers import start_worker, wait_until

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("crash_driver.py")
ROWS = 600
KILL_AFTER = 200  # rows written (progress is noted every 100 rows)


def _run(env: dict[str, str], *args: str) -> dict[str, object]:
    result = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


@pytest.fixture
def fresh_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A Meesaq environment on a database of its own, migrated."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEESAQ_", "DATABASE_"))}
    env.update(
        {
            "MEESAQ_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
        }
    )
    drop: Callable[[], None] = lambda: None  # noqa: E731
    if connection.vendor == "postgresql":
        from psycopg import sql

        from meesaq.backup.databases import PostgresTarget

        target = PostgresTarget.from_settings(connection.settings_dict)
        scratch = f"meesaq_crash_{os.getpid()}"

        def run_admin(statement: str) -> None:
            with target.connect("postgres", autocommit=True) as admin:
                admin.execute(sql.SQL(statement).format(sql.Identifier(scratch)))

        run_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        run_admin("CREATE DATABASE {}")
        env["DATABASE_URL"] = (
            f"postgres://{target.user}@{target.host}:{target.port or 5432}/{scratch}"
        )

        def drop() -> None:
            run_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    subprocess.run(  # fixed arguments
        [sys.executable, "-m", "meesaq.cli", "migrate", "-v0"], env=env, check=True
    )
    try:
        yield env
    finally:
        drop()


def test_a_killed_import_leaves_nothing_and_the_rerun_imports_every_row_once(
    fresh_env: dict[str, str], tmp_path: Path
) -> None:
    run_id = int(str(_run(fresh_env, str(DRIVER), "prepare", str(ROWS))["run_id"]))
    progress = tmp_path / "var" / "imports" / f"{run_id}.progress"

    def rows_written() -> int:
        try:
            return int(progress.read_text(encoding="ascii"))
        except (OSError, ValueError):
            return 0

    first = start_worker(fresh_env, "first")
    try:
        wait_until(
            lambda: rows_written() >= KILL_AFTER, f"{KILL_AFTER} rows are written", seconds=300
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()

    killed = _run(fresh_env, str(DRIVER), "state", str(run_id))
    assert killed["status"] == "running", killed  # it really died half-way
    assert (killed["cases"], killed["people"], killed["records"]) == (0, 0, 0), killed

    _run(fresh_env, str(DRIVER), "age-claims")
    second = start_worker(fresh_env, "second")
    try:
        wait_until(
            lambda: (
                _run(fresh_env, str(DRIVER), "state", str(run_id))["job_status"] == "SUCCESSFUL"
            ),
            "the second worker finished the import",
            seconds=300,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait()

    done = _run(fresh_env, str(DRIVER), "state", str(run_id))
    assert done["status"] == "done", done
    assert done["created_count"] == done["cases"] == done["records"] == ROWS
    assert done["distinct_titles"] == ROWS  # every row once, none twice
    assert done["job_workers"] == ["first", "second"]
