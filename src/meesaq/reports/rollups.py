"""Build the cube's margins (``CubeMargin``) from the cube, after each refresh of the cube.

Daily ``total`` rows per organisation and place, and monthly rows per category, channel, tehsil
and single affected group. On PostgreSQL each is one ``INSERT … SELECT … GROUP BY``; elsewhere
Python adds the cube rows up. A refresh that touched some days rebuilds those days' totals and
the whole months they fall in (a month's rows are sums over all its days).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q

from meesaq.reports.models import CaseCube, CubeMargin, Rollup

# The measures of the cube and of its margins (``summary.CUBE_MEASURES`` is this tuple).
MEASURES = (
    "received",
    "resolved",
    "open",
    "first_action_on_time",
    "first_action_late",
    "resolution_on_time",
    "resolution_late",
    "satisfied",
    "partly_satisfied",
    "not_satisfied",
)
PLACE = ("organisation_id", "district_id", "jurisdiction_path")
BATCH = 5000


def month_of(day: date) -> date:
    """Return the first day of the day's month."""
    return day.replace(day=1)


def month_end(month: date) -> date:
    """Return the last day of the month that starts on ``month``."""
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _months_q(months: list[date]) -> Q:
    condition = Q(pk__in=[])
    for month in months:
        condition |= Q(day__gte=month, day__lte=month_end(month))
    return condition


def rebuild(days: set[date] | None) -> None:
    """Rewrite the margins of these days and their months (everything when None)."""
    if days is not None and not days:
        return
    margins = CubeMargin.objects.all()
    months = sorted({month_of(day) for day in days}) if days is not None else None
    if days is not None and months is not None:
        margins.filter(rollup=Rollup.TOTAL, day__in=days).delete()
        margins.exclude(rollup=Rollup.TOTAL).filter(day__in=months).delete()
    else:
        margins.delete()
    if connection.vendor == "postgresql":
        _postgresql(days, months)
    else:
        _python(days, months)


def _python(days: set[date] | None, months: list[date] | None) -> None:
    cube = CaseCube.objects.all()
    totals: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    daily = cube if days is None else cube.filter(day__in=days)
    for row in daily.values_list("day", *PLACE, *MEASURES).iterator(chunk_size=BATCH):
        sums = totals[row[:4]]
        for index, value in enumerate(row[4:]):
            sums[index] += value
    broken: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    monthly = cube if months is None else cube.filter(_months_q(months))
    columns = ("day", *PLACE, "category_id", "group_key", "channel", "tehsil_id", *MEASURES)
    for row in monthly.values_list(*columns).iterator(chunk_size=BATCH):
        values = dict(zip(columns, row, strict=True))
        place = tuple(values[name] for name in PLACE)
        month = month_of(values["day"])
        keys = [
            (Rollup.CATEGORY, month, *place, values["category_id"], "", "", None),
            (Rollup.CHANNEL, month, *place, None, "", values["channel"], None),
            (Rollup.TEHSIL, month, *place, None, "", "", values["tehsil_id"]),
        ]
        keys += [
            (Rollup.GROUP, month, *place, None, f",{code},", "", None)
            for code in filter(None, values["group_key"].split(","))
        ]
        for key in keys:
            sums = broken[key]
            for index, name in enumerate(MEASURES):
                sums[index] += values[name]
    rows = [
        CubeMargin(
            rollup=Rollup.TOTAL,
            day=key[0],
            **dict(zip(PLACE, key[1:], strict=True)),
            **dict(zip(MEASURES, sums, strict=True)),
        )
        for key, sums in totals.items()
    ]
    rows += [
        CubeMargin(
            rollup=key[0],
            day=key[1],
            **dict(zip(PLACE, key[2:5], strict=True)),
            category_id=key[5],
            group_key=key[6],
            channel=key[7],
            tehsil_id=key[8],
            **dict(zip(MEASURES, sums, strict=True)),
        )
        for key, sums in broken.items()
    ]
    CubeMargin.objects.bulk_create(rows, batch_size=BATCH)


def _postgresql(days: set[date] | None, months: list[date] | None) -> None:
    margin = connection.ops.quote_name(CubeMargin._meta.db_table)
    cube = connection.ops.quote_name(CaseCube._meta.db_table)
    place = ", ".join(PLACE)
    sums = ", ".join(f"SUM(c.{name})" for name in MEASURES)
    columns = f"rollup, day, {place}, category_id, group_key, channel, {', '.join(MEASURES)}"
    month = "date_trunc('month', c.day)::date"
    day_only = "" if days is None else "WHERE c.day = ANY(%s)"
    month_only = "" if months is None else f"WHERE {month} = ANY(%s)"
    # Only names from this module and the models go into the text; values are parameters.
    statements = [
        (
            f"INSERT INTO {margin} ({columns}) SELECT %s, c.day, {place}, NULL, '', '', {sums} "  # noqa: S608
            f"FROM {cube} c {day_only} GROUP BY c.day, {place}",
            [Rollup.TOTAL.value] + ([sorted(days)] if days is not None else []),
        ),
        (
            f"INSERT INTO {margin} ({columns}) SELECT %s, {month}, {place}, c.category_id, "  # noqa: S608
            f"'', '', {sums} FROM {cube} c {month_only} GROUP BY {month}, {place}, c.category_id",
            [Rollup.CATEGORY.value] + ([months] if months is not None else []),
        ),
        (
            f"INSERT INTO {margin} ({columns}) SELECT %s, {month}, {place}, NULL, '', "  # noqa: S608
            f"c.channel, {sums} FROM {cube} c {month_only} GROUP BY {month}, {place}, c.channel",
            [Rollup.CHANNEL.value] + ([months] if months is not None else []),
        ),
        (
            f"INSERT INTO {margin} ({columns}, tehsil_id) SELECT %s, {month}, {place}, NULL, "  # noqa: S608
            f"'', '', {sums}, c.tehsil_id FROM {cube} c {month_only} "
            f"GROUP BY {month}, {place}, c.tehsil_id",
            [Rollup.TEHSIL.value] + ([months] if months is not None else []),
        ),
        (
            f"INSERT INTO {margin} ({columns}) SELECT %s, {month}, {place}, NULL, "  # noqa: S608
            f"',' || code || ',', '', {sums} FROM {cube} c "
            "CROSS JOIN LATERAL unnest(string_to_array(trim(both ',' from c.group_key), ',')) "
            f"AS code {month_only.replace('WHERE', 'WHERE code <> %s AND') or 'WHERE code <> %s'} "
            f"GROUP BY {month}, {place}, code",
            [Rollup.GROUP.value, ""] + ([months] if months is not None else []),
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
