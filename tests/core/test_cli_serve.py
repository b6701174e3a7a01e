"""`meesaq serve` runs a job worker beside gunicorn and stops both together."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_tasks_worker import SharedDb, enqueue, shared_db
from tests.workers import wait_until

__all__ = ["shared_db"]
pytestmark = pytest.mark.django_db(transaction=True)


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_jobs_beside_the_site_and_stops_its_worker_on_exit(
    shared_db: SharedDb, tmp_path: Path
) -> None:
    env = {**shared_db.env, "PORT": str(free_port()), "MEESAQ_WEB_WORKERS": "1"}
    folder = tmp_path / "job"
    folder.mkdir()
    (folder / "go").touch()
    job_id = enqueue(env, folder)
    serve = subprocess.Popen(
        [sys.executable, "-m", "meesaq.cli", "serve"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        wait_until(lambda: shared_db.row(job_id)[0] == "SUCCESSFUL", "the worker ran the job")
        spawned = children(serve.pid)
        assert len(spawned) == 2  # gunicorn and the worker
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=60)
    assert code == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in spawned)
