"""The case workflow: ONE table of the allowed status changes, who may make them, what they need.

Services (``meesaq.cases.services.workflow``) look a change up here and refuse anything that is
not a row; pages offer exactly the rows the user may take. Nothing else decides what may follow
what.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.cases.models import Status

# The fields a row may require, as the transition service and its form name them.
REASON = "reason"
OUTCOME = "outcome"
ORIGINAL = "original_reference"

TRIAGE = "cases.triage"
ACT = "cases.act"
SUPERVISE = "cases.supervise"

# Statuses in which a case still needs work (counted in workloads, shown as "open").
OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.REGISTERED,
        Status.IN_ACTION,
        Status.RESOLVED,
        Status.CLOSURE_REQUESTED,
        Status.REOPENED,
    }
)


@dataclass(frozen=True)
class TransitionRow:
    """One allowed change of status."""

    from_status: str
    to_status: str
    action: str
    label: str | Promise
    requires: frozenset[str] = frozenset()
    # How the page draws the button: "" (main), "secondary" or "danger".
    style: str = ""

    def needs(self, field: str) -> bool:
        """Say whether this change requires the field."""
        return field in self.requires


def _rows(
    sources: tuple[str, ...],
    to_status: str,
    action: str,
    label: str | Promise,
    *,
    requires: tuple[str, ...] = (),
    style: str = "",
) -> tuple[TransitionRow, ...]:
    return tuple(
        TransitionRow(source, to_status, action, label, frozenset(requires), style)
        for source in sources
    )


S = Status
TRANSITIONS: tuple[TransitionRow, ...] = (
    *_rows((S.RECEIVED,), S.REGISTERED, TRIAGE, _("Register")),
    *_rows(
        (S.RECEIVED,),
        S.NOT_IN_MANDATE,
        TRIAGE,
        _("Not in our mandate"),
        requires=(REASON,),
        style="secondary",
    ),
    *_rows(
        (S.RECEIVED, S.REGISTERED),
        S.DUPLICATE,
        TRIAGE,
        _("Mark as duplicate"),
        requires=(ORIGINAL,),
        style="secondary",
    ),
    *_rows((S.REGISTERED,), S.IN_ACTION, ACT, _("Start action")),
    *_rows((S.IN_ACTION,), S.RESOLVED, ACT, _("Mark resolved")),
    *_rows((S.RESOLVED,), S.CLOSURE_REQUESTED, ACT, _("Request closure"), requires=(OUTCOME,)),
    *_rows((S.CLOSURE_REQUESTED,), S.CLOSED, SUPERVISE, _("Approve closure")),
    *_rows(
        (S.CLOSURE_REQUESTED,),
        S.IN_ACTION,
        SUPERVISE,
        _("Return for more action"),
        requires=(REASON,),
        style="secondary",
    ),
    *_rows(
        (S.RECEIVED, S.REGISTERED, S.IN_ACTION, S.RESOLVED),
        S.WITHDRAWN,
        ACT,
        _("Record withdrawal"),
        requires=(REASON,),
        style="danger",
    ),
    *_rows(
        (S.CLOSED, S.NOT_IN_MANDATE, S.WITHDRAWN, S.DUPLICATE),
        S.REOPENED,
        SUPERVISE,
        _("Reopen"),
        requires=(REASON,),
        style="secondary",
    ),
    *_rows((S.REOPENED,), S.IN_ACTION, ACT, _("Resume action")),
)

_BY_STEP: dict[tuple[str, str], TransitionRow] = {
    (row.from_status, row.to_status): row for row in TRANSITIONS
}


def transition_row(from_status: str, to_status: str) -> TransitionRow | None:
    """Return the row for a change, or None when the table does not allow it."""
    return _BY_STEP.get((str(from_status), str(to_status)))


def rows_from(status: str) -> list[TransitionRow]:
    """Return the rows that start at a status, in the table's order."""
    return [row for row in TRANSITIONS if row.from_status == str(status)]
