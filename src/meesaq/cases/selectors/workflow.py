"""Reads of the case workflow: the case for a request, its history, officers and workloads."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.cases.models import Case, CaseTransition
from meesaq.cases.services.workflow import ASSIGNABLE_ROLES
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.orgs.models import Organisation


def case_for_user(*, user: User, reference: str) -> Case:
    """Return the case with this reference if the user may see it, else raise 404."""
    return policy.get_scoped(user, Case, reference=reference)


def case_history(*, case: Case) -> QuerySet[CaseTransition]:
    """Return the case's status changes, oldest first, with who made them."""
    return case.transitions.select_related("actor").order_by("occurred_at", "id")


def assignable_officers(*, organisation: Organisation) -> QuerySet[User]:
    """Return the active case officers and supervisors of an organisation."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__organisation__is_active=True,
            memberships__is_active=True,
            memberships__role__in=ASSIGNABLE_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# Counting stops here: choosing the lightest officer needs no exact figure beyond it, and an
# exact count would read every open case of an overloaded officer on every case page.
WORKLOAD_CAP = 200


@dataclass(frozen=True)
class Workload:
    """How many open cases an officer holds (of those the viewer can see), up to the cap."""

    officer: User
    open_cases: int
    over_cap: bool = False


def officer_workloads(*, user: User, organisation: Organisation) -> list[Workload]:
    """Return each assignable officer of the organisation with their open cases, lightest first."""
    open_cases = policy.scoped(user, Case).filter(status__in=OPEN_STATUSES)
    loads = []
    for officer in assignable_officers(organisation=organisation):
        # A sliced count: COUNT(*) over at most WORKLOAD_CAP + 1 rows of the (assigned_to,
        # status) index, whatever the officer's backlog. Unordered: with the cases' default
        # order the slice walks the received index instead (2.3 ms, not 0.1, at 1,000,000).
        counted = (
            open_cases.filter(assigned_to=officer.pk).order_by().values("pk")[: WORKLOAD_CAP + 1]
        )
        total = counted.count()
        loads.append(
            Workload(
                officer=officer,
                open_cases=min(total, WORKLOAD_CAP),
                over_cap=total > WORKLOAD_CAP,
            )
        )
    return sorted(loads, key=lambda load: load.open_cases)
