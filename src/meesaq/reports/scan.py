"""One read of the cube for a whole dashboard.

Every figure of the dashboard is a sum over the same filtered cube rows, broken down by one
column. On PostgreSQL one ``GROUP BY GROUPING SETS`` query returns every breakdown from a single
scan; elsewhere (SQLite, the single-machine demo) one query streams the rows and Python adds them
up. Both give the same ``Scan``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from meesaq.reports.models import CaseCube, CubeMargin
from meesaq.reports.rollups import MEASURES

# The breakdowns a dashboard shows (received cases in the period by each column).
BREAKDOWNS = ("category_id", "group_key", "channel", "tehsil_id", "district_id")
# Measures summed over the period (``open`` is summed over every day up to its end: open cases
# of any age).
PERIOD_MEASURES = tuple(name for name in MEASURES if name != "open")


@dataclass
class Scan:
    """The sums a dashboard needs: by day, by each breakdown, and in total."""

    by_day: dict[date, dict[str, int]] = field(default_factory=dict)
    by: dict[str, dict[Any, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


Rows = QuerySet[CaseCube] | QuerySet[CubeMargin]


def _python(rows: Rows, start: date, breakdowns: tuple[str, ...], *, days: bool) -> Scan:
    scan = Scan(by={name: defaultdict(int) for name in breakdowns})
    totals: dict[str, int] = defaultdict(int)
    by_day: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    columns = ("day", *breakdowns, *PERIOD_MEASURES, "open")
    for row in rows.values_list(*columns).iterator(chunk_size=5000):
        values = dict(zip(columns, row, strict=True))
        day = values["day"]
        by_day[day]["open"] += values["open"]
        if day < start:
            continue
        by_day[day]["received"] += values["received"]
        by_day[day]["resolved"] += values["resolved"]
        for name in breakdowns:
            scan.by[name][values[name]] += values["received"]
        for name in PERIOD_MEASURES:
            totals[name] += values[name]
    scan.by_day = {day: dict(sums) for day, sums in by_day.items()} if days else {}
    scan.by = {name: {k: v for k, v in sums.items() if v} for name, sums in scan.by.items()}
    scan.totals = dict(totals)
    return scan


def _postgresql(rows: Rows, start: date, breakdowns: tuple[str, ...], *, days: bool) -> Scan:
    inner, params = rows.values(
        "day", *breakdowns, *PERIOD_MEASURES, "open"
    ).query.sql_with_params()
    sums = ", ".join(
        f'SUM(c."{name}") FILTER (WHERE c."day" >= %s) AS "{name}"' for name in PERIOD_MEASURES
    )
    # Without the per-day sums when only the breakdowns are wanted.
    grouped = (("day",) if days else ()) + breakdowns
    groupings = ", ".join(f'GROUPING(c."{name}") AS "g_{name}"' for name in grouped)
    keys = ", ".join(f'c."{name}"' for name in grouped)
    sets = ", ".join(f'(c."{name}")' for name in grouped)
    # Only column names from the constants above go into the text; values are parameters.
    sql = (
        f'SELECT {groupings}, {keys}, {sums}, SUM(c."open") AS "open" '  # noqa: S608
        f"FROM ({inner}) AS c GROUP BY GROUPING SETS ({sets}, ())"
    )
    arguments = [start] * len(PERIOD_MEASURES) + list(params)
    # Arguments of the FILTER clauses come before those of the subquery, in the text's order.
    scan = Scan(by={name: {} for name in breakdowns})
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        names = [column[0] for column in cursor.description]
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            if values.get("g_day") == 0:
                scan.by_day[values["day"]] = {
                    "received": values["received"] or 0,
                    "resolved": values["resolved"] or 0,
                    "open": values["open"] or 0,
                }
                continue
            for name in breakdowns:
                if values[f"g_{name}"] == 0:
                    if values["received"]:
                        scan.by[name][values[name]] = values["received"]
                    break
            else:
                scan.totals = {name: values[name] or 0 for name in PERIOD_MEASURES}
    return scan


def cube_scan(
    rows: Rows, *, start: date, breakdowns: tuple[str, ...] = BREAKDOWNS, days: bool = True
) -> Scan:
    """Return the sums of the rows (already filtered up to the period's end) in one read.

    ``rows`` are cube rows, or the margins' daily totals (then broken down by district only).
    Without ``days`` the per-day sums are left out (``by_day`` stays empty).
    """
    if connection.vendor == "postgresql":
        return _postgresql(rows, start, breakdowns, days=days)
    return _python(rows, start, breakdowns, days=days)


def _full_months(start: date, end: date) -> tuple[date, date] | None:
    """Return the first days of the first and last whole months within start..end (or None)."""
    from meesaq.reports.rollups import month_end, month_of

    first = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last = month_of(end) if end == month_end(end) else month_of(month_of(end) - timedelta(days=1))
    return (first, last) if first <= last else None


def margin_scan(
    margins: QuerySet[CubeMargin], cube: QuerySet[CaseCube], *, start: date, end: date
) -> Scan:
    """Return the same sums as ``cube_scan`` for a dashboard narrowed by period and place only.

    The time series, totals, open cases by age and districts come from the daily totals; the
    breakdowns from the monthly margins of the whole months in the period, plus the cube rows
    of the days before the first and after the last whole month. Both querysets are already
    scoped and narrowed to the place.
    """
    from meesaq.reports.models import Rollup
    from meesaq.reports.rollups import month_end

    scan = cube_scan(
        margins.filter(rollup=Rollup.TOTAL, day__lte=end), start=start, breakdowns=("district_id",)
    )
    by: dict[str, dict[Any, int]] = {name: defaultdict(int) for name in BREAKDOWNS[:4]}
    months = _full_months(start, end)
    if months is None:
        edges = Q(day__gte=start, day__lte=end)
    else:
        first, last = months
        edges = Q(day__gte=start, day__lt=first) | Q(day__gt=month_end(last), day__lte=end)
        columns = {
            Rollup.CATEGORY: "category_id",
            Rollup.CHANNEL: "channel",
            Rollup.GROUP: "group_key",
            Rollup.TEHSIL: "tehsil_id",
        }
        monthly = (
            margins.filter(rollup__in=list(columns), day__gte=first, day__lte=last)
            .values_list("rollup", *columns.values())
            .annotate(total=Sum("received"))
        )
        for rollup, *values, total in monthly:
            name = columns[Rollup(rollup)]
            by[name][dict(zip(columns.values(), values, strict=True))[name]] += total or 0
    edge = cube_scan(cube.filter(edges), start=start, breakdowns=BREAKDOWNS[:4], days=False)
    for name, sums in edge.by.items():
        for value, total in sums.items():
            by[name][value] += total
    scan.by.update({name: {k: v for k, v in sums.items() if v} for name, sums in by.items()})
    return scan
