"""Medians over the summary facts: PostgreSQL computes them, SQLite (the demo) in Python."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import Aggregate, FloatField, QuerySet


class Median(Aggregate):
    """PostgreSQL's continuous median of a column."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def medians_by(
    rows: QuerySet[Any], *, group_by: Sequence[str], column: str
) -> dict[tuple[Any, ...], float | None]:
    """Return the median of ``column`` for each combination of ``group_by`` (nulls ignored)."""
    rows = rows.filter(**{f"{column}__isnull": False})
    if connection.vendor == "postgresql" and not group_by:
        middle = rows.aggregate(middle=Median(column))["middle"]
        return {(): middle} if middle is not None else {}
    if connection.vendor == "postgresql":
        found = rows.values(*group_by).annotate(middle=Median(column)).order_by()
        return {tuple(row[name] for name in group_by): row["middle"] for row in found}
    values: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for row in rows.values_list(*group_by, column).iterator(chunk_size=5000):
        values[tuple(row[:-1])].append(row[-1])
    return {key: float(median(found)) for key, found in values.items()}


def median_of(rows: QuerySet[Any], *, column: str) -> float | None:
    """Return the median of ``column`` over the rows (None when there is none)."""
    return medians_by(rows, group_by=(), column=column).get((), None)
