"""Rate limits for the public pages, counted in the database by a keyed hash of who or what.

The client address is the one axes derives (``MEESAQ_PROXY_COUNT`` proxies in front), so the
sign-in lockout and the portal agree on who a visitor is behind the reverse proxy.
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.http import HttpRequest
from django.utils import timezone

from meesaq.crypto.blind_index import blind_index
from meesaq.portal.models import ThrottleHit


def client_key(request: HttpRequest) -> str:
    """Return the keyed hash of the request's client address (the address is never stored)."""
    # ipware answers None when X-Forwarded-For does not match the proxies: use the connection's.
    address = get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"
    return blind_index("portal.address", str(address))


def code_key(code: str) -> str:
    """Return the keyed hash of a (typed) tracking code."""
    return blind_index("portal.code", code or "-")


def throttle_exceeded(*, scope: str, key: str, limit: int, minutes: int) -> bool:
    """Say whether ``key`` already used up its ``limit`` attempts in the last ``minutes``."""
    since = timezone.now() - timedelta(minutes=minutes)
    return ThrottleHit.objects.filter(scope=scope, key=key, at__gte=since).count() >= limit


def throttle_hit(*, scope: str, key: str, minutes: int) -> None:
    """Count one attempt, and forget this key's attempts older than the window."""
    now = timezone.now()
    ThrottleHit.objects.filter(
        scope=scope, key=key, at__lt=now - timedelta(minutes=minutes)
    ).delete()
    ThrottleHit.objects.create(scope=scope, key=key, at=now)


def throttle_clear(*, scope: str, key: str) -> None:
    """Forget a key's attempts (after a right answer)."""
    ThrottleHit.objects.filter(scope=scope, key=key).delete()
