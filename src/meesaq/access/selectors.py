"""Reads that belong to access: break-glass reports and the objects they concern."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from meesaq.access import policy
from meesaq.access.models import BreakGlassView
from meesaq.accounts.models import User


def break_glass_reports_for_user(*, user: User, unreviewed_only: bool) -> QuerySet[BreakGlassView]:
    """Return the break-glass views reported to this supervisor, newest first."""
    reports = (
        policy.scoped(user, BreakGlassView)
        .exclude(user__pk=user.pk)
        .select_related("user", "organisation", "reviewed_by")
    )
    if unreviewed_only:
        reports = reports.filter(reviewed_at__isnull=True)
    return reports.order_by("-created_at")


def identity_object_for_user(*, user: User, object_type: str, object_id: str) -> models.Model:
    """Return an identity-bearing row the user can see, or 404 (missing, forbidden or unknown)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError) as error:
        raise Http404 from error
    if not policy.identity_fields(model):
        raise Http404
    found: models.Model = policy.get_scoped(user, model, pk=object_id)
    return found
