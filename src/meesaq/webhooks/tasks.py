"""Webhook deliveries through the task queue, retried with a doubling delay."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from meesaq.core.tasks import retried_task


@retried_task(attempts=settings.MEESAQ_WEBHOOK_ATTEMPTS, backoff=timedelta(minutes=1))
def deliver(delivery_id: int) -> int:
    """Send one webhook delivery; return the receiver's status code."""
    from meesaq.webhooks.services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id).response_code or 0
