"""Reads of the deadlines module: the on-time rate, a case's clocks, the work queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from meesaq.access import policy
from meesaq.access.cases import SUPERVISORS
from meesaq.cases.deadlines import overdue_q
from meesaq.cases.models import Case, Status
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.sla.calendar import WorkingCalendar
from meesaq.sla.models import CaseDeadlines, Deadline, Escalation, FirstContact
from meesaq.sla.services import overdue_deadlines

if TYPE_CHECKING:
    from meesaq.accounts.models import User

QUEUE_LENGTH: Final = 25
DUE_SOON_HOURS: Final = 24


@dataclass(frozen=True)
class _Measure:
    due: str
    finished: Q
    finished_at: Any


_MEASURES: Final[dict[str, _Measure]] = {
    Deadline.RESOLUTION: _Measure(
        due="deadlines__resolution_due",
        finished=Q(resolved_at__isnull=False)
        | Q(closed_at__isnull=False)
        | ~Q(status__in=OPEN_STATUSES),
        finished_at=Coalesce("resolved_at", "closed_at", "status_changed_at"),
    ),
    Deadline.FIRST_ACTION: _Measure(
        due="deadlines__first_action_due",
        finished=Q(first_action_at__isnull=False),
        finished_at=F("first_action_at"),
    ),
    Deadline.FIRST_CONTACT: _Measure(
        due="deadlines__first_contact_due",
        finished=Q(deadlines__first_contact_at__isnull=False),
        finished_at=F("deadlines__first_contact_at"),
    ),
}


def on_time_rate(
    cases_qs: QuerySet[Case], deadline: str = Deadline.RESOLUTION, now: datetime | None = None
) -> float | None:
    """Return closed on time ÷ (closed + still open and already overdue), or None if nothing counts.

    Only cases with computed deadlines count. A case still open but not yet due is left out
    (it can still be on time); an open case already past its due date counts against the rate.
    """
    now = now or timezone.now()
    measure = _MEASURES[deadline]
    due = F(measure.due)
    counts = (
        cases_qs.filter(deadlines__isnull=False)
        .annotate(finished_at=measure.finished_at)
        .aggregate(
            on_time=Count("pk", filter=measure.finished & Q(finished_at__lte=due)),
            finished=Count("pk", filter=measure.finished),
            late_open=Count(
                "pk",
                filter=~measure.finished
                & Q(status__in=OPEN_STATUSES)
                & Q(**{f"{measure.due}__lt": now}),
            ),
        )
    )
    denominator = counts["finished"] + counts["late_open"]
    if not denominator:
        return None
    return float(counts["on_time"]) / float(denominator)


@dataclass(frozen=True)
class Clock:
    """One deadline of a case as shown on the case page."""

    name: str
    label: str
    due: datetime
    met_at: datetime | None
    overdue: bool


def case_clocks(*, case: Case, now: datetime | None = None) -> list[Clock]:
    """Return the case's clocks (empty when none are computed yet)."""
    now = now or timezone.now()
    row = CaseDeadlines.objects.filter(case=case).first()
    if row is None:
        return []
    missed = {name for name, _due in overdue_deadlines(case, row, now=now)}
    resolved = case.resolved_at or case.closed_at
    return [
        Clock(
            Deadline.FIRST_CONTACT,
            str(Deadline.FIRST_CONTACT.label),
            row.first_contact_due,
            row.first_contact_at,
            Deadline.FIRST_CONTACT in missed,
        ),
        Clock(
            Deadline.FIRST_ACTION,
            str(Deadline.FIRST_ACTION.label),
            row.first_action_due,
            case.first_action_at,
            Deadline.FIRST_ACTION in missed,
        ),
        Clock(
            Deadline.STAGE,
            str(Deadline.STAGE.label),
            row.stage_due,
            None,
            Deadline.STAGE in missed,
        ),
        Clock(
            Deadline.RESOLUTION,
            str(Deadline.RESOLUTION.label),
            row.resolution_due,
            resolved,
            Deadline.RESOLUTION in missed,
        ),
    ]


def case_contacts(*, case: Case) -> QuerySet[FirstContact]:
    """Return the call-backs recorded on a case, oldest first."""
    return case.contacts.select_related("by").order_by("at", "id")


def case_escalations(*, case: Case) -> QuerySet[Escalation]:
    """Return the case's escalations, oldest first."""
    return case.escalations.order_by("at", "id")


def is_following(*, user: User, case: Case) -> bool:
    """Say whether the user follows the case."""
    return bool(case.subscriptions.filter(user=user).exists())


@dataclass(frozen=True)
class Queues:
    """The work queues of one user."""

    mine: list[Case]
    due_soon: list[Case]
    overdue: list[Case]
    awaiting_approval: list[Case]
    supervision: list[Case]
    following: list[Case]
    is_supervisor: bool


def _list(queryset: QuerySet[Case], *order: str) -> list[Case]:
    return list(
        queryset.select_related("deadlines", "category").order_by(*order, "pk")[:QUEUE_LENGTH]
    )


def work_queues(*, user: User, now: datetime | None = None) -> Queues:
    """Return the user's queues, every one within what the user may see."""
    now = now or timezone.now()
    visible = policy.scoped(user, Case)
    open_cases = visible.filter(status__in=OPEN_STATUSES)
    soon = WorkingCalendar.load().add_working_hours(now, DUE_SOON_HOURS)
    due_soon = (
        open_cases.filter(deadlines__isnull=False)
        .exclude(overdue_q(now=now))
        .filter(
            Q(deadlines__first_contact_at__isnull=True, deadlines__first_contact_due__lte=soon)
            | Q(first_action_at__isnull=True, deadlines__first_action_due__lte=soon)
            | Q(deadlines__stage_due__lte=soon)
            | Q(resolved_at__isnull=True, deadlines__resolution_due__lte=soon)
        )
    )
    supervised = visible.filter(
        policy.reach_q(
            user,
            roles=SUPERVISORS,
            organisation_field="organisation",
            jurisdiction_path_field="jurisdiction_path",
        )
    )
    overdue = open_cases.filter(overdue_q(now=now))
    return Queues(
        mine=_list(open_cases.filter(assigned_to=user), "received_at"),
        due_soon=_list(due_soon, "deadlines__stage_due"),
        overdue=_list(overdue.filter(Q(assigned_to=user) | Q(recorded_by=user)), "received_at"),
        awaiting_approval=_list(
            supervised.filter(status=Status.CLOSURE_REQUESTED), "status_changed_at"
        ),
        supervision=_list(
            supervised.filter(status__in=OPEN_STATUSES).filter(overdue_q(now=now)),
            "-deadlines__escalation_level",
            "received_at",
        ),
        following=_list(visible.filter(subscriptions__user=user), "-received_at"),
        is_supervisor=bool(policy.grants_with(user, SUPERVISORS)),
    )
