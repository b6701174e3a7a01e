"""Domain events for integrations: services publish, subscribers run once the change commits.

A service names what happened (``publish("referral.accepted", referral=...)``); modules that
tell the outside world (webhooks) subscribe in their ``ready()``. Subscribers run through
``transaction.on_commit``, so nothing is told about a change that was rolled back, and a
subscriber never runs inside the service's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

Subscriber = Callable[..., object]
_SUBSCRIBERS: dict[str, list[Subscriber]] = {}


def subscribe(event: str, handler: Subscriber) -> None:
    """Call ``handler(event=..., **objects)`` after each commit that published ``event``."""
    handlers = _SUBSCRIBERS.setdefault(event, [])
    if handler not in handlers:
        handlers.append(handler)


def publish(event: str, **objects: Any) -> None:
    """Announce that ``event`` happened in the current transaction."""
    for handler in _SUBSCRIBERS.get(event, []):
        transaction.on_commit(partial(handler, event=event, **objects))
