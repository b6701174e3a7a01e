"""Exports and backups at benchmark size (a part of ``bench/scenarios.py``'s run).

- **Exports**: the case list's CSV and XLSX downloads, fetched whole over HTTP from the running
  server as the provincial officer (every synthetic case), while the serving worker's resident
  memory is sampled; beside them PostgreSQL's own ``COPY`` of the same columns, the floor.
- **Backup**: ``meesaq backup`` and ``meesaq restore --verify`` of the benchmark database, timed
  as the commands an operator runs.

``bench/scenarios.py --only exports`` runs just this part.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
SIGN_IN = "/en/account/sign-in/"
# The export's columns, as ``reports.exports.case_export`` writes them (English labels).
COPY_SQL = """
COPY (
    SELECT c.reference, to_char(c.received_at, 'YYYY-MM-DD HH24:MI'), c.title, cat.label_en,
           d.name_en, t.name_en, c.channel, c.status, c.priority,
           coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.username),
           to_char(c.first_action_at, 'YYYY-MM-DD HH24:MI'),
           to_char(c.resolved_at, 'YYYY-MM-DD HH24:MI'),
           to_char(c.closed_at, 'YYYY-MM-DD HH24:MI')
    FROM cases_case c
    JOIN cases_category cat ON cat.id = c.category_id
    JOIN geo_adminunit d ON d.pcode = c.district_id
    LEFT JOIN geo_adminunit t ON t.pcode = c.tehsil_id
    LEFT JOIN accounts_user u ON u.id = c.assigned_to_id
    ORDER BY c.received_at DESC, c.id DESC
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


@dataclass
class Timed:
    """One measured export or command."""

    name: str
    seconds: float
    size_mb: float = 0.0
    rows: int = 0
    rss_start_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_samples: list[float] = field(default_factory=list)
    ok: bool = True
    note: str = ""


class RssSampler:
    """Sample the largest resident memory of the server's workers while something runs."""

    def __init__(self, workers: Callable[[], list[psutil.Process]], every: float = 0.5) -> None:
        self._workers = workers
        self._every = every
        self._stop = threading.Event()
        self.samples: list[float] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _largest(self) -> float:
        sizes = []
        for process in self._workers():
            try:
                sizes.append(process.memory_info().rss)
            except psutil.Error:
                continue
        return max(sizes, default=0) / 1_048_576

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self._largest())
            self._stop.wait(self._every)

    def __enter__(self) -> RssSampler:
        self.samples.append(self._largest())
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def signed_in(base: str, username: str, password: str) -> requests.Session:
    """Return a session signed in to the site."""
    session = requests.Session()
    page = session.get(base + SIGN_IN, timeout=30)
    session.post(
        base + SIGN_IN,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": page.cookies.get("csrftoken", ""),
        },
        headers={"Referer": base + SIGN_IN},
        timeout=30,
    )
    return session


def export_over_http(
    session: requests.Session,
    url: str,
    name: str,
    workers: Callable[[], list[psutil.Process]],
) -> Timed:
    """Download an export whole, counting bytes and lines, sampling the workers' memory."""
    size = lines = 0
    began = time.perf_counter()
    with (
        RssSampler(workers) as sampler,
        session.get(url, stream=True, timeout=3600) as response,
    ):
        ok = response.status_code == 200  # noqa: PLR2004  # HTTP OK
        for chunk in response.iter_content(chunk_size=1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - began
    samples = sampler.samples
    return Timed(
        name=name,
        seconds=seconds,
        size_mb=size / 1_048_576,
        # Lines are rows in a CSV; an XLSX is a zip, whose rows cannot be counted this way.
        rows=max(lines - 1, 0) if url.endswith(".csv") else 0,
        rss_start_mb=samples[0] if samples else 0.0,
        rss_peak_mb=max(samples, default=0.0),
        rss_samples=[round(sample, 1) for sample in samples],
        ok=ok,
        note="" if ok else f"status {response.status_code}",
    )


def copy_baseline(conninfo: str) -> Timed:
    """Time PostgreSQL's own COPY of the export's columns to this process."""
    size = lines = 0
    began = time.perf_counter()
    with (
        psycopg.connect(conninfo) as connection,
        connection.cursor() as cursor,
        cursor.copy(COPY_SQL) as copy,
    ):
        for block in copy:
            size += len(block)
            lines += bytes(block).count(b"\n")
    return Timed(
        name="PostgreSQL COPY, same columns",
        seconds=time.perf_counter() - began,
        size_mb=size / 1_048_576,
        rows=max(lines - 1, 0),
    )


def timed_command(name: str, arguments: list[str]) -> Timed:
    """Run a meesaq command and time it; its last output line is kept as the note."""
    began = time.perf_counter()
    result = subprocess.run(  # noqa: S603  # a fixed argument list, no shell
        [sys.executable, "-m", "meesaq.cli", *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    output = (result.stdout + result.stderr).strip().splitlines()
    return Timed(
        name=name,
        seconds=time.perf_counter() - began,
        ok=result.returncode == 0,
        note=output[-1] if output else "",
    )


def backup_and_verify(folder: Path) -> list[Timed]:
    """Time ``meesaq backup`` and ``meesaq restore --verify`` of the configured database."""
    path = folder / "bench-backup.meesaq"
    made = timed_command("meesaq backup", ["backup", "--output", str(path)])
    made.size_mb = path.stat().st_size / 1_048_576 if path.exists() else 0.0
    results = [made]
    if made.ok:
        results.append(timed_command("meesaq restore --verify", ["restore", "--verify", str(path)]))
    path.unlink(missing_ok=True)
    return results


def markdown(results: list[Timed]) -> str:
    """Return the exports and backup results as a markdown table."""
    lines = [
        "| what | seconds | MB | rows | worker RSS start → peak MB | ok | note |",
        "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for r in results:
        memory = f"{r.rss_start_mb:.0f} → {r.rss_peak_mb:.0f}" if r.rss_samples else "-"
        lines.append(
            f"| {r.name} | {r.seconds:,.1f} | {r.size_mb:,.0f} | {r.rows:,} | {memory} "
            f"| {'yes' if r.ok else 'NO'} | {r.note} |"
        )
    return "\n".join(lines) + "\n"


def run_all(
    *,
    base: str,
    username: str,
    password: str,
    conninfo: str,
    workers: Callable[[], list[psutil.Process]],
    backup: bool = True,
) -> list[Timed]:
    """Measure the exports (CSV, XLSX, COPY) and, unless told not to, backup and verify."""
    session = signed_in(base, username, password)
    results = [
        export_over_http(session, base + "/en/cases/export.csv", "CSV export (HTTP)", workers),
        copy_baseline(conninfo),
        export_over_http(session, base + "/en/cases/export.xlsx", "XLSX export (HTTP)", workers),
    ]
    copy_seconds = results[1].seconds
    for result in (results[0], results[2]):
        result.note = (result.note + f" {result.seconds / copy_seconds:.1f} times COPY").strip()
    if backup:
        with tempfile.TemporaryDirectory(dir=ROOT / "var") as folder:
            results += backup_and_verify(Path(folder))
    return results
