"""The full rebuild of the facts and the cube as set-based SQL on PostgreSQL.

The same rules as ``summary._facts_for`` and ``summary._cube_rows`` (Python, used on SQLite and
for incremental refreshes), written as ``INSERT … SELECT``: at a million cases the database does
in seconds what Python does in minutes. Tests compare the facts both produce, row by row.
Only table and column names from the models go into the SQL text; every value is a parameter.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import connection

from meesaq.cases.deadlines import AWAITING_FIRST_ACTION, FIRST_ACTION_WITHIN
from meesaq.cases.models import AffectedGroup, Case, ComplainantFeedback, FeedbackAnswer
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.reports.models import CaseCube, CaseFact


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def insert_facts(now: datetime) -> int:
    """Write one fact per case (the facts table is empty); return how many were written."""
    from meesaq.sla.models import CaseDeadlines

    through = Case.groups.through
    group_table = _table(AffectedGroup)
    fallback = " ".join(
        f"WHEN %s THEN k.received_at + interval '{int(within.total_seconds())} seconds'"
        for within in FIRST_ACTION_WITHIN.values()
    )
    sql = f"""
        INSERT INTO {_table(CaseFact)} (
            case_id, organisation_id, district_id, tehsil_id, jurisdiction_path, category_id,
            group_key, channel, status, priority, outcome_id, received_on, resolved_on, is_open,
            days_to_first_action, days_to_resolution, first_action_on_time, resolution_on_time,
            satisfaction, refreshed_at
        )
        SELECT
            c.id, c.organisation_id, c.district_id, c.tehsil_id, c.jurisdiction_path,
            c.category_id, COALESCE(g.group_key, ''), c.channel, c.status, c.priority,
            c.outcome_id,
            (c.received_at AT TIME ZONE %s)::date,
            (COALESCE(c.resolved_at, c.closed_at) AT TIME ZONE %s)::date,
            c.status = ANY(%s),
            EXTRACT(EPOCH FROM (c.first_action_at - c.received_at)) / 86400.0,
            EXTRACT(EPOCH FROM (COALESCE(c.resolved_at, c.closed_at) - c.received_at)) / 86400.0,
            CASE
                WHEN c.first_action_at IS NOT NULL THEN c.first_action_at <= c.first_due
                WHEN c.status = ANY(%s) AND c.status = ANY(%s) AND %s > c.first_due THEN FALSE
            END,
            CASE
                WHEN d.resolution_due IS NULL THEN NULL
                WHEN COALESCE(c.resolved_at, c.closed_at) IS NOT NULL
                    THEN COALESCE(c.resolved_at, c.closed_at) <= d.resolution_due
                WHEN c.status = ANY(%s) AND %s > d.resolution_due THEN FALSE
            END,
            COALESCE(f.answer, ''),
            %s
        FROM (
            SELECT k.*, COALESCE(
                kd.first_action_due, CASE k.priority {fallback} END
            ) AS first_due
            FROM {_table(Case)} k
            LEFT JOIN {_table(CaseDeadlines)} kd ON kd.case_id = k.id
        ) c
        LEFT JOIN {_table(CaseDeadlines)} d ON d.case_id = c.id
        LEFT JOIN (
            SELECT t.case_id,
                ',' || string_agg(ag.code, ',' ORDER BY ag.code COLLATE "C") || ',' AS group_key
            FROM {_table(through)} t JOIN {group_table} ag ON ag.id = t.affectedgroup_id
            GROUP BY t.case_id
        ) g ON g.case_id = c.id
        LEFT JOIN (
            SELECT DISTINCT ON (case_id) case_id, answer
            FROM {_table(ComplainantFeedback)}
            WHERE answer = ANY(%s)
            ORDER BY case_id, requested_at DESC, id DESC
        ) f ON f.case_id = c.id
    """  # noqa: S608
    zone = settings.TIME_ZONE
    open_statuses = sorted(str(status) for status in OPEN_STATUSES)
    answers = [
        str(answer)
        for answer in (
            FeedbackAnswer.SATISFIED,
            FeedbackAnswer.PARTLY,
            FeedbackAnswer.NOT_SATISFIED,
        )
    ]
    # In the order of the placeholders in the text above (the subquery's come after).
    params: list[Any] = [
        zone,
        zone,
        open_statuses,
        open_statuses,
        [str(status) for status in AWAITING_FIRST_ACTION],
        now,
        open_statuses,
        now,
        now,
        *(str(priority) for priority in FIRST_ACTION_WITHIN),
        answers,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


# The cube's dimensions, in the order of its unique key (``summary.CUBE_DIMENSIONS``).
CUBE_KEYS = (
    "organisation_id",
    "district_id",
    "tehsil_id",
    "jurisdiction_path",
    "category_id",
    "group_key",
    "channel",
)


def insert_cube(days: set[date] | None) -> int:
    """Write the cube rows of these days (all when None) from the facts; return the count."""
    keys = ", ".join(CUBE_KEYS)
    received_only = "" if days is None else "WHERE received_on = ANY(%s)"
    resolved_only = "" if days is None else "AND resolved_on = ANY(%s)"
    sql = f"""
        INSERT INTO {_table(CaseCube)} (
            day, {keys}, received, resolved, open, first_action_on_time, first_action_late,
            resolution_on_time, resolution_late, satisfied, partly_satisfied, not_satisfied
        )
        SELECT day, {keys}, SUM(received), SUM(resolved), SUM(open), SUM(fa_on), SUM(fa_late),
            SUM(res_on), SUM(res_late), SUM(yes), SUM(partly), SUM(no)
        FROM (
            SELECT received_on AS day, {keys}, 1 AS received, 0 AS resolved,
                is_open::int AS open,
                (first_action_on_time IS TRUE)::int AS fa_on,
                (first_action_on_time IS FALSE)::int AS fa_late,
                (resolution_on_time IS TRUE)::int AS res_on,
                (resolution_on_time IS FALSE)::int AS res_late,
                (satisfaction = %s)::int AS yes,
                (satisfaction = %s)::int AS partly,
                (satisfaction = %s)::int AS no
            FROM {_table(CaseFact)} {received_only}
            UNION ALL
            SELECT resolved_on, {keys}, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0
            FROM {_table(CaseFact)} WHERE resolved_on IS NOT NULL {resolved_only}
        ) AS counted
        GROUP BY day, {keys}
        ORDER BY day
    """  # noqa: S608
    # In order of day: a dashboard reads the cube by day ranges (the days of a partly covered
    # month), and rows written in that order sit together on disk.
    params: list[Any] = [
        str(FeedbackAnswer.SATISFIED),
        str(FeedbackAnswer.PARTLY),
        str(FeedbackAnswer.NOT_SATISFIED),
    ]
    if days is not None:
        wanted = sorted(days)
        params += [wanted, wanted]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def analyze() -> None:
    """Refresh the planner's statistics of the summary tables after a full rebuild."""
    from meesaq.reports.models import CubeMargin, ReferralFact

    with connection.cursor() as cursor:
        for model in (CaseFact, CaseCube, CubeMargin, ReferralFact):
            cursor.execute(f"ANALYZE {_table(model)}")


def vacuum() -> None:
    """Reclaim the rows a full rebuild deleted (outside any transaction).

    Without it the next rebuild appends after a table's worth of dead rows, and the first
    reads pay for marking the new rows as committed; after it the next rebuild refills the
    table from the start, in order of day.
    """
    from meesaq.reports.models import CubeMargin, ReferralFact

    with connection.cursor() as cursor:
        for model in (CaseFact, CaseCube, CubeMargin, ReferralFact):
            cursor.execute(f"VACUUM (ANALYZE) {_table(model)}")
