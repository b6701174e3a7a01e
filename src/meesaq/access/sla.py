"""Who may see and do what with deadlines, call-backs, escalations and case subscriptions.

Every row belongs to a case and is visible exactly when the case is. Recording a call-back is
for the case roles that may triage the case; following a case for anyone who may see it.
The work queues are for the case roles and partner caseworkers (who see their referrals there);
the deadline settings (rules, escalation, holidays) are for administrators only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from meesaq.access import policy
from meesaq.access.cases import case_reach_q
from meesaq.access.policy import AnyUser, register_action, register_scope, role_rule
from meesaq.access.roles import CASE_ROLES, Role

QUEUE_ROLES = CASE_ROLES | {Role.PARTNER_CASEWORKER}


def _may_record_contact(user: AnyUser, case: Any) -> bool:
    return case is not None and policy.may(user, "cases.triage", case)


def _may_follow(user: AnyUser, case: Any) -> bool:
    from meesaq.cases.models import Case

    return case is not None and policy.scoped(user, Case).filter(pk=case.pk).exists()


def _administrators_only(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset if policy.has_role(user, Role.ADMINISTRATOR) else queryset.none()


def register() -> None:
    """Register the deadlines rules (called from the sla app's ready())."""
    from meesaq.sla.models import (
        CaseDeadlines,
        CaseSubscription,
        DeadlineRule,
        Escalation,
        FirstContact,
        Holiday,
    )

    for model in (CaseDeadlines, Escalation, FirstContact):
        register_scope(model, lambda user, qs: qs.filter(case_reach_q(user, prefix="case__")))
    register_scope(
        CaseSubscription,
        lambda user, qs: qs.filter(case_reach_q(user, prefix="case__"), user=user.pk),
    )
    register_action("sla.record_contact", _may_record_contact)
    register_action("sla.follow", _may_follow)
    register_action("sla.queues", role_rule(*QUEUE_ROLES))
    register_action("sla.manage", role_rule(Role.ADMINISTRATOR))
    register_scope(DeadlineRule, _administrators_only)
    register_scope(Holiday, _administrators_only)
