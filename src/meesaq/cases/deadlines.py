"""The case list's "overdue" rule, on the deadlines module's computed due dates.

A case is overdue while it is open and has missed any of its clocks (call-back, first action,
current stage, resolution), as computed in working time by ``meesaq.sla.services``. A case
without computed deadlines yet (created before the module, or outside the services) falls back
to SPEC.md's first-action defaults in clock time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from meesaq.cases.models import Case, Priority, Status
from meesaq.cases.workflow import OPEN_STATUSES

FIRST_ACTION_WITHIN = {
    Priority.URGENT: timedelta(hours=24),
    Priority.HIGH: timedelta(hours=72),
    Priority.NORMAL: timedelta(days=7),
}
AWAITING_FIRST_ACTION = (Status.RECEIVED, Status.REGISTERED, Status.REOPENED)


def _computed(case: Case) -> object | None:
    from meesaq.sla.models import CaseDeadlines

    try:
        row: object = case.deadlines  # reverse one-to-one from sla
        return row
    except CaseDeadlines.DoesNotExist:
        return None


def first_action_due(case: Case) -> datetime:
    """Return when the case's first action is due."""
    row = _computed(case)
    if row is not None:
        due: datetime = row.first_action_due  # type: ignore[attr-defined]
        return due
    return case.received_at + FIRST_ACTION_WITHIN[Priority(case.priority)]


def _fallback_q(now: datetime) -> Q:
    late = Q(pk__in=[])
    for priority, within in FIRST_ACTION_WITHIN.items():
        late |= Q(priority=priority, received_at__lt=now - within)
    return Q(status__in=AWAITING_FIRST_ACTION, first_action_at__isnull=True) & late


def overdue_q(*, now: datetime) -> Q:
    """Return the filter for open cases past any of their deadlines."""
    computed = (
        Q(deadlines__first_contact_at__isnull=True, deadlines__first_contact_due__lt=now)
        | Q(
            status__in=AWAITING_FIRST_ACTION,
            first_action_at__isnull=True,
            deadlines__first_action_due__lt=now,
        )
        | Q(deadlines__stage_due__lt=now)
        | Q(resolved_at__isnull=True, deadlines__resolution_due__lt=now)
    )
    return Q(status__in=OPEN_STATUSES) & (
        (Q(deadlines__isnull=False) & computed) | (Q(deadlines__isnull=True) & _fallback_q(now))
    )


def is_overdue(case: Case, *, now: datetime) -> bool:
    """Say whether this case is past any of its deadlines."""
    from meesaq.sla.services import overdue_deadlines

    row = _computed(case)
    if row is not None:
        return bool(overdue_deadlines(case, row, now=now))  # type: ignore[arg-type]
    return (
        case.status in AWAITING_FIRST_ACTION
        and case.first_action_at is None
        and first_action_due(case) < now
    )
