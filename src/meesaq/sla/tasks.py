"""The periodic deadline check as a task for the queue (``meesaq tick`` enqueues it)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from meesaq.core.tasks import periodic
from meesaq.sla.services import deadlines_check, open_deadlines_recompute


# Every quarter of an hour: escalation levels are hours and days apart.
@periodic(every=timedelta(minutes=15))
@task()
def check_deadlines() -> dict[str, int]:
    """Flag overdue cases and escalate them; return the counts."""
    report = deadlines_check()
    return {
        "checked": report.checked,
        "overdue": report.overdue,
        "escalations": report.escalations,
    }


@task()
def recompute_deadlines() -> dict[str, int]:
    """Recompute every open case's due dates after the rules or the calendar changed."""
    return {"cases": open_deadlines_recompute()}
