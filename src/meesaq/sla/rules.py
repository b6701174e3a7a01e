"""Deadline durations: SPEC.md's defaults and the most specific configured rule for a case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.db.models import Q

from meesaq.cases.models import Case, Priority


@dataclass(frozen=True)
class Durations:
    """How long each clock runs for one case."""

    first_contact_hours: int
    first_action_hours: int
    stage_days: int
    resolution_days: int
    referral_ack_hours: int


# SPEC.md 3.1: call back within 8 office hours (urgent) or 24; first action 24 h / 72 h / 7 days;
# resolution 15 / 30 / 60 working days; referral acknowledged within 48 h. The stage clock (our
# choice, configurable) gives each later stage 5 / 10 / 15 working days.
DEFAULT_DURATIONS: Final[dict[str, Durations]] = {
    Priority.URGENT: Durations(8, 24, 5, 15, 48),
    Priority.HIGH: Durations(24, 72, 10, 30, 48),
    Priority.NORMAL: Durations(24, 168, 15, 60, 48),
}


def durations_for(case: Case) -> Durations:
    """Return the durations of the most specific rule: category and priority, then priority."""
    from meesaq.sla.models import DeadlineRule

    candidates = DeadlineRule.objects.filter(priority=case.priority).filter(
        Q(category_id=case.category_id) | Q(category__isnull=True)
    )
    rules = {rule.category_id: rule for rule in candidates}
    rule = rules.get(case.category_id) or rules.get(None)
    if rule is None:
        return DEFAULT_DURATIONS[Priority(case.priority)]
    return Durations(
        first_contact_hours=rule.first_contact_hours,
        first_action_hours=rule.first_action_hours,
        stage_days=rule.stage_days,
        resolution_days=rule.resolution_days,
        referral_ack_hours=rule.referral_ack_hours,
    )
