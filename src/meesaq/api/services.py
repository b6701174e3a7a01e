"""Writes of the API: personal tokens (created, used, revoked) and idempotency keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.api.models import ApiToken, IdempotencyKey
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError

TOKEN_PREFIX = "mq_"  # noqa: S105  # a marker that makes leaked tokens easy to scan for
IDEMPOTENCY_HOURS = 24
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_EVERY = timedelta(minutes=1)
NAME_MAX = 80


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its secret: the only time the secret exists outside the caller."""

    token: ApiToken
    secret: str


def token_digest(secret: str) -> str:
    """Return the stored form of a token secret (the secret has 256 bits, so no salt is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *,
    user: User,
    name: str,
    days: int,
    read_only: bool,
    second_factor_given: bool,
    request: HttpRequest | None = None,
) -> NewToken:
    """Make a personal token for the user; refused unless the session passed two-factor."""
    if not second_factor_given:
        raise MeesaqError(
            _("Sign in with your second factor before creating a token."),
            code="second_factor_required",
        )
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise MeesaqError(
            _("Give the token a short name (at most %(count)d characters).") % {"count": NAME_MAX},
            code="name_invalid",
            fields={"name": [_("Give the token a short name.")]},
        )
    if not 1 <= days <= settings.MEESAQ_API_TOKEN_MAX_DAYS:
        raise MeesaqError(
            _("A token lives between 1 and %(count)d days.")
            % {"count": settings.MEESAQ_API_TOKEN_MAX_DAYS},
            code="days_invalid",
            fields={"days": [_("Choose how long the token lives.")]},
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:10],
            digest=token_digest(secret),
            read_only=read_only,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            actor=user,
            action="api.token_created",
            target=token,
            request=request,
            detail={"days": days, "read_only": read_only},
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, user: User, token_id: int, request: HttpRequest | None = None) -> ApiToken:
    """Revoke one of the user's own tokens (a token of someone else is "not found")."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            raise MeesaqError(_("No such token."), code="not_found")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=user, action="api.token_revoked", target=token, request=request)
    return token


def token_authenticate(*, secret: str) -> ApiToken | None:
    """Return the live token with this secret (and note its use), or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def idempotency_keys_expire(*, now: datetime | None = None) -> int:
    """Forget idempotency keys older than 24 hours; return how many went."""
    cutoff = (now or timezone.now()) - timedelta(hours=IDEMPOTENCY_HOURS)
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
