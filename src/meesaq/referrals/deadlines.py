"""Default referral deadlines (SPEC.md 3.1); the deadlines module may make them configurable."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from meesaq.referrals.models import ReferralStatus

ACKNOWLEDGE_WITHIN = timedelta(hours=48)
COMPLETE_WITHIN = timedelta(days=30)


def acknowledge_due(*, sent_at: datetime) -> datetime:
    """Return when a referral sent (or answered) at ``sent_at`` must be acknowledged."""
    return sent_at + ACKNOWLEDGE_WITHIN


def complete_due(*, sent_at: datetime) -> datetime:
    """Return when a referral sent at ``sent_at`` must be completed."""
    return sent_at + COMPLETE_WITHIN


def overdue_q(*, now: datetime) -> Q:
    """Return the filter for referrals not acknowledged, or not completed, in time."""
    unacknowledged = Q(status=ReferralStatus.SENT, acknowledge_by__lt=now)
    unfinished = Q(
        status__in=[ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE], complete_by__lt=now
    )
    return unacknowledged | unfinished
