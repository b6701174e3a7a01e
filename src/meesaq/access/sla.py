"""Who may see and do what with deadlines, call-backs, escalations and case subscriptions.

Every row belongs to a case and is visible exactly when the case is. Recording a call-back is
for the case roles that may triage the case; following a case for anyone who may see it.
"""

from __future__ import annotations

from typing import Any

from meesaq.access import policy
from meesaq.access.cases import case_reach_q
from meesaq.access.policy import AnyUser, register_action, register_scope


def _may_record_contact(user: AnyUser, case: Any) -> bool:
    return case is not None and policy.may(user, "cases.triage", case)


def _may_follow(user: AnyUser, case: Any) -> bool:
    from meesaq.cases.models import Case

    return case is not None and policy.scoped(user, Case).filter(pk=case.pk).exists()


def register() -> None:
    """Register the deadlines rules (called from the sla app's ready())."""
    from meesaq.sla.models import CaseDeadlines, CaseSubscription, Escalation, FirstContact

    for model in (CaseDeadlines, Escalation, FirstContact):
        register_scope(model, lambda user, qs: qs.filter(case_reach_q(user, prefix="case__")))
    register_scope(
        CaseSubscription,
        lambda user, qs: qs.filter(case_reach_q(user, prefix="case__"), user=user.pk),
    )
    register_action("sla.record_contact", _may_record_contact)
    register_action("sla.follow", _may_follow)
