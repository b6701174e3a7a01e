"""Benchmark scenario: the dashboards over N synthetic cases.

Generates N de-identified synthetic cases quickly (``bulk_create``) into the configured database
(``DATABASE_URL``), rebuilds the summary tables, then times the dashboard, indicators, builder
and open-data reads as a provincial officer and a district supervisor. Refused in production.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meesaq_bench \\
        .venv/bin/python bench/dashboard.py --cases 1000000

The database needs migrations and places first (``meesaq migrate``, ``meesaq load-places``);
``--skip-generate`` times an existing data set again.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meesaq.settings")

import django

django.setup()

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Case, Category, Channel, Priority, Status
from meesaq.demo.province import demo_refuse_in_production
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Membership, Organisation, OrganisationKind
from meesaq.reports.builder import builder_table
from meesaq.reports.filters import ReportFilters, default_period
from meesaq.reports.indicators import indicator_values
from meesaq.reports.opendata import open_data_table
from meesaq.reports.selectors import dashboard_for_user
from meesaq.reports.summary import summary_refresh

BATCH = 5000
PROVINCE = "PK6"
STATUSES = [
    (Status.RECEIVED, 8),
    (Status.REGISTERED, 10),
    (Status.IN_ACTION, 25),
    (Status.RESOLVED, 10),
    (Status.CLOSED, 35),
    (Status.NOT_IN_MANDATE, 7),
    (Status.WITHDRAWN, 5),
]


def _organisations() -> dict[str, Organisation]:
    districts = AdminUnit.objects.filter(level=Level.DISTRICT, path__startswith=PROVINCE + "/")
    found = {}
    for district in districts:
        found[district.pcode], _created = Organisation.objects.get_or_create(
            code=f"bench-{district.pcode.lower()}",
            defaults={
                "name_en": f"Bench centre {district.name_en}",
                "kind": OrganisationKind.POLICE_CENTRE,
                "jurisdiction": district,
            },
        )
    return found


def _user(name: str, organisation: Organisation, role: Role) -> User:
    user, _created = User.objects.get_or_create(username=name)
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def generate(count: int, *, seed: int = 1, within_days: int = 3 * 365) -> None:
    """Write ``count`` synthetic cases received over the last ``within_days`` (three years)."""
    chooser = random.Random(seed)  # noqa: S311  # reproducible synthetic data
    organisations = _organisations()
    districts = sorted(organisations)
    # A few districts carry most cases (Zipf-like weights).
    weights = [1 / (rank + 1) for rank in range(len(districts))]
    tehsils: dict[str, list[str]] = {}
    for pcode, parent in AdminUnit.objects.filter(
        level=Level.TEHSIL, parent_id__in=districts
    ).values_list("pcode", "parent_id"):
        tehsils.setdefault(parent, []).append(pcode)
    paths = dict(AdminUnit.objects.filter(pcode__in=districts).values_list("pcode", "path"))
    categories = list(Category.objects.values_list("pk", flat=True))
    category_weights = [1 / (rank + 1) for rank in range(len(categories))]
    groups = list(AffectedGroup.objects.values_list("pk", flat=True))
    channels = [choice for choice, _label in Channel.choices]
    statuses, status_weights = zip(*STATUSES, strict=True)
    now = timezone.now()
    start = Case.objects.count()
    through = Case.groups.through
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        batch = []
        for index in range(size):
            number = start + made + index + 1
            district = chooser.choices(districts, weights)[0]
            received = now - timedelta(minutes=chooser.randint(0, within_days * 24 * 60))
            status = chooser.choices(statuses, status_weights)[0]
            acted = status not in {Status.RECEIVED, Status.REGISTERED}
            first_action = (
                received + timedelta(hours=chooser.expovariate(1 / 60)) if acted else None
            )
            finished = (
                received + timedelta(days=chooser.expovariate(1 / 35))
                if status in {Status.RESOLVED, Status.CLOSED}
                else None
            )
            batch.append(
                Case(
                    reference=f"BN-BEN-2026-{number:07d}",
                    organisation=organisations[district],
                    district_id=district,
                    tehsil_id=chooser.choice(tehsils[district]) if tehsils.get(district) else None,
                    jurisdiction_path=paths[district],
                    received_at=received,
                    channel=chooser.choice(channels),
                    category_id=chooser.choices(categories, category_weights)[0],
                    title="Synthetic benchmark case",
                    status=status,
                    priority=chooser.choices(
                        [Priority.URGENT, Priority.HIGH, Priority.NORMAL], [1, 3, 10]
                    )[0],
                    first_action_at=min(first_action, now) if first_action else None,
                    resolved_at=min(finished, now) if finished else None,
                    closed_at=min(finished, now) if finished and status == Status.CLOSED else None,
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(batch, batch_size=1000)
            links = [
                through(case_id=case.pk, affectedgroup_id=group)
                for case in created
                for group in chooser.sample(groups, chooser.choice([0, 1, 1, 1, 2]))
            ]
            through.objects.bulk_create(links, batch_size=5000)
        made += size
        print(f"  {made} cases written", flush=True)


def timed(label: str, run: Callable[[], Any], *, repeat: int = 5) -> float:
    """Time a read: cold (figure cache emptied each time) and then warm; print medians in ms."""
    cold = []
    for _ in range(repeat):
        caches["figures"].clear()
        began = time.perf_counter()
        run()
        cold.append((time.perf_counter() - began) * 1000)
    began = time.perf_counter()
    run()
    warm = (time.perf_counter() - began) * 1000
    middle = statistics.median(cold)
    print(f"| {label} | {middle:.0f} ms | {max(cold):.0f} ms | {warm:.1f} ms |", flush=True)
    return middle


def main() -> None:
    """Generate, rebuild the summary tables, and time the report reads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--skip-rebuild", action="store_true")
    args = parser.parse_args()
    demo_refuse_in_production()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not args.skip_generate:
        began = time.perf_counter()
        generate(args.cases)
        print(f"generated {args.cases} cases in {time.perf_counter() - began:.0f} s")
    if not args.skip_rebuild:
        began = time.perf_counter()
        report = summary_refresh(full=True)
        print(
            f"full summary rebuild: {report.cases} cases, {report.cube_rows} cube rows, "
            f"{time.perf_counter() - began:.1f} s"
        )
    organisations = _organisations()
    province = AdminUnit.objects.get(pcode=PROVINCE)
    department, _created = Organisation.objects.get_or_create(
        code="bench-province",
        defaults={
            "name_en": "Bench provincial department",
            "kind": OrganisationKind.MINORITIES_AFFAIRS_OFFICE,
            "jurisdiction": province,
        },
    )
    provincial = _user("bench-provincial", department, Role.PROVINCIAL_OFFICER)
    busiest = max(organisations, key=lambda pcode: Case.objects.filter(district_id=pcode).count())
    supervisor = _user("bench-supervisor", organisations[busiest], Role.SUPERVISOR)
    start, end = default_period()
    year = ReportFilters(date_from=start, date_to=end)
    three_years = ReportFilters(date_from=end - timedelta(days=3 * 365), date_to=end)
    narrowed = year.with_(category="threats", channel="phone")
    print(f"\n{Case.objects.count()} cases in the database\n")
    print("| read | cold median | cold slowest | warm (cached) |\n| --- | --- | --- | --- |")
    timed(
        "dashboard, provincial officer, 12 months",
        lambda: dashboard_for_user(user=provincial, filters=year),
    )
    timed(
        "dashboard, provincial officer, 3 years",
        lambda: dashboard_for_user(user=provincial, filters=three_years),
    )
    timed(
        "dashboard, provincial officer, category + channel",
        lambda: dashboard_for_user(user=provincial, filters=narrowed),
    )
    timed(
        "dashboard, district supervisor, 12 months",
        lambda: dashboard_for_user(user=supervisor, filters=year),
    )
    timed("indicators, provincial officer", lambda: indicator_values(user=provincial, filters=year))
    timed(
        "builder district x category, count",
        lambda: builder_table(
            user=provincial, filters=year, rows="district", columns="category", measure="count"
        ),
    )
    timed(
        "builder district, median days to resolution",
        lambda: builder_table(
            user=provincial, filters=year, rows="district", columns="", measure="median_resolution"
        ),
    )
    timed(
        "open data by category",
        lambda: open_data_table(user=provincial, filters=year, by="category"),
    )
    # What a five-minute refresh meets: new cases received today.
    generate(100, seed=2, within_days=1)
    began = time.perf_counter()
    incremental = summary_refresh()
    print(
        f"\nincremental refresh after 100 new cases received today: {incremental.cases} cases "
        f"re-read, {(time.perf_counter() - began) * 1000:.0f} ms"
    )
    # The worst case: new cases spread over three years touch every month's margins.
    generate(100, seed=4)
    began = time.perf_counter()
    incremental = summary_refresh()
    print(
        f"incremental refresh after 100 new cases received over three years: "
        f"{incremental.cases} cases re-read, {(time.perf_counter() - began) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
