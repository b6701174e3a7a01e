"""Reads of the API's own rows: a user's tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from meesaq.accounts.models import User
from meesaq.api.models import ApiToken


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """Return the user's tokens, newest first (revoked and expired ones too, for the record)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
