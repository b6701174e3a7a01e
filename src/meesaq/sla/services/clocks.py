"""Writes of the deadlines module: refreshing a case's clocks, call-backs, escalation, following.

The lead calls ``deadlines_refresh(case)`` after a case is registered or changes status or
organisation, and ``urgent_case_alert(case)`` when an urgent case is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.roles import Role
from meesaq.audit.services import audit_record
from meesaq.cases.models import Case, Status
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import Level
from meesaq.notifications.services import notify
from meesaq.orgs.models import Membership
from meesaq.sla.calendar import WorkingCalendar
from meesaq.sla.models import (
    CaseDeadlines,
    CaseSubscription,
    ContactResult,
    Deadline,
    Escalation,
    EscalationLevel,
    FirstContact,
    SlaSettings,
)
from meesaq.sla.rules import durations_for

if TYPE_CHECKING:
    from meesaq.accounts.models import User

AWAITING_FIRST_ACTION: Final = frozenset({Status.RECEIVED, Status.REGISTERED, Status.REOPENED})

ESCALATION_TEXT: Final[dict[str, Promise]] = {
    Deadline.FIRST_CONTACT: _(
        "Case %(reference)s: the call-back is overdue (escalation %(level)s)."
    ),
    Deadline.FIRST_ACTION: _(
        "Case %(reference)s: the first action is overdue (escalation %(level)s)."
    ),
    Deadline.STAGE: _("Case %(reference)s: the current stage is overdue (escalation %(level)s)."),
    Deadline.RESOLUTION: _("Case %(reference)s: the resolution is overdue (escalation %(level)s)."),
}


def _case_link(case: Case) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference})


def deadlines_refresh(
    case: Case, *, now: datetime | None = None, calendar: WorkingCalendar | None = None
) -> CaseDeadlines:
    """Recompute the case's due dates; a new status or organisation restarts the stage clock."""
    now = now or timezone.now()
    calendar = calendar or WorkingCalendar.load()
    durations = durations_for(case)
    row = CaseDeadlines.objects.filter(case=case).first()
    if row is None:
        stage_started_at = case.status_changed_at or case.received_at
    elif row.stage_status != case.status:
        stage_started_at = case.status_changed_at or now
    elif row.stage_organisation_id != case.organisation_id:
        stage_started_at = now
    else:
        stage_started_at = row.stage_started_at
    if case.status in AWAITING_FIRST_ACTION:
        stage_due = calendar.add_day_hours(stage_started_at, durations.first_action_hours)
    else:
        stage_due = calendar.add_working_days(stage_started_at, durations.stage_days)
    contact = case.contacts.order_by("at").first()
    row = row or CaseDeadlines(case=case)
    row.first_contact_due = calendar.add_working_hours(
        case.received_at, durations.first_contact_hours
    )
    row.first_action_due = calendar.add_day_hours(case.received_at, durations.first_action_hours)
    row.resolution_due = calendar.add_working_days(case.received_at, durations.resolution_days)
    row.stage_due = stage_due
    row.stage_started_at = stage_started_at
    row.stage_status = case.status
    row.stage_organisation_id = case.organisation_id
    row.first_contact_at = contact.at if contact is not None else None
    row.computed_at = now
    if not overdue_deadlines(case, row, now=now):
        row.overdue_since = None
        row.escalation_level = 0
    row.save()
    return row


def overdue_deadlines(
    case: Case, row: CaseDeadlines, *, now: datetime
) -> list[tuple[str, datetime]]:
    """Return the deadlines this case has missed, with their due dates, earliest first."""
    if case.status not in OPEN_STATUSES:
        return []
    missed: list[tuple[str, datetime]] = []
    if row.first_contact_at is None and row.first_contact_due < now:
        missed.append((Deadline.FIRST_CONTACT, row.first_contact_due))
    if (
        case.status in AWAITING_FIRST_ACTION
        and case.first_action_at is None
        and row.first_action_due < now
    ):
        missed.append((Deadline.FIRST_ACTION, row.first_action_due))
    if row.stage_due < now:
        missed.append((Deadline.STAGE, row.stage_due))
    if case.resolved_at is None and row.resolution_due < now:
        missed.append((Deadline.RESOLUTION, row.resolution_due))
    return sorted(missed, key=lambda item: item[1])


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: index + 1]) for index in range(len(parts))]


def escalation_recipients(case: Case, level: int) -> list[User]:
    """Return who is told at this level of the ladder.

    1: supervisors of the owning organisation and of organisations at the case's district;
    2: supervisors of organisations at the case's division; 3: provincial officers whose
    organisation's jurisdiction contains the case.
    """
    memberships = Membership.objects.filter(
        is_active=True, organisation__is_active=True, user__is_active=True
    ).select_related("user", "organisation__jurisdiction")
    places = Q(organisation__jurisdiction__path__in=_ancestor_paths(case.jurisdiction_path))
    if level == EscalationLevel.DISTRICT:
        chosen = memberships.filter(role=Role.SUPERVISOR).filter(
            Q(organisation_id=case.organisation_id)
            | (places & Q(organisation__jurisdiction__level__gte=Level.DISTRICT))
        )
    elif level == EscalationLevel.DIVISION:
        chosen = memberships.filter(
            places, role=Role.SUPERVISOR, organisation__jurisdiction__level=Level.DIVISION
        )
    else:
        chosen = memberships.filter(places, role=Role.PROVINCIAL_OFFICER)
    users = {membership.user.pk: membership.user for membership in chosen}
    return [users[pk] for pk in sorted(users)]


def _escalate(case: Case, *, level: int, reason: str, now: datetime) -> Escalation | None:
    recipients = escalation_recipients(case, level)
    if level == EscalationLevel.DIVISION and not recipients:
        return None  # no organisation sits at the division: the ladder skips this rung
    escalation = Escalation(
        case=case, level=level, at=now, reason=reason, recipients=len(recipients)
    )
    escalation.full_clean()
    escalation.save()
    audit_record(
        actor=None,
        action="sla.escalated",
        target=case,
        detail={"level": level, "deadline": reason, "recipients": len(recipients)},
    )
    notify(
        recipients=recipients,
        event="sla.escalated",
        text=ESCALATION_TEXT[reason],
        params={"reference": case.reference, "level": str(level)},
        link=_case_link(case),
        case=case,
    )
    return escalation


@dataclass(frozen=True)
class CheckReport:
    """What one deadline check did."""

    checked: int
    overdue: int
    escalations: int


def deadlines_check(now: datetime | None = None) -> CheckReport:
    """Flag overdue cases and escalate them along the ladder; safe to run as often as wanted."""
    from meesaq.cases.deadlines import overdue_q

    now = now or timezone.now()
    calendar = WorkingCalendar.load()
    settings_row = SlaSettings.current()
    for case in Case.objects.filter(status__in=OPEN_STATUSES, deadlines__isnull=True):
        deadlines_refresh(case, now=now, calendar=calendar)
    candidates = Case.objects.filter(
        overdue_q(now=now) | Q(deadlines__overdue_since__isnull=False)
    ).select_related("deadlines")
    checked = overdue = escalations = 0
    for case in candidates.order_by("pk"):
        checked += 1
        with transaction.atomic():
            row = CaseDeadlines.objects.select_for_update().get(case=case)
            missed = overdue_deadlines(case, row, now=now)
            if not missed:
                row.overdue_since, row.escalation_level = None, 0
                row.save(update_fields=["overdue_since", "escalation_level"])
                continue
            overdue += 1
            reason, since = missed[0]
            row.overdue_since = row.overdue_since or since
            target = EscalationLevel.DISTRICT
            if (
                calendar.add_working_days(row.overdue_since, settings_row.division_after_days)
                <= now
            ):
                target = EscalationLevel.DIVISION
            if (
                calendar.add_working_days(row.overdue_since, settings_row.province_after_days)
                <= now
            ):
                target = EscalationLevel.PROVINCE
            for level in range(row.escalation_level + 1, target + 1):
                if _escalate(case, level=level, reason=reason, now=now) is not None:
                    escalations += 1
            row.escalation_level = max(row.escalation_level, target)
            row.save(update_fields=["overdue_since", "escalation_level"])
    return CheckReport(checked=checked, overdue=overdue, escalations=escalations)


def urgent_case_alert(case: Case) -> int:
    """Tell the district's supervisors at once that an urgent case was registered."""
    recipients = escalation_recipients(case, EscalationLevel.DISTRICT)
    notify(
        recipients=recipients,
        event="sla.urgent_case",
        text=_("Urgent case %(reference)s has been registered."),
        params={"reference": case.reference},
        link=_case_link(case),
        case=case,
    )
    audit_record(
        actor=None,
        action="sla.urgent_alert",
        target=case,
        detail={"recipients": len(recipients)},
    )
    return len(recipients)


def first_contact_record(
    *,
    user: User,
    case: Case,
    result: str,
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> FirstContact:
    """Record a call-back to the complainant and refresh the case's clocks."""
    now = timezone.now()
    at = at or now
    if at > now:
        raise MeesaqError(_("A call cannot be recorded in the future."), code="future_call")
    if at < case.received_at:
        raise MeesaqError(
            _("A call cannot be earlier than the complaint was received."), code="early_call"
        )
    if result not in ContactResult.values:
        raise MeesaqError(_("Choose the result of the call."), code="result")
    with transaction.atomic():
        contact = FirstContact(case=case, at=at, result=result, by=user)
        contact.full_clean()
        contact.save()
        deadlines_refresh(case, now=now)
        audit_record(
            actor=user,
            action="sla.first_contact",
            target=case,
            request=request,
            detail={"result": result},
        )
    return contact


def case_follow(*, user: User, case: Case, request: HttpRequest | None = None) -> bool:
    """Start following a case; say whether the user was not following it yet."""
    with transaction.atomic():
        _row, created = CaseSubscription.objects.get_or_create(user=user, case=case)
        if created:
            audit_record(actor=user, action="sla.follow", target=case, request=request)
    return created


def case_unfollow(*, user: User, case: Case, request: HttpRequest | None = None) -> bool:
    """Stop following a case; say whether the user was following it."""
    with transaction.atomic():
        deleted, _counts = CaseSubscription.objects.filter(user=user, case=case).delete()
        if deleted:
            audit_record(actor=user, action="sla.unfollow", target=case, request=request)
    return bool(deleted)


def case_followers(case: Case) -> list[User]:
    """Return the active followers of a case who may still see it (for status notifications)."""
    followers = [
        subscription.user
        for subscription in case.subscriptions.select_related("user").filter(user__is_active=True)
    ]
    return [user for user in followers if policy.scoped(user, Case).filter(pk=case.pk).exists()]
