"""Referral deadlines in working time, from the deadline rules (SPEC.md 3.1).

- Acknowledgement: the rule's ``referral_ack_hours`` for the case (most specific rule: category
  and priority, then priority; SPEC default 48 h), counted as working days of 24 hours like the
  first-action clock (48 h = two working days, at the same time of day).
- Completion: the case's ``resolution_days`` from the same rule, in working days from the
  moment the referral is sent (a referral should not outlive the case's own resolution window).

Weekends, Pakistan's public holidays and the administrators' holidays are skipped through the
``WorkingCalendar``. Without a case (older callers) the SPEC defaults below apply:
``DEFAULT_ACK_HOURS`` and ``DEFAULT_COMPLETE_WORKING_DAYS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from django.db.models import Q

from meesaq.referrals.models import ReferralStatus
from meesaq.sla.calendar import WorkingCalendar
from meesaq.sla.rules import durations_for

if TYPE_CHECKING:
    from meesaq.cases.models import Case

DEFAULT_ACK_HOURS: Final = 48
# Four working weeks: the completion window when the referral's case is not known.
DEFAULT_COMPLETE_WORKING_DAYS: Final = 20

# Calendar-time approximations, for demo data that back-dates referrals without a calendar.
ACKNOWLEDGE_WITHIN: Final = timedelta(hours=DEFAULT_ACK_HOURS)
COMPLETE_WITHIN: Final = timedelta(days=30)


def acknowledge_due(
    *, sent_at: datetime, case: Case | None = None, calendar: WorkingCalendar | None = None
) -> datetime:
    """Return when a referral sent (or answered) at ``sent_at`` must be acknowledged."""
    hours = durations_for(case).referral_ack_hours if case is not None else DEFAULT_ACK_HOURS
    return (calendar or WorkingCalendar.load()).add_day_hours(sent_at, hours)


def complete_due(
    *, sent_at: datetime, case: Case | None = None, calendar: WorkingCalendar | None = None
) -> datetime:
    """Return when a referral sent at ``sent_at`` must be completed."""
    days = (
        durations_for(case).resolution_days if case is not None else DEFAULT_COMPLETE_WORKING_DAYS
    )
    return (calendar or WorkingCalendar.load()).add_working_days(sent_at, days)


def overdue_q(*, now: datetime) -> Q:
    """Return the filter for referrals not acknowledged, or not completed, in time."""
    unacknowledged = Q(status=ReferralStatus.SENT, acknowledge_by__lt=now)
    unfinished = Q(
        status__in=[ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE], complete_by__lt=now
    )
    return unacknowledged | unfinished
