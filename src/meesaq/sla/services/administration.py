"""Administrators' settings: deadline rules, escalation delays and holidays, each audited."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Final

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.audit.services import DetailValue, audit_record
from meesaq.cases.models import Case, Category, Priority
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.core.errors import MeesaqError
from meesaq.sla.calendar import WorkingCalendar
from meesaq.sla.models import (
    DeadlineRule,
    Holiday,
    SlaSettings,
)
from meesaq.sla.services.clocks import deadlines_refresh

if TYPE_CHECKING:
    from meesaq.accounts.models import User

RULE_DURATIONS: Final = (
    "first_contact_hours",
    "first_action_hours",
    "stage_days",
    "resolution_days",
    "referral_ack_hours",
)
DURATION_MAX: Final = 10000
WEEKDAYS: Final = frozenset(range(7))


def open_deadlines_recompute(*, now: datetime | None = None) -> int:
    """Recompute the due dates of every open case (after the rules or the calendar changed)."""
    now = now or timezone.now()
    calendar = WorkingCalendar.load()
    count = 0
    for case in Case.objects.filter(status__in=OPEN_STATUSES).order_by("pk").iterator():
        deadlines_refresh(case, now=now, calendar=calendar)
        count += 1
    return count


def _recompute_later() -> None:
    from meesaq.sla.tasks import recompute_deadlines

    transaction.on_commit(recompute_deadlines.enqueue)


def _check_durations(durations: dict[str, int]) -> None:
    errors: dict[str, list[str | Promise]] = {}
    for name in RULE_DURATIONS:
        value = durations.get(name)
        if value is None or not 0 < value <= DURATION_MAX:
            errors[name] = [_("Give a whole number greater than zero.")]
    if errors:
        raise MeesaqError(
            _("Every duration must be a whole number greater than zero."),
            code="durations",
            fields=errors,
        )


def deadline_rule_save(
    *,
    actor: User,
    rule: DeadlineRule | None,
    durations: dict[str, int],
    category: Category | None = None,
    priority: str = "",
    request: HttpRequest | None = None,
) -> DeadlineRule:
    """Change a rule's durations, or add an override for a category and priority.

    An existing rule keeps its category and priority; a new rule must name a category (the
    priority-only defaults exist from the start and cannot be added twice).
    """
    _check_durations(durations)
    with transaction.atomic():
        created = rule is None
        if rule is None:
            if category is None:
                raise MeesaqError(
                    _("Choose the category this override is for."),
                    code="category_required",
                    fields={"category": [_("Choose a category.")]},
                )
            if priority not in Priority.values:
                raise MeesaqError(
                    _("Choose a priority."),
                    code="priority",
                    fields={"priority": [_("Choose a priority.")]},
                )
            if DeadlineRule.objects.filter(category=category, priority=priority).exists():
                raise MeesaqError(
                    _("This category already has an override for that priority: edit it."),
                    code="override_exists",
                    fields={"category": [_("An override for this priority exists already.")]},
                )
            rule = DeadlineRule(category=category, priority=priority)
        else:
            rule = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
        for name in RULE_DURATIONS:
            setattr(rule, name, durations[name])
        rule.full_clean()
        rule.save()
        audit_record(
            actor=actor,
            action="sla.rule_added" if created else "sla.rule_changed",
            target=rule,
            request=request,
            detail={
                "category": rule.category.code if rule.category else "",
                "priority": rule.priority,
                **{name: int(getattr(rule, name)) for name in RULE_DURATIONS},
            },
        )
        _recompute_later()
    return rule


def deadline_rule_delete(
    *, actor: User, rule: DeadlineRule, request: HttpRequest | None = None
) -> None:
    """Delete a category override; the priority-only defaults cannot be deleted."""
    if rule.category_id is None:
        raise MeesaqError(
            _("The default rule of a priority cannot be deleted; change its durations instead."),
            code="default_rule",
        )
    with transaction.atomic():
        detail: dict[str, DetailValue] = {
            "category": rule.category.code if rule.category else "",
            "priority": rule.priority,
        }
        audit_record(
            actor=actor, action="sla.rule_deleted", target=rule, request=request, detail=detail
        )
        rule.delete()
        _recompute_later()


def sla_settings_save(
    *,
    actor: User,
    weekend: set[int] | frozenset[int],
    office_opens: time,
    office_closes: time,
    division_after_days: int,
    province_after_days: int,
    request: HttpRequest | None = None,
) -> SlaSettings:
    """Change the weekend, the office hours and the escalation delays."""
    errors: dict[str, list[str | Promise]] = {}
    if not set(weekend) <= WEEKDAYS or len(weekend) >= len(WEEKDAYS):
        errors["weekend"] = [_("Choose weekdays, leaving at least one working day.")]
    if office_opens >= office_closes:
        errors["office_closes"] = [_("The office must close after it opens.")]
    if not 0 < division_after_days <= DURATION_MAX:
        errors["division_after_days"] = [_("Give a whole number greater than zero.")]
    if not 0 < province_after_days <= DURATION_MAX:
        errors["province_after_days"] = [_("Give a whole number greater than zero.")]
    elif province_after_days <= division_after_days:
        errors["province_after_days"] = [
            _("The provincial office is told after the division: give more days.")
        ]
    if errors:
        raise MeesaqError(_("Please correct the settings below."), code="settings", fields=errors)
    with transaction.atomic():
        row = SlaSettings.current()
        row = SlaSettings.objects.select_for_update().get(pk=row.pk)
        row.weekend_days = ",".join(str(day) for day in sorted(weekend))
        row.office_opens = office_opens
        row.office_closes = office_closes
        row.division_after_days = division_after_days
        row.province_after_days = province_after_days
        row.full_clean()
        row.save()
        audit_record(
            actor=actor,
            action="sla.settings_changed",
            target=row,
            request=request,
            detail={
                "weekend": row.weekend_days,
                "opens": office_opens.strftime("%H:%M"),
                "closes": office_closes.strftime("%H:%M"),
                "division_after_days": division_after_days,
                "province_after_days": province_after_days,
            },
        )
        _recompute_later()
    return row


def holiday_add(
    *,
    actor: User,
    day: date,
    name_en: str,
    name_ur: str = "",
    request: HttpRequest | None = None,
) -> Holiday:
    """Add a day off that deadlines skip."""
    name_en, name_ur = name_en.strip(), name_ur.strip()
    if not name_en:
        raise MeesaqError(
            _("Give the holiday's name in English."),
            code="name_required",
            fields={"name_en": [_("This field is required.")]},
        )
    with transaction.atomic():
        if Holiday.objects.filter(date=day).exists():
            raise MeesaqError(
                _("This day is already a holiday."),
                code="holiday_exists",
                fields={"date": [_("This day is already a holiday.")]},
            )
        holiday = Holiday(date=day, name_en=name_en, name_ur=name_ur)
        holiday.full_clean()
        holiday.save()
        audit_record(
            actor=actor,
            action="sla.holiday_added",
            target=holiday,
            request=request,
            detail={"date": day.isoformat()},
        )
        _recompute_later()
    return holiday


def holiday_delete(*, actor: User, holiday: Holiday, request: HttpRequest | None = None) -> None:
    """Remove a day off an administrator added."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="sla.holiday_deleted",
            target=holiday,
            request=request,
            detail={"date": holiday.date.isoformat()},
        )
        holiday.delete()
        _recompute_later()
