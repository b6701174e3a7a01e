"""Writing audit events: the only way rows enter the chain."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from meesaq.audit.chain import GENESIS_HASH, DetailValue, event_hash
from meesaq.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from meesaq.accounts.models import User

__all__ = [
    "GENESIS_HASH",
    "AuditChainError",
    "AuditEntry",
    "DetailValue",
    "audit_record",
    "audit_record_many",
    "event_hash",
]


class AuditChainError(RuntimeError):
    """Raised when the chain cannot be extended safely (its head row is gone)."""


def client_address(request: HttpRequest | None) -> str | None:
    """Return the client's address as the application server saw it, in canonical form."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    if not address:
        return None
    try:
        # Canonical text, so PostgreSQL's inet type gives back exactly what was hashed.
        return str(ipaddress.ip_address(str(address)))
    except ValueError:
        return None


def _locked_head() -> AuditChainHead:
    # The head row is created by migration 0003; it is missing only after a test flush (or
    # tampering). get_or_create on the fixed primary key is safe against a racing creator: the
    # loser's INSERT fails on the key and it then waits for, and locks, the winner's row.
    head, created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=AuditChainHead.SINGLETON,
        defaults={"sequence": 0, "hash": GENESIS_HASH},
    )
    if created and AuditEvent.objects.exists():
        raise AuditChainError("the audit chain head is missing; run `meesaq audit verify`")
    return head


@dataclass(frozen=True)
class AuditEntry:
    """One event to append: what was done, to what, with details that hold no personal data."""

    action: str
    target: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    detail: dict[str, DetailValue] = field(default_factory=dict)


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    request: HttpRequest | None = None,
    detail: dict[str, DetailValue] | None = None,
) -> AuditEvent:
    """Append one event to the chain. ``detail`` must never hold personal data."""
    entry = AuditEntry(action, target, object_type, object_id, dict(detail or {}))
    return audit_record_many(actor=actor, entries=[entry], request=request)[0]


def audit_record_many(
    *, actor: User | None, entries: Sequence[AuditEntry], request: HttpRequest | None = None
) -> list[AuditEvent]:
    """Append several events of one actor in one transaction, under one lock of the head.

    A page that shows four identities records four events with one lock and one commit, not
    four: the head is the one row every writer waits for.
    """
    if any(not entry.action for entry in entries):
        raise ValueError("an audit event needs an action")
    if not entries:
        return []
    actor_id = actor.pk if actor is not None and actor.pk else None
    actor_label = actor.get_username() if actor_id is not None and actor is not None else ""
    ip_address = client_address(request)
    with transaction.atomic():
        # Appends are serialised on the one head row, not on the newest event: locking the newest
        # event locks nothing while the table is empty, and on PostgreSQL a writer that waited for
        # it would still re-read the old tail and chain to it. Locking the head makes the second
        # writer wait and then see the first writer's sequence and hash. (SQLite has no row locks;
        # there transaction_mode IMMEDIATE already makes every writing transaction serial.)
        head = _locked_head()
        occurred_at = timezone.now()
        events = []
        for entry in entries:
            object_type, object_id = entry.object_type, entry.object_id
            if entry.target is not None:
                object_type = object_type or entry.target._meta.label_lower
                object_id = object_id or str(entry.target.pk)
            # The hash covers exactly the columns the row stores, so one set of values feeds both.
            fields: dict[str, Any] = {
                "sequence": head.sequence + 1,
                "occurred_at": occurred_at,
                "actor_id": actor_id,
                "actor_label": actor_label,
                "action": entry.action,
                "object_type": object_type,
                "object_id": object_id,
                "ip_address": ip_address,
                "detail": entry.detail,
                "previous_hash": head.hash,
            }
            digest = event_hash(**fields)
            events.append(AuditEvent(**fields, hash=digest))
            head.sequence, head.hash = fields["sequence"], digest
        AuditEvent.objects.bulk_create(events)
        head.save(update_fields=["sequence", "hash"])
    return events
