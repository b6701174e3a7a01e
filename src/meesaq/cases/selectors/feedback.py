"""Reads for closing the loop: a case's feedback requests and the supervisors who hear of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from meesaq.access import policy
from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.cases.models import ComplainantFeedback

if TYPE_CHECKING:
    from meesaq.cases.models import Case


def feedback_latest(*, case: Case) -> ComplainantFeedback | None:
    """Return the case's most recent feedback request, if any."""
    return ComplainantFeedback.objects.filter(case=case).order_by("-requested_at", "-id").first()


def feedback_for_case(*, case: Case) -> QuerySet[ComplainantFeedback]:
    """Return the case's feedback requests, newest first, with who recorded the answers."""
    return (
        ComplainantFeedback.objects.filter(case=case)
        .select_related("recorded_by", "reopen_requested_by")
        .order_by("-requested_at", "-id")
    )


def case_supervisors(*, case: Case) -> list[User]:
    """Return the active supervisors whose reach covers the case (who may reopen it)."""
    users = (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.SUPERVISOR,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    return [user for user in users if policy.may(user, "cases.supervise", case)]
