"""``Idempotency-Key`` on creates: the same key and body replays the first answer for 24 hours.

A key reused with another body (or for another operation) is refused with 409. Two calls racing
with one key cannot both create: the key's row is unique per user, and the loser's whole create
is rolled back and answered with the winner's result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema, Status

from meesaq.accounts.models import User
from meesaq.api.models import IdempotencyKey
from meesaq.api.services import IDEMPOTENCY_HOURS
from meesaq.core.errors import MeesaqError

HEADER = "Idempotency-Key"
KEY_MAX = 200
OPENAPI_HEADER = {
    "parameters": [
        {
            "name": HEADER,
            "in": "header",
            "required": False,
            "description": "Any unique string (a UUID): repeating the call with the same key "
            "and body returns the first result instead of creating twice (kept 24 hours).",
            "schema": {"type": "string", "maxLength": KEY_MAX},
            "example": "5f0c2f7e-4a43-4b8e-9a55-3d1f0c7f9e21",
        }
    ]
}


def _stored(user: User, key: str) -> IdempotencyKey | None:
    cutoff = timezone.now() - timedelta(hours=IDEMPOTENCY_HOURS)
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=cutoff).delete()
    return IdempotencyKey.objects.filter(user=user, key=key).first()


def _replay(row: IdempotencyKey, operation: str, digest: str) -> Status[Any]:
    if row.operation != operation or row.body_digest != digest:
        raise MeesaqError(
            _("This Idempotency-Key was already used for another request."),
            code="idempotency_conflict",
        )
    return Status(row.status_code, json.loads(row.response_body))


def idempotent(
    request: HttpRequest,
    *,
    user: User,
    operation: str,
    create: Callable[[], tuple[int, Schema]],
) -> Status[Any]:
    """Run ``create`` once per Idempotency-Key (if one is sent) and remember its answer."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return Status(*create())
    if len(key) > KEY_MAX:
        raise MeesaqError(
            _("The Idempotency-Key is too long."),
            code="invalid",
            fields={HEADER: [_("This value is too long.")]},
        )
    digest = hashlib.sha256(request.body).hexdigest()
    existing = _stored(user, key)
    if existing is not None:
        return _replay(existing, operation, digest)
    try:
        with transaction.atomic():
            status, body = create()
            IdempotencyKey.objects.create(
                user=user,
                key=key,
                operation=operation,
                body_digest=digest,
                status_code=status,
                response_body=json.dumps(body.model_dump(mode="json")),
            )
    except IntegrityError:
        winner = _stored(user, key)
        if winner is None:
            raise
        return _replay(winner, operation, digest)
    return Status(status, body)
