"""Soak test: many concurrent staff clients mixing intake, notes and reads against the real stack.

Usage:
    .venv/bin/python bench/soak.py [--clients 64] [--seconds 600] [--workers 4]
        [--database-url postgres://postgres@127.0.0.1:5432/meesaq_soak] [--port 8199]

It creates a scratch database (dropped and made anew when it is PostgreSQL), runs
`meesaq setup` (migrations and the demo province), starts `meesaq serve` (gunicorn with
--workers processes and a job worker) on 127.0.0.1, and lets --clients threads, each signed in
as a demo intake or case officer, loop until --seconds pass (or --max-requests are made):
the case list, a case page, a new complaint (intake POST), a note on one of their cases.

The server's log goes to var/soak/server.log. Afterwards it stops the server and counts rows in
the database: every intake and note the server acknowledged must be there exactly once, and
nothing else. A write the site refused with a message (it redirects back and says why) is
counted, with its reason, as refused, not acknowledged. It prints a table and writes JSON to
var/bench/soak.json. Exits 1 on any server error (5xx), failed request, or row-count mismatch.
Only loopback traffic; bounded in time and count. Standard library plus the project's own code.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ACCOUNTS = ["intake.lahore", "caseofficer.lahore", "intake.hyderabad", "caseofficer.hyderabad"]
PASSWORD = "soak-test-password-1"  # noqa: S105  # the demo accounts of a scratch database
MARKER = "Soak test"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="(/en/cases/[A-Z]{2}-[A-Z0-9]{3}-\d{4}-\d{6,}/)"')
SELECT = re.compile(r'<select[^>]*name="(?P<name>[^"]+)"[^>]*>(?P<body>.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
CHECKBOX = re.compile(r'<input type="checkbox" name="groups" value="([^"]+)"')
ERROR_MESSAGE = re.compile(r'class="message message-error"[^>]*>([^<]*)<')
WEIGHTS = {"list": 40, "case_page": 30, "intake": 15, "note": 15}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects as they are: a 302 after a POST is the server's acknowledgement."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Stats:
    """What the clients saw, shared under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refused: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0

    def record(self, kind: str, seconds: float, status: int, *, ok: bool) -> None:
        with self.lock:
            self.requests += 1
            self.latencies[kind].append(seconds)
            if status >= 500:  # noqa: PLR2004
                self.server_errors.append(f"{kind}: {status}")
            elif not ok:
                self.failures.append(f"{kind}: {status}")


class StaffClient:
    """One signed-in browser-like client."""

    def __init__(self, base: str, username: str, stats: Stats) -> None:
        self.base = base
        self.username = username
        self.stats = stats
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        self.cases: list[str] = []
        self.intake_fields: dict[str, list[str]] = {}

    def request(self, path: str, data: dict[str, str | list[str]] | None = None) -> tuple[int, str]:
        status, body, _location = self.exchange(path, data)
        return status, body

    def exchange(
        self, path: str, data: dict[str, str | list[str]] | None = None
    ) -> tuple[int, str, str]:
        """Send one request; return the status, the body and the redirect's target."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310  # loopback
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                return response.status, text, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            return error.code, text, error.headers.get("Location", "")

    def sign_in(self) -> None:
        _, page = self.request("/en/account/sign-in/")
        token = CSRF.search(page)
        assert token is not None, "no CSRF token on the sign-in page"
        status, _ = self.request(
            "/en/account/sign-in/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        )
        if status != 302:  # noqa: PLR2004
            raise RuntimeError(f"{self.username} could not sign in ({status})")
        _, form = self.request("/en/cases/new/")
        self.intake_fields = {
            match["name"]: OPTION.findall(match["body"]) for match in SELECT.finditer(form)
        }
        self.intake_fields["groups"] = CHECKBOX.findall(form)

    def timed(self, kind: str, path: str, data: dict[str, str | list[str]] | None = None) -> str:
        started = time.perf_counter()
        status, body, location = self.exchange(path, data)
        expected = 302 if data is not None else 200
        self.stats.record(kind, time.perf_counter() - started, status, ok=status == expected)
        if data is not None and status == expected:
            self.judge(kind, location)
        return body

    def judge(self, kind: str, location: str) -> None:
        """After a write's redirect, read the page it leads to: saved, or refused and why.

        The site answers a refused note with a redirect too (and the reason as a message), so
        a 302 alone is not an acknowledgement.
        """
        _, page = self.request(urllib.parse.urlsplit(location).path or "/")
        refusal = ERROR_MESSAGE.search(page)
        with self.stats.lock:
            if refusal is None:
                self.stats.acknowledged[kind] += 1
            else:
                self.stats.refused[kind].append(refusal[1].strip()[:200])

    def token(self, path: str) -> str:
        _, page = self.request(path)
        match = CSRF.search(page)
        return match[1] if match else ""

    def step(self, rng: random.Random) -> None:
        kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        if kind in {"case_page", "note"} and not self.cases:
            kind = "list"
        if kind == "list":
            page = self.timed("list", "/en/cases/")
            self.cases = sorted(set(CASE_LINK.findall(page)))[:20] or self.cases
        elif kind == "case_page":
            self.timed("case_page", rng.choice(self.cases))
        elif kind == "intake":
            fields = self.intake_fields
            now = datetime.now().astimezone()  # local time, as a browser sends it
            data: dict[str, str | list[str]] = {
                "csrfmiddlewaretoken": self.token("/en/cases/new/"),
                "received_at": now.strftime("%Y-%m-%dT%H:%M"),
                "channel": "walk_in",
                "district": rng.choice(fields.get("district", [""])),
                "category": rng.choice(fields.get("category", [""])),
                "groups": fields.get("groups", [])[:1],
                "incident_on": (now - timedelta(days=2)).strftime("%Y-%m-%d"),
                "title": f"{MARKER}: threats at the market",
                "narrative": "A shopkeeper was threatened by men who came to the shop.",
                "confirm_new": "on",
            }
            if fields.get("organisation"):
                data["organisation"] = fields["organisation"][0]
            self.timed("intake", "/en/cases/new/", data)
        else:
            case = rng.choice(self.cases)
            data = {
                "csrfmiddlewaretoken": self.token(case),
                "kind": "note",
                "occurred_on": datetime.now().astimezone().strftime("%Y-%m-%d"),
                "note": f"{MARKER}: called the complainant back.",
            }
            self.timed("note", case + "actions/add/", data)


def _environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "MEESAQ_VAR_DIR": str(ROOT / "var" / "soak"),
            "DATABASE_URL": args.database_url,
            "MEESAQ_DEMO_PASSWORD": PASSWORD,
            "MEESAQ_WEB_WORKERS": str(args.workers),
            "PORT": str(args.port),
            "HOST": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    return env


def _fresh_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _counts(env: dict[str, str], since: datetime) -> dict[str, int]:
    """Count, in the soak's database, the cases and notes the soak's accounts made since then."""
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "meesaq.settings"})
    import django

    django.setup()
    from meesaq.cases.models import Case, CaseAction

    return {
        "intake": Case.objects.filter(
            recorded_by__username__in=ACCOUNTS, title__startswith=MARKER, created_at__gte=since
        ).count(),
        "note": CaseAction.objects.filter(
            author__username__in=ACCOUNTS, kind="note", created_at__gte=since
        ).count(),
    }


def _wait_ready(base: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:  # noqa: S310
                if response.status == 200:  # noqa: PLR2004
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not become ready")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def _drive(clients: list[StaffClient], stats: Stats, args: argparse.Namespace) -> float:
    """Run every client until the time or the request budget is spent; return the seconds."""
    deadline = time.monotonic() + args.seconds

    def run(client: StaffClient, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311  # a load mix, not a secret
        while time.monotonic() < deadline and stats.requests < args.max_requests:
            try:
                client.step(rng)
            except OSError as error:
                with stats.lock:
                    stats.failures.append(f"connection: {type(error).__name__}")

    threads = [
        threading.Thread(target=run, args=(client, seed)) for seed, client in enumerate(clients)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


def _report(stats: Stats, counts: dict[str, int], elapsed: float, clients: int) -> bool:
    """Print and store the results; return whether the soak passed."""
    mismatches = {
        kind: (stats.acknowledged[kind], counts[kind])
        for kind in ("intake", "note")
        if stats.acknowledged[kind] != counts[kind]
    }
    report: dict[str, Any] = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": stats.requests,
        "requests_per_second": round(stats.requests / elapsed, 1) if elapsed else 0,
        "server_errors": len(stats.server_errors),
        "failures": len(stats.failures),
        "acknowledged": dict(stats.acknowledged),
        "refused": {kind: len(reasons) for kind, reasons in stats.refused.items()},
        "refusal_reasons": sorted({r for reasons in stats.refused.values() for r in reasons}),
        "rows_found": counts,
        "row_mismatches": mismatches,
        "latency_ms": {
            kind: {
                "count": len(values),
                "p50": round(statistics.median(values) * 1000, 1),
                "p95": round(_percentile(values, 0.95), 1),
                "p99": round(_percentile(values, 0.99), 1),
            }
            for kind, values in sorted(stats.latencies.items())
        },
        "first_problems": (stats.server_errors + stats.failures)[:10],
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(report, indent=2), "utf-8")
    print("| operation | requests | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    for kind, row in report["latency_ms"].items():
        print(f"| {kind} | {row['count']} | {row['p50']} | {row['p95']} | {row['p99']} |")
    print(
        f"\n{report['requests']} requests in {report['seconds']} s "
        f"({report['requests_per_second']}/s) by {clients} clients; "
        f"{report['server_errors']} server errors, {report['failures']} failed requests; "
        f"acknowledged {dict(stats.acknowledged)}, found in the database {counts}."
    )
    if stats.refused:
        print(f"refused with a message (nothing written): {report['refused']}")
        for reason in report["refusal_reasons"]:
            print(f"  - {reason}")
    ok = not stats.server_errors and not stats.failures and not mismatches
    print("SOAK PASSED" if ok else f"SOAK FAILED: {report['first_problems']} {mismatches}")
    return ok


def main() -> int:
    """Run the soak and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/meesaq_soak")
    args = parser.parse_args()
    env = _environment(args)
    _fresh_database(args.database_url)
    meesaq = [sys.executable, "-m", "meesaq.cli"]
    subprocess.run([*meesaq, "setup"], env=env, check=True, capture_output=True)  # noqa: S603
    log = (ROOT / "var" / "soak" / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603  # our own command
        [*meesaq, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{args.port}"
    stats = Stats()
    try:
        _wait_ready(base, 120)
        started_at = datetime.now(UTC)
        clients = [
            StaffClient(base, ACCOUNTS[number % len(ACCOUNTS)], stats)
            for number in range(args.clients)
        ]
        for client in clients:
            client.sign_in()
        elapsed = _drive(clients, stats, args)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    counts = _counts(env, started_at)
    return 0 if _report(stats, counts, elapsed, args.clients) else 1


if __name__ == "__main__":
    sys.exit(main())
