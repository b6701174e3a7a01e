"""The case list's plain CSV export written by PostgreSQL's COPY (no identity columns).

The same rows as ``exports.case_export`` through ``exports.csv_lines`` (a test compares them),
but every row is formatted by the database: the labels in the active language, times in the
local time zone, a cell that a spreadsheet would read as a formula prefixed with a quote. A
province's million cases then stream at the speed of COPY, not of Python. Which cases go out is
still decided by the list's own queryset (scope, filters, search), used as a subquery.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from meesaq.cases.models import Case, Channel, Priority, Status

# exports.cell_text in SQL: a cell starting with = + - @ tab or CR gets a leading quote.
_FORMULA = "'^[=+@\\t\\r-]'"


def copy_export_available(*, identity: bool) -> bool:
    """Say whether this export can be written by COPY: plain columns, on PostgreSQL."""
    return not identity and connection.vendor == "postgresql"


def _safe(expression: str) -> str:
    return f"(CASE WHEN {expression} ~ {_FORMULA} THEN '''' || {expression} ELSE {expression} END)"


def _in_language(english: str, urdu: str) -> str:
    # core.i18n.in_active_language: the Urdu text when Urdu is active and the text exists.
    if (get_language() or "").startswith("ur"):
        return f"COALESCE(NULLIF({urdu}, ''), {english})"
    return english


class _Select:
    """The SELECT list, its parameters kept in the order of their placeholders."""

    def __init__(self) -> None:
        self.columns: list[str] = []
        self.params: list[Any] = []

    def add(self, expression: str, *params: Any) -> None:
        self.columns.append(expression)
        self.params += params

    def time(self, column: str) -> None:
        zone = timezone.get_current_timezone_name()
        self.add(f"to_char({column} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", zone)

    def label(self, column: str, choices: type[models.TextChoices]) -> None:
        whens = " ".join("WHEN %s THEN %s" for _ in choices.choices)
        pairs = [part for value, label in choices.choices for part in (value, str(label))]
        self.add(f"(CASE {column} {whens} ELSE {column} END)", *pairs)


def _statement(cases: QuerySet[Case]) -> tuple[str, list[Any]]:
    select = _Select()
    select.add("c.reference")
    select.time("c.received_at")
    select.add(_safe("c.title"))
    select.add(_safe(_in_language("cat.label_en", "cat.label_ur")))
    select.add(_safe(_in_language("d.name_en", "d.name_ur")))
    select.add(_safe(_in_language("t.name_en", "t.name_ur")))
    select.label("c.channel", Channel)
    select.label("c.status", Status)
    select.label("c.priority", Priority)
    # User.display_name: the full name, or the username when none is recorded.
    select.add(_safe("COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.username)"))
    for column in ("c.first_action_at", "c.resolved_at", "c.closed_at"):
        select.time(column)
    scope_sql, scope_params = cases.order_by().values("pk").query.sql_with_params()
    # Every piece is this module's own text; values travel as parameters.
    sql = (
        f"COPY (SELECT {', '.join(select.columns)} FROM cases_case c "  # noqa: S608
        "JOIN cases_category cat ON cat.id = c.category_id "
        "JOIN geo_adminunit d ON d.pcode = c.district_id "
        "LEFT JOIN geo_adminunit t ON t.pcode = c.tehsil_id "
        "LEFT JOIN accounts_user u ON u.id = c.assigned_to_id "
        f"WHERE c.id IN ({scope_sql}) ORDER BY c.received_at DESC, c.id DESC) "
        "TO STDOUT WITH (FORMAT csv)"
    )
    return sql, [*select.params, *scope_params]


def copy_export_lines(*, cases: QuerySet[Case], header: list[str]) -> Iterator[bytes]:
    """Yield the CSV file: a byte-order mark and the header, then COPY's blocks as they come."""
    head = io.StringIO()
    csv.writer(head).writerow(header)
    yield ("\ufeff" + head.getvalue()).encode("utf-8")
    try:
        sql, params = _statement(cases)
    except EmptyResultSet:
        return  # a filter no case can match: the header alone
    with connection.cursor() as wrapper:
        raw = wrapper.cursor
        with raw.copy(sql, params) as copy:
            for block in copy:
                yield bytes(block)
