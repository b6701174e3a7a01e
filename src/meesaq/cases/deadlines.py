"""First-action deadlines per priority (SPEC.md 3.1's defaults) and the "overdue" rule.

A case is overdue while it waits for its first action (received, registered or reopened, with
no first action recorded) longer than its priority allows. The referrals and deadlines module
makes these durations configurable and adds resolution targets and escalation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from meesaq.cases.models import Case, Priority, Status

FIRST_ACTION_WITHIN = {
    Priority.URGENT: timedelta(hours=24),
    Priority.HIGH: timedelta(hours=72),
    Priority.NORMAL: timedelta(days=7),
}
AWAITING_FIRST_ACTION = (Status.RECEIVED, Status.REGISTERED, Status.REOPENED)


def first_action_due(case: Case) -> datetime:
    """Return when the case's first action is due."""
    return case.received_at + FIRST_ACTION_WITHIN[Priority(case.priority)]


def overdue_q(*, now: datetime) -> Q:
    """Return the filter for cases past their first-action deadline."""
    late = Q(pk__in=[])
    for priority, within in FIRST_ACTION_WITHIN.items():
        late |= Q(priority=priority, received_at__lt=now - within)
    return Q(status__in=AWAITING_FIRST_ACTION, first_action_at__isnull=True) & late


def is_overdue(case: Case, *, now: datetime) -> bool:
    """Say whether this case is past its first-action deadline."""
    return (
        case.status in AWAITING_FIRST_ACTION
        and case.first_action_at is None
        and first_action_due(case) < now
    )
