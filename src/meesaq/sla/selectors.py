"""Reads of the deadlines module: the on-time rate, a case's clocks, the work queues (with
"my referrals"), and the administrators' settings pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

import holidays
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from meesaq.access import policy
from meesaq.access.cases import SUPERVISORS
from meesaq.access.referrals import RECEIVING_ROLES, organisations_with
from meesaq.cases.deadlines import overdue_q
from meesaq.cases.models import Case, Priority, Status
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.referrals.models import OPEN_REFERRAL_STATUSES, Referral, ReferralStatus
from meesaq.sla.calendar import WorkingCalendar
from meesaq.sla.models import (
    CaseDeadlines,
    Deadline,
    DeadlineRule,
    Escalation,
    FirstContact,
    Holiday,
)
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
    works_on_cases: bool
    referrals_in: list[QueuedReferral]
    referrals_out: list[QueuedReferral]


@dataclass(frozen=True)
class QueuedReferral:
    """A referral in "my referrals": the referral, the date that matters now, and lateness."""

    referral: Referral
    due: datetime
    overdue: bool


def _queued(queryset: QuerySet[Referral], now: datetime) -> list[QueuedReferral]:
    rows = queryset.select_related("from_organisation", "to_organisation").order_by(
        "created_at", "pk"
    )[:QUEUE_LENGTH]
    queued = []
    for referral in rows:
        waiting = referral.status == ReferralStatus.SENT
        due = referral.acknowledge_by if waiting else referral.complete_by
        # As referrals' overdue_q: a referral waiting for the referrer's answer is not late.
        late = due < now and referral.status != ReferralStatus.INFO_REQUESTED
        queued.append(QueuedReferral(referral=referral, due=due, overdue=late))
    return queued


def referral_queues(
    *, user: User, now: datetime | None = None
) -> tuple[list[QueuedReferral], list[QueuedReferral]]:
    """Return "my referrals": incoming to the user's organisations, and the user's own outgoing.

    Incoming: referrals to an organisation where the user acts on referrals, waiting for an
    acknowledgement or being served. Outgoing: referrals the user sent that are still open.
    Both within ``policy.scoped(user, Referral)``.
    """
    now = now or timezone.now()
    visible = policy.scoped(user, Referral)
    incoming = visible.filter(
        to_organisation__in=organisations_with(user, RECEIVING_ROLES),
        status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE],
    )
    outgoing = visible.filter(created_by=user, status__in=OPEN_REFERRAL_STATUSES)
    return _queued(incoming, now), _queued(outgoing, now)


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
    referrals_in, referrals_out = referral_queues(user=user, now=now)
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
        works_on_cases=policy.may(user, "cases.list"),
        referrals_in=referrals_in,
        referrals_out=referrals_out,
    )


# --- Administrators' settings ------------------------------------------------------------------


@dataclass(frozen=True)
class PublicHoliday:
    """A public holiday from the holidays package."""

    day: date
    name: str


def public_holiday_list(*, today: date | None = None) -> list[PublicHoliday]:
    """Return Pakistan's public holidays of this year and the next, named in the active language."""
    today = today or timezone.localdate()
    language = "ur_PK" if (get_language() or "").startswith("ur") else "en_PK"
    days = holidays.country_holidays("PK", years=[today.year, today.year + 1], language=language)
    return [PublicHoliday(day=day, name=str(name)) for day, name in sorted(days.items())]


@dataclass(frozen=True)
class RuleTable:
    """The priority defaults and the category overrides."""

    defaults: list[DeadlineRule]
    overrides: list[DeadlineRule]


def _priority_rank(rule: DeadlineRule) -> int:
    values = list(Priority.values)
    return values.index(rule.priority) if rule.priority in values else len(values)


def deadline_rule_table() -> RuleTable:
    """Return the rules: one default per priority, then the overrides by category."""
    rules = list(DeadlineRule.objects.select_related("category"))
    defaults = sorted((rule for rule in rules if rule.category_id is None), key=_priority_rank)
    overrides = sorted(
        (rule for rule in rules if rule.category is not None),
        key=lambda rule: (rule.category.code if rule.category else "", _priority_rank(rule)),
    )
    return RuleTable(defaults=defaults, overrides=overrides)


def added_holidays() -> QuerySet[Holiday]:
    """Return the holidays administrators added, by date."""
    return Holiday.objects.order_by("date")
