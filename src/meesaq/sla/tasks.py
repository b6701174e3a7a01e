"""The periodic deadline check as a task for the queue (``meesaq tick`` enqueues it)."""

from __future__ import annotations

from django_tasks import task

from meesaq.sla.services import deadlines_check


@task()
def check_deadlines() -> dict[str, int]:
    """Flag overdue cases and escalate them; return the counts."""
    report = deadlines_check()
    return {
        "checked": report.checked,
        "overdue": report.overdue,
        "escalations": report.escalations,
    }
