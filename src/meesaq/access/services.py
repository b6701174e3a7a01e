"""Writes that belong to access: break-glass views and the audit of identity views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.models import BreakGlassView
from meesaq.audit.services import AuditEntry, audit_record, audit_record_many
from meesaq.core.errors import MeesaqError

if TYPE_CHECKING:
    from meesaq.accounts.models import User

MIN_REASON_LENGTH = 20


def break_glass_open(
    *, user: User, obj: models.Model, reason: str, request: HttpRequest | None = None
) -> BreakGlassView:
    """Record a justified view of hidden identity; it opens the identity for a short while."""
    reason = reason.strip()
    if not policy.may_break_glass(user, obj):
        raise MeesaqError(_("You cannot request this view."), code="forbidden")
    if len(reason) < MIN_REASON_LENGTH:
        raise MeesaqError(
            _("Explain in at least %(count)d characters why you need to see this identity.")
            % {"count": MIN_REASON_LENGTH},
            code="reason_too_short",
            fields={"reason": [_("Please write a fuller reason.")]},
        )
    owner = policy.identity_owner(obj)
    with transaction.atomic():
        view = BreakGlassView.objects.create(
            user=user,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            organisation_id=owner.organisation_id,
            jurisdiction_path=owner.jurisdiction_path,
            reason=reason,
        )
        audit_record(
            actor=user,
            action="identity.break_glass",
            target=obj,
            request=request,
            detail={"break_glass_id": view.pk},
        )
    return view


def break_glass_review(*, reviewer: User, view: BreakGlassView) -> BreakGlassView:
    """Mark a reported break-glass view as seen by a supervisor."""
    if not policy.may(reviewer, "access.review_break_glass", view):
        raise MeesaqError(_("You cannot review this report."), code="forbidden")
    with transaction.atomic():
        view.reviewed_by = reviewer
        view.reviewed_at = timezone.now()
        view.save(update_fields=["reviewed_by", "reviewed_at"])
        audit_record(actor=reviewer, action="access.break_glass_reviewed", target=view, detail={})
    return view


def identity_viewed(
    *, user: User, obj: models.Model, request: HttpRequest | None = None, channel: str = "page"
) -> None:
    """Audit that identity fields of ``obj`` were shown to the user (page, API, export, PDF)."""
    identities_viewed(user=user, objs=[obj], request=request, channel=channel)


def identities_viewed(
    *,
    user: User,
    objs: Sequence[models.Model],
    request: HttpRequest | None = None,
    channel: str = "page",
) -> None:
    """Audit several identities shown at once (one page), one event each, in one append."""
    audit_record_many(
        actor=user,
        entries=[
            AuditEntry("identity.viewed", target=obj, detail={"channel": channel}) for obj in objs
        ],
        request=request,
    )
