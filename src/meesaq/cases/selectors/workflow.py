"""Reads of the case workflow: the case for a request, its history, officers and workloads."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

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


@dataclass(frozen=True)
class Workload:
    """How many open cases an officer holds (of those the viewer can see)."""

    officer: User
    open_cases: int


def officer_workloads(*, user: User, organisation: Organisation) -> list[Workload]:
    """Return each assignable officer of the organisation with their open cases, lightest first."""
    officers = list(assignable_officers(organisation=organisation))
    counts = dict(
        policy.scoped(user, Case)
        .filter(assigned_to__in=[officer.pk for officer in officers], status__in=OPEN_STATUSES)
        .values_list("assigned_to")
        .annotate(total=Count("id"))
        .values_list("assigned_to", "total")
    )
    loads = [
        Workload(officer=officer, open_cases=counts.get(officer.pk, 0)) for officer in officers
    ]
    return sorted(loads, key=lambda load: load.open_cases)
