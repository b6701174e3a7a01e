"""Real job-worker processes for tests that kill them, and a bounded wait on what they change."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable


def start_worker(env: dict[str, str], worker_id: str) -> subprocess.Popen[bytes]:
    """Start `meesaq worker` (polling every 50 ms) in the given environment."""
    return subprocess.Popen(  # noqa: S603  # fixed arguments
        [
            sys.executable,
            "-m",
            "meesaq.cli",
            "worker",
            "--interval",
            "0.05",
            "--worker-id",
            worker_id,
            "-v0",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )


def wait_until(condition: Callable[[], bool], what: str, *, seconds: float = 60) -> None:
    """Poll state another process changes, at most ``seconds``; not a timing assertion."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting until {what}")
