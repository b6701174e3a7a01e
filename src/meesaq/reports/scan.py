"""One read of the cube for a whole dashboard.

Every figure of the dashboard is a sum over the same filtered cube rows, broken down by one
column. On PostgreSQL one ``GROUP BY GROUPING SETS`` query returns every breakdown from a single
scan; elsewhere (SQLite, the single-machine demo) one query streams the rows and Python adds them
up. Both give the same ``Scan``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from meesaq.reports.models import CaseCube

# The breakdowns a dashboard shows (received cases in the period by each column).
BREAKDOWNS = ("category_id", "group_key", "channel", "district_id")
# Measures summed over the period (``open`` is summed over every day up to its end: open cases
# of any age).
PERIOD_MEASURES = (
    "received",
    "resolved",
    "first_action_on_time",
    "first_action_late",
    "resolution_on_time",
    "resolution_late",
    "satisfied",
    "partly_satisfied",
    "not_satisfied",
)


@dataclass
class Scan:
    """The sums a dashboard needs: by day, by each breakdown, and in total."""

    by_day: dict[date, dict[str, int]] = field(default_factory=dict)
    by: dict[str, dict[Any, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


def _python(rows: QuerySet[CaseCube], start: date) -> Scan:
    scan = Scan(by={name: defaultdict(int) for name in BREAKDOWNS})
    totals: dict[str, int] = defaultdict(int)
    days: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    columns = ("day", *BREAKDOWNS, *PERIOD_MEASURES, "open")
    for row in rows.values_list(*columns).iterator(chunk_size=5000):
        values = dict(zip(columns, row, strict=True))
        day = values["day"]
        days[day]["open"] += values["open"]
        if day < start:
            continue
        days[day]["received"] += values["received"]
        days[day]["resolved"] += values["resolved"]
        for name in BREAKDOWNS:
            scan.by[name][values[name]] += values["received"]
        for name in PERIOD_MEASURES:
            totals[name] += values[name]
    scan.by_day = {day: dict(sums) for day, sums in days.items()}
    scan.by = {name: {k: v for k, v in sums.items() if v} for name, sums in scan.by.items()}
    scan.totals = dict(totals)
    return scan


def _postgresql(rows: QuerySet[CaseCube], start: date) -> Scan:
    inner, params = rows.values(
        "day", *BREAKDOWNS, *PERIOD_MEASURES, "open"
    ).query.sql_with_params()
    sums = ", ".join(
        f'SUM(c."{name}") FILTER (WHERE c."day" >= %s) AS "{name}"' for name in PERIOD_MEASURES
    )
    groupings = ", ".join(f'GROUPING(c."{name}") AS "g_{name}"' for name in ("day", *BREAKDOWNS))
    keys = ", ".join(f'c."{name}"' for name in ("day", *BREAKDOWNS))
    sets = ", ".join(f'(c."{name}")' for name in ("day", *BREAKDOWNS))
    # Only column names from the constants above go into the text; values are parameters.
    sql = (
        f'SELECT {groupings}, {keys}, {sums}, SUM(c."open") AS "open" '  # noqa: S608
        f"FROM ({inner}) AS c GROUP BY GROUPING SETS ({sets}, ())"
    )
    arguments = [start] * len(PERIOD_MEASURES) + list(params)
    # Arguments of the FILTER clauses come before those of the subquery, in the text's order.
    scan = Scan(by={name: {} for name in BREAKDOWNS})
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        names = [column[0] for column in cursor.description]
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            if values["g_day"] == 0:
                scan.by_day[values["day"]] = {
                    "received": values["received"] or 0,
                    "resolved": values["resolved"] or 0,
                    "open": values["open"] or 0,
                }
                continue
            for name in BREAKDOWNS:
                if values[f"g_{name}"] == 0:
                    if values["received"]:
                        scan.by[name][values[name]] = values["received"]
                    break
            else:
                scan.totals = {name: values[name] or 0 for name in PERIOD_MEASURES}
    return scan


def cube_scan(rows: QuerySet[CaseCube], *, start: date) -> Scan:
    """Return the sums of the rows (already filtered up to the period's end) in one read."""
    if connection.vendor == "postgresql":
        return _postgresql(rows, start)
    return _python(rows, start)
