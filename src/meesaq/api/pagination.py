"""Keyset pages for API lists ordered newest first by (created_at, id), with signed cursors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def _cursor(row: Any, salt: str) -> str:
    return signing.dumps({"t": row.created_at.isoformat(), "i": row.pk}, salt=salt)


def _position(cursor: str | None, salt: str) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=salt)
        return datetime.fromisoformat(str(data["t"])), int(data["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def keyset_page(
    queryset: QuerySet[M], *, cursor: str | None, limit: int, salt: str
) -> tuple[list[M], str | None]:
    """Return one page newest first and the cursor of the next page (None on the last)."""
    position = _position(cursor, salt)
    if position is not None:
        at, pk = position
        queryset = queryset.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    rows = list(queryset.order_by("-created_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_cursor(rows[-1], salt) if more and rows else None)
