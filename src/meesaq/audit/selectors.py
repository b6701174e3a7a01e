"""Reading the audit trail for auditors: filtered, newest first, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from meesaq.access import policy
from meesaq.access.policy import AnyUser
from meesaq.audit.models import AuditChainHead, AuditEvent
from meesaq.audit.verify import VerifyResult, verify_chain

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    """What the auditor narrowed the trail to; empty values do not filter."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first, with the cursors of the pages beside it."""

    events: list[AuditEvent]
    newer_than: int | None  # pass as ``after`` to see the newer page; None on the newest page
    older_than: int | None  # pass as ``before`` to see the older page; None on the oldest page


def _start_of_day(day: date) -> datetime:
    # Auditors think in Pakistan's days, not UTC's.
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.date_from is not None:
        events = events.filter(occurred_at__gte=_start_of_day(filters.date_from))
    if filters.date_to is not None:
        events = events.filter(occurred_at__lt=_start_of_day(filters.date_to + timedelta(days=1)))
    if filters.actor:
        events = events.filter(actor_label=filters.actor)
    if filters.action:
        # A prefix, so "identity." finds every identity event (served by the action index).
        events = events.filter(action__startswith=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    return events


def audit_event_list(
    *,
    user: AnyUser,
    filters: AuditFilters,
    before: int | None = None,
    after: int | None = None,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """Return one page of events matching the filters, newest first.

    Keyset pagination on ``sequence`` (``before``/``after`` a sequence number) rather than page
    numbers: it never counts the table, and each page costs the same on millions of rows.
    """
    policy.require(user, "audit.read")
    events = _filtered(filters).only(
        "sequence", "occurred_at", "actor_label", "action", "object_type", "object_id", "ip_address"
    )
    if after is not None:
        # The page just newer than ``after``: the oldest ``page_size`` events above it, reversed.
        rows = list(events.filter(sequence__gt=after).order_by("sequence")[: page_size + 1])
        if len(rows) > page_size:
            rows = rows[:page_size][::-1]
            return AuditPage(events=rows, newer_than=rows[0].sequence, older_than=rows[-1].sequence)
        before = None  # fewer than a page is newer: that is the newest page
    elif before is not None:
        events = events.filter(sequence__lt=before)
    rows = list(events.order_by("-sequence")[: page_size + 1])
    has_older = len(rows) > page_size
    rows = rows[:page_size]
    return AuditPage(
        events=rows,
        newer_than=rows[0].sequence if before is not None and rows else None,
        older_than=rows[-1].sequence if has_older else None,
    )


def audit_chain_head() -> AuditChainHead:
    """Return the chain's head (a fresh, unsaved genesis head if the row is missing)."""
    head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON).first()
    return head if head is not None else AuditChainHead()


def audit_chain_verify(*, user: AnyUser) -> tuple[VerifyResult, AuditChainHead]:
    """Verify the whole chain for an auditor and return the result with the head it ended at."""
    policy.require(user, "audit.read")
    return verify_chain(), audit_chain_head()
