"""Writes of the case workflow: status changes, assignment, priority and risk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.roles import Role
from meesaq.audit.services import audit_record
from meesaq.cases.models import Case, CaseTransition, Outcome, Priority, Status
from meesaq.cases.services.feedback import feedback_request
from meesaq.cases.workflow import ORIGINAL, OUTCOME, REASON, TransitionRow, rows_from
from meesaq.cases.workflow import transition_row as table_row
from meesaq.core import events
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Membership
from meesaq.sla.services import deadlines_refresh

if TYPE_CHECKING:
    from meesaq.accounts.models import User

REASON_MAX = 500
PRIORITY_REASON_MAX = 300
# Guards the walk along duplicate links against a chain that is already broken.
MAX_DUPLICATE_CHAIN = 100
ASSIGNABLE_ROLES = (Role.CASE_OFFICER, Role.SUPERVISOR)
RISK_FIELDS = (
    "risk_threat_to_life",
    "risk_ongoing_violence",
    "risk_child_involved",
    "risk_mob_threat",
    "risk_displacement",
)


def _status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def _locked(case: Case) -> Case:
    # The row lock makes two people pressing buttons at once take turns: the second sees the
    # first one's status and is refused if its change no longer applies.
    return Case.objects.select_for_update().get(pk=case.pk)


def _refuse_illegal(from_status: str, to_status: str) -> MeesaqError:
    return MeesaqError(
        _("This case cannot go from %(from)s to %(to)s.")
        % {"from": _status_label(from_status), "to": _status_label(to_status)},
        code="illegal_transition",
    )


def _clean_reason(row: TransitionRow, reason: str) -> str:
    reason = reason.strip()
    if row.needs(REASON) and not reason:
        raise MeesaqError(
            _("Give the reason for this step."),
            code="reason_required",
            fields={"reason": [_("Give the reason for this step.")]},
        )
    if len(reason) > REASON_MAX:
        raise MeesaqError(
            _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX},
            code="reason_too_long",
            fields={"reason": [_("This reason is too long.")]},
        )
    return reason


def _clean_outcome(row: TransitionRow, outcome: Outcome | None) -> Outcome | None:
    if not row.needs(OUTCOME):
        return None
    if outcome is None or not outcome.is_active:
        raise MeesaqError(
            _("Choose the outcome of the case before asking to close it."),
            code="outcome_required",
            fields={"outcome": [_("Choose an outcome.")]},
        )
    return outcome


def _original(*, actor: User, case: Case, row: TransitionRow, reference: str) -> Case | None:
    if not row.needs(ORIGINAL):
        return None
    reference = reference.strip().upper()
    refusal = MeesaqError(
        _("Give the reference of another case you can see, which this one repeats."),
        code="original_invalid",
        fields={"original_reference": [_("No such case, or not one you can see.")]},
    )
    if not reference or reference == case.reference:
        raise refusal
    original = policy.scoped(actor, Case).filter(reference=reference).first()
    if original is None:
        raise refusal
    # Following the original's own duplicate links must never lead back to this case.
    current: Case | None = original
    for _step in range(MAX_DUPLICATE_CHAIN):
        if current is None:
            return original
        if current.pk == case.pk:
            break
        current = current.duplicate_of
    raise MeesaqError(
        _("That case is itself marked as a duplicate of this one; the link would go in a circle."),
        code="duplicate_loop",
        fields={"original_reference": [_("This would make a circle of duplicates.")]},
    )


def case_transition(
    *,
    actor: User,
    case: Case,
    to_status: str,
    reason: str = "",
    outcome: Outcome | None = None,
    original_reference: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Move a case to another status as the transition table allows, with its audit event."""
    with transaction.atomic():
        locked = _locked(case)
        from_status = locked.status
        row = table_row(from_status, to_status)
        if row is None:
            raise _refuse_illegal(from_status, to_status)
        if not policy.may(actor, row.action, locked):
            raise MeesaqError(_("Your role cannot take this step on this case."), code="forbidden")
        reason = _clean_reason(row, reason)
        override = _check_open_referrals(actor=actor, case=locked, row=row, reason=reason)
        chosen_outcome = _clean_outcome(row, outcome)
        original = _original(actor=actor, case=locked, row=row, reference=original_reference)

        now = timezone.now()
        locked.status = row.to_status
        locked.status_changed_at = now
        locked.status_reason = reason
        if row.to_status == Status.DUPLICATE:
            locked.duplicate_of = original
        if row.to_status == Status.IN_ACTION and locked.first_action_at is None:
            locked.first_action_at = now
        if row.to_status == Status.RESOLVED:
            locked.resolved_at = now
        if row.to_status == Status.CLOSURE_REQUESTED:
            locked.outcome = chosen_outcome
            locked.closure_requested_by = actor
        if row.to_status == Status.CLOSED:
            locked.closed_at = now
        if from_status == Status.CLOSURE_REQUESTED and row.to_status == Status.IN_ACTION:
            # Returned: the proposed outcome goes; the audit trail keeps what it was.
            locked.outcome = None
            locked.closure_requested_by = None
            locked.resolved_at = None
        if row.to_status == Status.REOPENED:
            # A reopened case is open again: it has no outcome, closure or original any more.
            locked.outcome = None
            locked.closure_requested_by = None
            locked.duplicate_of = None
            locked.resolved_at = None
            locked.closed_at = None
        locked.full_clean()
        locked.save()
        CaseTransition.objects.create(
            case=locked,
            from_status=from_status,
            to_status=row.to_status,
            actor=actor,
            occurred_at=now,
            reason=reason,
        )
        detail: dict[str, str | int | bool | None] = {"from": from_status, "to": row.to_status}
        if chosen_outcome is not None:
            detail["outcome"] = chosen_outcome.code
        if original is not None:
            detail["original"] = original.reference
        if override:
            detail["override_open_referrals"] = True
        audit_record(
            actor=actor, action="cases.transition", target=locked, request=request, detail=detail
        )
        _after_transition(actor=actor, case=locked, row=row, request=request)
    return locked


def _after_transition(
    *, actor: User, case: Case, row: TransitionRow, request: HttpRequest | None
) -> None:
    """Restart the stage clock, tell the followers and, when the case is registered or closed,
    the complainant (with consent); on closing, ask the complainant how it went."""
    import logging

    from django.urls import reverse
    from django.utils import translation

    from meesaq.notifications.services import message_complainant, notify
    from meesaq.sla.services import case_followers

    deadlines_refresh(case)
    status_word = Status(row.to_status).label
    with translation.override("en"):
        link = reverse("cases:detail", kwargs={"reference": case.reference})
    notify(
        recipients=[user for user in case_followers(case) if user.pk != actor.pk],
        event="case.status_changed",
        text=_("Case %(reference)s is now %(status)s."),
        params={"reference": case.reference, "status": status_word},
        link=link,
        case=case,
    )
    if row.to_status in (Status.REGISTERED, Status.CLOSED):
        language = "ur"
        with translation.override(language):
            params = {"reference": case.reference, "status": str(status_word)}
        try:
            message_complainant(
                case=case, event="case.status_changed", params=params, language=language
            )
        except MeesaqError:
            # No template for the event: the case moves on; staff still see the change.
            logging.getLogger(__name__).warning(
                "No complainant message for case.status_changed: template missing"
            )
    if row.to_status == Status.CLOSED:
        feedback_request(case=case, actor=actor, request=request)
    events.publish(f"case.{row.to_status}", case=case)


def _check_open_referrals(*, actor: User, case: Case, row: TransitionRow, reason: str) -> bool:
    """Refuse closing a case with an open referral, unless a supervisor gives a reason.

    Returns True when the supervisor's override was used.
    """
    from meesaq.referrals.selectors import open_referrals_block_closure

    if row.to_status != Status.CLOSED or not open_referrals_block_closure(case):
        return False
    if reason.strip() and policy.may(actor, "cases.supervise", case):
        return True
    raise MeesaqError(
        _(
            "This case still has an open referral: wait for it to end, or give a reason to "
            "close it anyway."
        ),
        code="open_referrals",
        fields={"reason": [_("Give the reason for closing with a referral open.")]},
    )


def available_transitions(*, user: User, case: Case) -> list[TransitionRow]:
    """Return the changes this user may make to the case now, for the page's buttons."""
    return [row for row in rows_from(case.status) if policy.may(user, row.action, case)]


def is_assignable(*, officer: User, case: Case) -> bool:
    """Say whether the user holds a case-officer or supervisor role in the owning organisation."""
    return (
        officer.is_active
        and Membership.objects.filter(
            user=officer,
            organisation_id=case.organisation_id,
            organisation__is_active=True,
            role__in=ASSIGNABLE_ROLES,
            is_active=True,
        ).exists()
    )


def case_assign(
    *, actor: User, case: Case, officer: User | None, request: HttpRequest | None = None
) -> Case:
    """Give the case to a case officer of its organisation (or to nobody), as a supervisor."""
    with transaction.atomic():
        locked = _locked(case)
        if not policy.may(actor, "cases.supervise", locked):
            raise MeesaqError(_("Only a supervisor can assign this case."), code="forbidden")
        if officer is not None and not is_assignable(officer=officer, case=locked):
            raise MeesaqError(
                _("Choose a case officer or supervisor of the organisation that owns the case."),
                code="officer_invalid",
                fields={"officer": [_("This person cannot take this case.")]},
            )
        previous = locked.assigned_to_id
        locked.assigned_to = officer
        locked.full_clean()
        locked.save(update_fields=["assigned_to", "updated_at"])
        audit_record(
            actor=actor,
            action="cases.assigned",
            target=locked,
            request=request,
            detail={
                "officer_id": officer.pk if officer is not None else None,
                "previous_officer_id": previous,
            },
        )
    return locked


def case_priority_change(
    *,
    actor: User,
    case: Case,
    priority: str,
    reason: str,
    risk_threat_to_life: bool,
    risk_ongoing_violence: bool,
    risk_child_involved: bool,
    risk_mob_threat: bool,
    risk_displacement: bool,
    request: HttpRequest | None = None,
) -> Case:
    """Change a case's priority and risk checklist, with the reason, as someone who acts on it."""
    reason = reason.strip()
    if priority not in Priority.values:
        raise MeesaqError(
            _("Choose a priority."),
            code="priority_invalid",
            fields={"priority": [_("Choose a priority.")]},
        )
    if not reason:
        raise MeesaqError(
            _("Say why the priority or risk changes."),
            code="reason_required",
            fields={"reason": [_("Give the reason for the change.")]},
        )
    if len(reason) > PRIORITY_REASON_MAX:
        raise MeesaqError(
            _("Keep the reason under %(count)d characters.") % {"count": PRIORITY_REASON_MAX},
            code="reason_too_long",
            fields={"reason": [_("This reason is too long.")]},
        )
    risks = {
        "risk_threat_to_life": risk_threat_to_life,
        "risk_ongoing_violence": risk_ongoing_violence,
        "risk_child_involved": risk_child_involved,
        "risk_mob_threat": risk_mob_threat,
        "risk_displacement": risk_displacement,
    }
    with transaction.atomic():
        locked = _locked(case)
        if not policy.may(actor, "cases.act", locked):
            raise MeesaqError(_("Your role cannot change this case's priority."), code="forbidden")
        previous = locked.priority
        locked.priority = priority
        locked.priority_reason = reason
        for name, value in risks.items():
            setattr(locked, name, bool(value))
        locked.full_clean()
        locked.save(update_fields=["priority", "priority_reason", *RISK_FIELDS, "updated_at"])
        deadlines_refresh(locked)
        audit_record(
            actor=actor,
            action="cases.priority_changed",
            target=locked,
            request=request,
            detail={
                "from": previous,
                "to": priority,
                "risks": ",".join(
                    name.removeprefix("risk_") for name in RISK_FIELDS if risks[name]
                ),
            },
        )
    return locked
