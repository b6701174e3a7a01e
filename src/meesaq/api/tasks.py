"""The API's background work: forgetting idempotency keys after 24 hours."""

from __future__ import annotations

from datetime import timedelta

from meesaq.core.tasks import periodic, retried_task


@periodic(every=timedelta(hours=1))
@retried_task(attempts=3)
def expire_idempotency_keys() -> int:
    """Delete idempotency keys older than 24 hours."""
    from meesaq.api.services import idempotency_keys_expire

    return idempotency_keys_expire()
