"""Reads of what was done on a case: its timeline entries and its attachments."""

from __future__ import annotations

from dataclasses import dataclass, field

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.cases.models import Attachment, Case, CaseAction


@dataclass
class TimelineEntry:
    """One entry with the later entries that correct it."""

    action: CaseAction
    corrected_by: list[CaseAction] = field(default_factory=list)


def case_timeline(*, user: User, case: Case) -> list[TimelineEntry]:
    """Return the case's entries the user may see, oldest first, each with its corrections."""
    actions = list(
        policy.scoped(user, CaseAction)
        .filter(case=case)
        .select_related("author", "corrects")
        .order_by("occurred_on", "created_at", "id")
    )
    entries = {action.pk: TimelineEntry(action=action) for action in actions}
    for action in actions:
        if action.corrects_id in entries:
            entries[action.corrects_id].corrected_by.append(action)
    return list(entries.values())


def case_attachments(*, user: User, case: Case) -> list[Attachment]:
    """Return the case's attachments the user may see, oldest first."""
    return list(
        policy.scoped(user, Attachment)
        .filter(case=case)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )


def attachment_for_user(*, user: User, case: Case, attachment_id: int) -> Attachment:
    """Return one attachment of the case the user may see, else raise 404."""
    return policy.get_scoped(user, Attachment, pk=attachment_id, case=case)


def action_for_user(*, user: User, case: Case, action_id: int) -> CaseAction:
    """Return one timeline entry of the case the user may see, else raise 404."""
    return policy.get_scoped(user, CaseAction, pk=action_id, case=case)
