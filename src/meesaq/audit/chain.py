"""The chain's arithmetic: the canonical form of an event and its hash, for writer and verifier."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64
DetailValue = str | int | bool | None


def canonical_time(moment: datetime) -> str:
    """Return a moment as the fixed text that is hashed: UTC, microseconds always written."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    sequence: int,
    occurred_at: datetime,
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
    # Sorted keys, no whitespace and UTF-8 make the text independent of the database's own
    # ordering of JSON keys, so the hash written on insert is the hash recomputed on verify.
    canonical = json.dumps(
        {
            "sequence": sequence,
            "occurred_at": canonical_time(occurred_at),
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
