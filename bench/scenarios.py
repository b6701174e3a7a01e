"""Benchmark scenarios: the real server stack under a real load generator, with baselines.

Starts ``meesaq serve`` (gunicorn, several workers) on loopback against the configured
PostgreSQL database, with ``bench/settings.py`` (the real settings plus a middleware that
counts each request's SQL statements), and drives it with locust, headless, for a fixed number
of requests at a fixed concurrency per scenario, signed in as the role each page is for. For
every read scenario the SQL that the server ran for a sample of its requests is replayed
straight through psycopg at the same concurrency: the floor any implementation pays. Writes
JSON and a markdown table to ``--out`` and prints the table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meesaq_bench \\
        .venv/bin/python bench/scenarios.py --cases 50000 --requests 400

``--cases`` tops the synthetic province up first (``meesaq bench generate``). Refused in
production mode. Needs the ``bench`` extra (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

import psutil
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from bench import exports
from bench.query_count import CAPTURE_DIR
from meesaq.accounts.models import User
from meesaq.cases.models import Case, CasePerson, Status
from meesaq.demo.province import demo_password, demo_refuse_in_production
from meesaq.demo.synthetic.generator import synthetic_case_count
from meesaq.demo.synthetic.province import PROVINCIAL_USERNAME, username
from meesaq.orgs.models import Organisation
from meesaq.referrals.models import OPEN_REFERRAL_STATUSES, Referral
from meesaq.referrals.services.referrals import referral_create

SIGN_IN = "/en/account/sign-in/"
# The Django admin baseline's superuser (bench/admin.py; only the benchmark installs the admin).
ADMIN_USERNAME = "bench.admin"
# Targets from the issue (p95 in ms) at 1,000,000 cases and 8 clients; output, not assertions.
TARGETS = {
    "case list": 50,
    "case list, filtered": 50,
    "case list, province": 50,
    "search by reference": 50,
    "search by CNIC": 50,
    "search by name token": 50,
    "search by title word": 50,
    "case page": 40,
    "intake POST": 100,
    "dashboard, district": 150,
    "dashboard, province": 300,
}
# Throughput targets (requests per second) at the same size and concurrency.
THROUGHPUT_TARGETS = {"mixed reads": 300}


@dataclass
class Scenario:
    """One scenario's plan: who, which requests in turn, and whether it only reads."""

    name: str
    username: str
    requests: list[dict[str, Any]]
    reads: bool = True


@dataclass
class Result:
    """What one scenario measured."""

    name: str
    requests: int
    concurrency: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests_per_s: float
    queries_per_request: float
    worker_rss_mb: float
    raw_sql_p95_ms: float | None = None
    app_to_raw_p95: float | None = None
    target_p95_ms: float | None = None
    target_requests_per_s: float | None = None
    notes: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of the values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


# --- Preparing the data the scenarios need ---------------------------------------------------


def _admin_user() -> None:
    """Make the admin baseline's superuser (a demo account: no second factor)."""
    call_command("migrate", "admin", verbosity=0)
    user, _created = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True, "is_demo": True}
    )
    user.set_password(demo_password()[0])
    user.save()


def _busiest_district() -> str:
    row = (
        Case.objects.filter(organisation__code__startswith="bench-")
        .values("district")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit("No synthetic cases: run `meesaq bench generate --cases N` first.")
    return str(row["district"])


def _sample_references(district: str, count: int) -> list[str]:
    # A random sample without ORDER BY random() over the whole table: pick random id ranges.
    ids = Case.objects.filter(district=district).values_list("id", flat=True)
    low, high = ids.order_by("id").first(), ids.order_by("-id").first()
    chooser = random.Random(8)  # noqa: S311  # a reproducible sample, not a secret
    found: list[str] = []
    while len(found) < count and low is not None and high is not None:
        start = chooser.randint(low, high)
        found += (
            Case.objects.filter(district=district, id__gte=start)
            .order_by("id")
            .values_list("reference", flat=True)[:5]
        )
    return found[:count]


def _people_sample(references: list[str]) -> tuple[list[str], list[str]]:
    """Return CNICs (typed with dashes) and family names of people on the sampled cases."""
    links = CasePerson.objects.filter(case__reference__in=references[:60]).select_related("person")
    cnics, names = [], []
    for link in links:
        person = link.person
        if person.cnic:
            cnics.append(f"{person.cnic[:5]}-{person.cnic[5:12]}-{person.cnic[12]}")
        if person.full_name and person.full_name.isascii():
            names.append(person.full_name.split()[-1])
    return cnics[:40], names[:40]


def _referrals_to_accept(district: str, count: int) -> list[int]:
    """Send ``count`` fresh referrals to the district's partner through the real service."""
    officer = User.objects.get(username=username("officer1", district))
    ngo = Organisation.objects.get(code=f"bench-{district.lower()}-ngo")
    open_cases = Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES).values("case")
    cases = (
        Case.objects.filter(district=district, status=Status.IN_ACTION, assigned_to=officer)
        .exclude(pk__in=open_cases)
        .order_by("-received_at")[:count]
    )
    made = []
    for case in cases:
        referral = referral_create(
            actor=officer,
            case=case,
            to_organisation=ngo,
            reason="Benchmark referral: legal aid.",
            shared_fields=["category", "title", "district"],
        )
        made.append(int(referral.pk))
    return made


def build_scenarios(district: str, total: int, only: list[str]) -> list[Scenario]:
    """Return the scenarios for the busiest district, each with enough distinct requests."""
    supervisor = username("supervisor", district)
    references = _sample_references(district, 200)
    cnics, names = _people_sample(references)
    words = ["land", "church", "threats", "school", "temple", "police"]
    statuses = ["in_action", "registered", "closed", "received"]
    filtered = [f"/en/cases/?status={s}&priority=high" for s in statuses]
    filtered += [
        "/en/cases/?channel=phone",
        "/en/cases/?category=threats",
        "/en/cases/?status=in_action",
    ]
    now = datetime.now(tz=UTC).astimezone()
    intake = {
        "received_at": now.strftime("%Y-%m-%dT%H:%M"),
        "channel": "walk_in",
        "district": district,
        "category": "",
        "title": "Benchmark intake threats near church",
        "narrative": "Synthetic narrative written by the benchmark.",
        "confirm_new": "on",
    }
    from meesaq.cases.models import Category

    intake["category"] = str(Category.objects.order_by("order").values_list("pk", flat=True)[0])
    wanted = not only or any(part in "referral accept" for part in only)
    accept = _referrals_to_accept(district, total) if wanted else []

    def gets(paths: list[str]) -> list[dict[str, Any]]:
        return [{"method": "GET", "path": path} for path in paths]

    def searches(queries: list[str]) -> list[dict[str, Any]]:
        return [{"method": "POST", "path": "/en/cases/", "data": {"q": q}} for q in queries]

    admin_filtered = [
        f"/bench-admin/cases/case/?status__exact={s}&priority__exact=high" for s in statuses
    ]
    admin_filtered += [
        "/bench-admin/cases/case/?channel__exact=phone",
        "/bench-admin/cases/case/",
        "/bench-admin/cases/case/?status__exact=in_action",
    ]
    return [
        Scenario("case list", supervisor, gets(["/en/cases/"])),
        Scenario("case list, filtered", supervisor, gets(filtered)),
        Scenario("case list, province", PROVINCIAL_USERNAME, gets(filtered)),
        # What a team might build instead: the admin's changelist over the same table, with
        # the same filters, for a superuser who sees every case (as the provincial officer).
        Scenario("Django admin changelist", ADMIN_USERNAME, gets(admin_filtered)),
        Scenario("search by reference", supervisor, searches(references)),
        Scenario("search by CNIC", supervisor, searches(cnics)),
        Scenario("search by name token", supervisor, searches(names)),
        Scenario("search by title word", supervisor, searches(words)),
        Scenario("case page", supervisor, gets([f"/en/cases/{r}/" for r in references])),
        Scenario("API list", supervisor, gets(["/api/v1/cases", "/api/v1/cases?status=in_action"])),
        Scenario("dashboard, district", supervisor, gets(["/en/reports/"])),
        Scenario("dashboard, province", PROVINCIAL_USERNAME, gets(["/en/reports/"])),
        Scenario("portal lodge and track pages", "", gets(["/en/report/", "/en/track/"])),
        # What a district office's staff do all day, interleaved: throughput is its measure.
        Scenario(
            "mixed reads",
            supervisor,
            gets(
                [
                    path
                    for index, reference in enumerate(references[:50])
                    for path in (
                        "/en/cases/",
                        filtered[index % len(filtered)],
                        f"/en/cases/{reference}/",
                        "/api/v1/cases",
                    )
                ]
            ),
        ),
        Scenario(
            "intake POST",
            username("intake", district),
            [{"method": "POST", "path": "/en/cases/new/", "data": intake, "follow": False}],
            reads=False,
        ),
        Scenario(
            "referral accept",
            username("partner", district),
            [
                {
                    "method": "POST",
                    "path": f"/en/referrals/{pk}/step/",
                    "data": {"step": "accept"},
                    "follow": False,
                }
                for pk in accept
            ],
            reads=False,
        ),
    ]


# --- The server -------------------------------------------------------------------------------


class Server:
    """``meesaq serve`` with the bench settings, on loopback, for the length of a run."""

    def __init__(self, *, port: int, workers: int, log: Path) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "MEESAQ_WEB_WORKERS": str(workers),
            "MEESAQ_RUN_WORKER": "false",
            # The API's per-caller rate limit would refuse a benchmark's requests.
            "MEESAQ_API_RATE": "1000000/m",
        }
        self._log = log.open("wb")
        self.process = subprocess.Popen(  # a fixed argument list, no shell
            [sys.executable, "-m", "meesaq.cli", "serve"],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):  # noqa: S310  # loopback
                    return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("The server did not start; see the server log.")

    def workers(self) -> list[psutil.Process]:
        """Return the gunicorn worker processes (not their arbiter)."""
        gunicorn = [
            child
            for child in psutil.Process(self.process.pid).children(recursive=True)
            if "gunicorn" in " ".join(child.cmdline())
        ]
        return [p for p in gunicorn if p.ppid() in {g.pid for g in gunicorn}] or gunicorn

    def worker_rss_mb(self) -> float:
        """Return the largest resident memory of a gunicorn worker, in MB."""
        return max((p.memory_info().rss for p in self.workers()), default=0) / 1_048_576

    def stop(self) -> None:
        """Stop the server and its workers."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


# --- Running one scenario ---------------------------------------------------------------------


def run_locust(
    scenario: Scenario, *, base: str, total: int, concurrency: int, folder: Path
) -> list[tuple[float, bool, int, float]]:
    """Run locust headless for one scenario; return (ms, ok, queries, end time) per request."""
    plan = folder / "plan.json"
    out = folder / "samples.json"
    plan.write_text(
        json.dumps(
            {
                "name": scenario.name,
                "username": scenario.username,
                "password": demo_password()[0],
                "requests": scenario.requests,
                "total": total,
            }
        ),
        encoding="utf-8",
    )
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    subprocess.run(  # noqa: S603  # a fixed argument list, no shell
        [
            locust,
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(concurrency),
            "--spawn-rate",
            str(concurrency),
            "--host",
            base,
            "--run-time",
            "600s",
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env={**os.environ, "BENCH_PLAN": str(plan), "BENCH_OUT": str(out)},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return [tuple(sample) for sample in json.loads(out.read_text(encoding="utf-8"))]  # type: ignore[misc]  # JSON rows


def capture_sql(scenario: Scenario, *, base: str, samples: int = 5) -> list[list[tuple[str, Any]]]:
    """Return the SELECT statements the server ran for a few of the scenario's requests."""
    import requests

    session = requests.Session()
    if scenario.username:
        page = session.get(base + SIGN_IN, timeout=30)
        token = page.cookies.get("csrftoken", "")
        session.post(
            base + SIGN_IN,
            data={
                "username": scenario.username,
                "password": demo_password()[0],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": base + SIGN_IN},
            timeout=30,
        )
    folder = Path(settings.VAR_DIR) / CAPTURE_DIR
    captured = []
    for spec in scenario.requests[:samples]:
        headers = {"X-Bench-Capture": "1", "Referer": base + spec["path"]}
        data = spec.get("data")
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
        response = session.request(
            spec["method"], base + spec["path"], data=data, headers=headers, timeout=60
        )
        # A search is a POST answered by a redirect; the list it leads to is what is measured.
        for hop in [*response.history, response]:
            name = hop.headers.get("X-Bench-Capture-File")
            if not name:
                continue
            path = folder / name
            statements = pickle.loads(path.read_bytes())  # noqa: S301  # our own server's file
            path.unlink()
            if hop is response:
                captured.append(
                    [(sql, p) for sql, p in statements if sql.lstrip().upper().startswith("SELECT")]
                )
    return captured


def replay_sql(
    requests_sql: list[list[tuple[str, Any]]], *, total: int, concurrency: int
) -> list[float]:
    """Replay each request's SELECTs through psycopg, ``concurrency`` connections at once."""
    dsn = connection.settings_dict
    conninfo = (
        f"host={dsn['HOST']} port={dsn['PORT'] or 5432} dbname={dsn['NAME']} user={dsn['USER']}"
    )
    timings: list[float] = []
    lock = threading.Lock()
    counter = {"next": 0}

    def work() -> None:
        with psycopg.connect(conninfo, password=dsn.get("PASSWORD") or None) as conn:
            while True:
                with lock:
                    index = counter["next"]
                    counter["next"] += 1
                if index >= total:
                    return
                began = time.perf_counter()
                with conn.cursor() as cursor:
                    for sql, params in requests_sql[index % len(requests_sql)]:
                        cursor.execute(sql, params)  # type: ignore[call-overload]  # captured SQL
                        cursor.fetchall()
                conn.rollback()
                with lock:
                    timings.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def summarise(
    scenario: Scenario,
    samples: list[tuple[float, bool, int, float]],
    *,
    concurrency: int,
    rss: float,
) -> Result:
    """Turn a scenario's samples into its result row."""
    times = [sample[0] for sample in samples]
    queries = [sample[2] for sample in samples if sample[2] >= 0]
    first = min((sample[3] - sample[0] / 1000 for sample in samples), default=0.0)
    last = max((sample[3] for sample in samples), default=0.0)
    return Result(
        name=scenario.name,
        requests=len(samples),
        concurrency=concurrency,
        errors=sum(1 for sample in samples if not sample[1]),
        p50_ms=percentile(times, 0.50),
        p95_ms=percentile(times, 0.95),
        p99_ms=percentile(times, 0.99),
        requests_per_s=len(samples) / (last - first) if last > first else 0.0,
        queries_per_request=statistics.mean(queries) if queries else float("nan"),
        worker_rss_mb=rss,
        target_p95_ms=TARGETS.get(scenario.name),
        target_requests_per_s=THROUGHPUT_TARGETS.get(scenario.name),
    )


# --- Output -----------------------------------------------------------------------------------

ADMIN_RATIO = "Admin/app p95 ratio"


def _admin_ratio(results: list[Result], notes: list[str]) -> None:
    """Add (or renew) the note comparing the admin changelist with the provincial list."""
    by_name = {result.name: result for result in results}
    admin, app = by_name.get("Django admin changelist"), by_name.get("case list, province")
    if admin is None or app is None or not app.p95_ms:
        return
    notes[:] = [note for note in notes if not note.startswith(ADMIN_RATIO)]
    notes.append(
        f"{ADMIN_RATIO} (admin changelist / provincial case list): "
        f"{admin.p95_ms / app.p95_ms:.2f} ({admin.p95_ms:,.0f} ms / {app.p95_ms:,.0f} ms)."
    )


def _number(value: float | None, digits: int = 0) -> str:
    if value is None or value != value:  # noqa: PLR0124  # NaN
        return "-"
    return f"{value:,.{digits}f}"


def _target(result: Result) -> str:
    if result.target_requests_per_s is not None:
        return f"≥ {result.target_requests_per_s:.0f} req/s"
    if result.target_p95_ms is not None:
        return f"p95 ≤ {result.target_p95_ms:.0f} ms"
    return "-"


def markdown(results: list[Result], meta: dict[str, Any]) -> str:
    """Return the results as a markdown table with the run's settings above it."""
    lines = [
        f"{meta['cases']:,} cases, PostgreSQL {meta['postgres']}, {meta['workers']} gunicorn "
        f"workers, {meta['concurrency']} concurrent clients (locust), {meta['requests']} "
        f"requests per scenario; {meta['machine']}; {meta['when']}.",
        "",
        "| scenario | p50 ms | p95 ms | p99 ms | target | req/s | errors | queries/req "
        "| raw SQL p95 ms | app/raw p95 | worker RSS MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines.extend(
        f"| {r.name} | {_number(r.p50_ms)} | {_number(r.p95_ms)} | {_number(r.p99_ms)} "
        f"| {_target(r)} | {_number(r.requests_per_s)} | {r.errors} "
        f"| {_number(r.queries_per_request, 1)} | {_number(r.raw_sql_p95_ms, 1)} "
        f"| {_number(r.app_to_raw_p95, 1)} | {_number(r.worker_rss_mb)} |"
        for r in results
    )
    lines += ["", *(f"- {note}" for note in meta["notes"])]
    return "\n".join(lines) + "\n"


def main() -> None:  # noqa: PLR0915  # one run's steps, in order
    """Prepare the data, start the server, run every scenario, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=0, help="top the province up to N first")
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument(
        "--only",
        default="",
        help="only scenarios whose name contains one of these (comma-separated)",
    )
    parser.add_argument(
        "--skip", default="", help="leave out scenarios whose name contains one of these"
    )
    parser.add_argument(
        "--refresh-summary",
        action="store_true",
        help="bring the dashboards' summary tables up to date first (slow at a million cases)",
    )
    args = parser.parse_args()
    demo_refuse_in_production()
    if connection.vendor != "postgresql":
        raise SystemExit("The scenarios run on PostgreSQL: set DATABASE_URL.")
    if args.cases:
        call_command("bench", "generate", "--cases", str(args.cases))
    began = time.perf_counter()
    if args.refresh_summary:
        from meesaq.reports.summary import summary_refresh

        report = summary_refresh()
        print(f"summary refreshed: {report.cases} cases in {time.perf_counter() - began:.0f} s")
    call_command("collectstatic", interactive=False, verbosity=0)
    cases = synthetic_case_count()
    _admin_user()
    district = _busiest_district()
    only = [part for part in args.only.split(",") if part]
    skip = [part for part in args.skip.split(",") if part]
    scenarios = [
        s
        for s in build_scenarios(district, args.requests, only)
        if (not only or any(part in s.name for part in only))
        and not any(part in s.name for part in skip)
    ]
    print(f"prepared {len(scenarios)} scenarios in {time.perf_counter() - began:.0f} s", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    notes = [
        f"Busiest district {district}: {Case.objects.filter(district=district).count():,} cases; "
        "district scenarios sign in as its supervisor, intake officer or partner caseworker.",
        "Raw SQL: the SELECT statements the server ran for sampled requests of the scenario, "
        "replayed through psycopg at the same concurrency (no Python, no templates).",
        "Django admin changelist: the admin installed by the benchmark settings only "
        "(bench/admin.py), the case list's columns and filters, 25 a page, the admin's defaults "
        "(it counts the matching rows on every page); compared with the provincial officer's "
        "list, who also sees every case.",
        "Searches are a POST answered by a redirect to the list; the time covers both, the "
        "query count is the list's.",
        "The load generator, the server, its workers and PostgreSQL share the machine's 2 cores "
        "with other engineers' work: numbers are noisy and pessimistic.",
    ]
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M")
    # A stopped run (Ctrl-C, kill) still stops the server it started.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    server = Server(port=args.port, workers=args.workers, log=args.out / "server.log")
    results: list[Result] = []
    extra: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for scenario in scenarios:
                before = Case.objects.count()
                samples = run_locust(
                    scenario,
                    base=server.base,
                    # Cold dashboards take seconds each: a quarter of the requests says enough.
                    total=args.requests // 4 if "dashboard" in scenario.name else args.requests,
                    concurrency=args.concurrency,
                    folder=Path(scratch),
                )
                result = summarise(
                    scenario, samples, concurrency=args.concurrency, rss=server.worker_rss_mb()
                )
                if scenario.name == "intake POST":
                    # A form shown again with errors answers 200: count the cases instead.
                    made = Case.objects.count() - before
                    result.notes.append(f"{made} cases registered")
                    result.errors = max(result.errors, result.requests - made)
                if scenario.reads:
                    captured = capture_sql(scenario, base=server.base)
                    captured = [statements for statements in captured if statements]
                    if captured:
                        raw = replay_sql(
                            captured, total=args.requests, concurrency=args.concurrency
                        )
                        result.raw_sql_p95_ms = percentile(raw, 0.95)
                        result.app_to_raw_p95 = result.p95_ms / result.raw_sql_p95_ms
                results.append(result)
                _admin_ratio(results, notes)
                write_results(results, args=args, cases=cases, notes=notes, stamp=stamp)
                print(
                    f"{scenario.name}: p95 {result.p95_ms:.0f} ms, {result.requests_per_s:.0f} "
                    f"req/s, {result.errors} errors",
                    flush=True,
                )
        if not only or any(part in "page weight" for part in only):
            weight = subprocess.run(  # noqa: S603  # a fixed argument list, no shell
                [
                    sys.executable,
                    str(ROOT / "bench" / "page_weight.py"),
                    "--base",
                    server.base,
                    "--staff-user",
                    username("supervisor", district),
                    "--staff-password",
                    demo_password()[0],
                    "--case",
                    _sample_references(district, 1)[0],
                ],
                check=False,
                capture_output=True,
                text=True,
            )
            notes.append("Page weight (bench/page_weight.py on the same server):")
            notes += [f"  {line}" for line in weight.stdout.splitlines() if line.strip()]
        if not only or any(part in "exports and backup" for part in only):
            dsn = connection.settings_dict
            measured = exports.run_all(
                base=server.base,
                username=PROVINCIAL_USERNAME,
                password=demo_password()[0],
                conninfo=f"host={dsn['HOST']} port={dsn['PORT'] or 5432} dbname={dsn['NAME']} "
                f"user={dsn['USER']}",
                workers=server.workers,
                backup="backup" not in skip,
            )
            extra["exports"] = [asdict(m) for m in measured]
            extra["exports_table"] = exports.markdown(measured)
    finally:
        server.stop()
    write_results(results, args=args, cases=cases, notes=notes, stamp=stamp, show=True, extra=extra)


def write_results(
    results: list[Result],
    *,
    args: argparse.Namespace,
    cases: int,
    notes: list[str],
    stamp: str,
    show: bool = False,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write the JSON and markdown of the results so far (after every scenario)."""
    extra = extra or {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    meta = {
        "cases": cases,
        "postgres": version,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "requests": args.requests,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM, Python {platform.python_version()}",
        "when": datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "notes": notes,
    }
    (args.out / f"scenarios-{stamp}.json").write_text(
        json.dumps(
            {
                "meta": meta,
                "results": [asdict(r) for r in results],
                "exports": extra.get("exports"),
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    table = markdown(results, meta)
    if extra.get("exports_table"):
        table += "\nExports and backup:\n\n" + extra["exports_table"]
    (args.out / f"scenarios-{stamp}.md").write_text(table, encoding="utf-8")
    if show:
        print("\n" + table)


if __name__ == "__main__":
    main()
