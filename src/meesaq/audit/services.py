"""Writing audit events: the only way rows enter the chain."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from meesaq.audit.models import AuditEvent

if TYPE_CHECKING:
    from meesaq.accounts.models import User

GENESIS_HASH = "0" * 64
DetailValue = str | int | bool | None


def event_hash(
    *,
    sequence: int,
    occurred_at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    ip_address: str | None,
    detail: dict[str, DetailValue],
    previous_hash: str,
) -> str:
    """Return the SHA-256 of an event's canonical JSON form, chained to the previous hash."""
    canonical = json.dumps(
        {
            "sequence": sequence,
            "occurred_at": occurred_at,
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "ip_address": ip_address,
            "detail": detail,
            "previous_hash": previous_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def client_address(request: HttpRequest | None) -> str | None:
    """Return the client's address as the application server saw it."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


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
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    detail = dict(detail or {})
    with transaction.atomic():
        # Lock the chain's tail so that two writers never chain to the same previous event.
        last = AuditEvent.objects.select_for_update().order_by("-sequence").first()
        sequence = (last.sequence + 1) if last else 1
        previous_hash = last.hash if last else GENESIS_HASH
        occurred_at = timezone.now()
        actor_id = actor.pk if actor is not None and actor.pk else None
        actor_label = actor.get_username() if actor is not None and actor.pk else ""
        ip_address = client_address(request)
        digest = event_hash(
            sequence=sequence,
            occurred_at=occurred_at.isoformat(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            ip_address=ip_address,
            detail=detail,
            previous_hash=previous_hash,
        )
        return AuditEvent.objects.create(
            sequence=sequence,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            ip_address=ip_address,
            detail=detail,
            previous_hash=previous_hash,
            hash=digest,
        )
