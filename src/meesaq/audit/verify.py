"""Checking the chain: every hash, every link, no gap, and the head agrees with the tail."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from meesaq.audit.chain import GENESIS_HASH, event_hash
from meesaq.audit.models import AuditChainHead, AuditEvent

BATCH_SIZE = 2000
_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "detail",
    "previous_hash",
    "hash",
)


@dataclass(frozen=True)
class VerifyResult:
    """What a verification found: intact, or the first event where the chain breaks and why."""

    ok: bool
    checked: int
    first_bad_sequence: int | None = None
    problem: str = ""  # edited | unlinked | missing | head_mismatch | head_missing
    reason: str = ""  # in the active language


def _broken(checked: int, sequence: int, problem: str, reason: str) -> VerifyResult:
    return VerifyResult(
        ok=False, checked=checked, first_bad_sequence=sequence, problem=problem, reason=reason
    )


def _head() -> tuple[int, str] | None:
    return (
        AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON)
        .values_list("sequence", "hash")
        .first()
    )


def verify_chain(*, batch_size: int = BATCH_SIZE) -> VerifyResult:
    """Recompute every event's hash in sequence order and compare the tail with the chain head.

    Read-only and streamed in batches, so it runs on millions of events in constant memory.
    """
    # The head is read first: events appended while we stream are then simply newer than it.
    head = _head()
    checked = 0
    expected = 1
    previous_hash = GENESIS_HASH
    rows = AuditEvent.objects.order_by("sequence").values_list(*_FIELDS, named=True)
    for row in rows.iterator(chunk_size=batch_size):
        if row.sequence != expected:
            if row.sequence - expected == 1:
                reason = _("Event #%(missing)d is missing (deleted).") % {"missing": expected}
            else:
                reason = _("Events #%(first)d to #%(last)d are missing (deleted).") % {
                    "first": expected,
                    "last": row.sequence - 1,
                }
            return _broken(checked, expected, "missing", reason)
        if row.previous_hash != previous_hash:
            reason = (
                _("It does not link to the event before it (its previous-hash does not match).")
                if expected == 1
                else _(
                    "It does not link to event #%(previous)d: its previous-hash does not match, "
                    "so event #%(previous)d was rewritten or this event was altered."
                )
                % {"previous": expected - 1}
            )
            return _broken(checked, row.sequence, "unlinked", reason)
        recomputed = event_hash(
            sequence=row.sequence,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            actor_label=row.actor_label,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            ip_address=row.ip_address,
            detail=row.detail,
            previous_hash=row.previous_hash,
        )
        if recomputed != row.hash:
            reason = _("Its contents do not match its hash (the event was edited).")
            return _broken(checked, row.sequence, "edited", reason)
        checked += 1
        previous_hash = row.hash
        expected += 1
    return _check_head(head, checked=checked, last_sequence=expected - 1, last_hash=previous_hash)


def _check_head(
    head: tuple[int, str] | None, *, checked: int, last_sequence: int, last_hash: str
) -> VerifyResult:
    """Compare the newest event with the head; only the head shows that newest events are gone."""
    problem = _head_problem(head, checked=checked, last_sequence=last_sequence, last_hash=last_hash)
    if problem is None:
        return VerifyResult(ok=True, checked=checked)
    sequence, reason = problem
    code = "head_missing" if head is None else "head_mismatch"
    return _broken(checked, sequence, code, reason)


def _head_problem(
    head: tuple[int, str] | None, *, checked: int, last_sequence: int, last_hash: str
) -> tuple[int, str] | None:
    if head is None:
        # No head and no events is an empty trail (a fresh or flushed database), not a break.
        reason = _("The chain head is missing, so deleted newest events could not be detected.")
        return (last_sequence + 1, reason) if checked else None
    head_sequence, head_hash = head
    if head_sequence > last_sequence:
        reason = _(
            "The chain head records event #%(head)d but the newest event is #%(last)d: "
            "the newest events were deleted."
        ) % {"head": head_sequence, "last": last_sequence}
        return last_sequence + 1, reason
    if head_sequence < last_sequence:
        # Appends that raced this verification moved the head on after we read it: read it again.
        fresh = _head()
        if fresh is not None and (fresh[0] > last_sequence or fresh == (last_sequence, last_hash)):
            return None
        reason = _(
            "Events after #%(head)d are not recorded in the chain head: "
            "they were added outside the application."
        ) % {"head": head_sequence}
        return head_sequence + 1, reason
    if head_hash != last_hash:
        reason = _("The chain head's hash does not match event #%(last)d.") % {
            "last": last_sequence
        }
        return last_sequence, reason
    return None
