"""Who may see and do what with cases and the people on them.

- Intake officers and case officers see their organisation's cases; case officers also see the
  cases assigned to them wherever they sit. Supervisors see every case placed within their
  organisation's jurisdiction subtree, provincial officers the whole province.
- Identity (people's names and numbers, the narrative, the free-text place) is shown to the
  owning organisation's case roles, to the assigned officer and to district supervisors in reach.
  Provincial officers see cases pseudonymously and break the glass when they must.
- Analysts, auditors, administrators, partner caseworkers and programme coordinators see no case
  here (partners will see referred cases through the referrals module).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from meesaq.access import policy
from meesaq.access.policy import AnyUser, IdentityOwner, register_action, register_scope
from meesaq.access.roles import CASE_ROLES, Role

CASE_ACTORS = frozenset({Role.CASE_OFFICER, Role.SUPERVISOR, Role.PROVINCIAL_OFFICER})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.PROVINCIAL_OFFICER})


def case_reach_q(user: AnyUser, *, prefix: str = "") -> Q:
    """Return the filter for cases this user may see (``prefix`` for related lookups)."""
    condition = policy.reach_q(
        user,
        roles=CASE_ROLES,
        organisation_field=f"{prefix}organisation",
        jurisdiction_path_field=f"{prefix}jurisdiction_path",
    )
    if policy.grants_with(user, {Role.CASE_OFFICER}):
        condition |= Q(**{f"{prefix}assigned_to": user.pk})
    # The old owner of a transferred case keeps read access (scope only: acting and identity
    # follow the current owner).
    old_owners = sorted({grant.organisation_id for grant in policy.grants_with(user, CASE_ROLES)})
    if old_owners:
        from meesaq.referrals.models import Transfer

        condition |= Q(
            **{
                f"{prefix}pk__in": Transfer.objects.filter(
                    from_organisation__in=old_owners, status="accepted"
                ).values("case_id")
            }
        )
    return condition


def _cases_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(case_reach_q(user))


def _people_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    from meesaq.cases.models import Case

    visible_cases = Case.objects.filter(case_reach_q(user)).values("pk")
    return queryset.filter(case_links__case__in=visible_cases).distinct()


def _reaches(user: AnyUser, case: Any, roles: frozenset[Role]) -> bool:
    return any(
        grant.reaches(
            organisation_id=case.organisation_id, jurisdiction_path=case.jurisdiction_path
        )
        for grant in policy.grants_with(user, roles)
    )


def case_need_to_know(user: AnyUser, case: Any) -> bool:
    """Say whether the user needs to know the identities on this case."""
    if case.assigned_to_id is not None and case.assigned_to_id == user.pk:
        return True
    for grant in policy.grants_with(user, CASE_ROLES):
        if grant.organisation_id == case.organisation_id:
            return True
        if grant.role == Role.SUPERVISOR and policy.is_within(
            case.jurisdiction_path, grant.jurisdiction_path
        ):
            return True
    return False


def _person_need_to_know(user: AnyUser, person: Any) -> bool:
    from meesaq.cases.models import Case

    # Only what case_need_to_know reads: not the whole row with its encrypted narrative.
    cases = Case.objects.filter(case_reach_q(user), people__person=person).only(
        "organisation_id", "jurisdiction_path", "assigned_to_id"
    )
    return any(case_need_to_know(user, case) for case in cases)


def _person_owner(person: Any) -> IdentityOwner:
    link = person.case_links.select_related("case").order_by("added_at").first()
    if link is None:
        return IdentityOwner(
            organisation_id=person.recorded_by_organisation_id, jurisdiction_path=""
        )
    return IdentityOwner(
        organisation_id=link.case.organisation_id, jurisdiction_path=link.case.jurisdiction_path
    )


def _may_create(user: AnyUser, obj: object) -> bool:
    return policy.has_role(user, *CASE_ROLES)


def _may_triage(user: AnyUser, case: Any) -> bool:
    return case is not None and (_reaches(user, case, CASE_ROLES) or _is_assignee(user, case))


def _is_assignee(user: AnyUser, case: Any) -> bool:
    return case.assigned_to_id is not None and case.assigned_to_id == user.pk


def _may_act(user: AnyUser, case: Any) -> bool:
    return case is not None and (_is_assignee(user, case) or _reaches(user, case, CASE_ACTORS))


def _may_supervise(user: AnyUser, case: Any) -> bool:
    return case is not None and _reaches(user, case, SUPERVISORS)


def register() -> None:
    """Register the cases rules (called from the cases app's ready())."""
    from meesaq.cases.models import Attachment, Case, CaseAction, Person

    register_scope(Case, _cases_scope)
    register_scope(Person, _people_scope)
    register_scope(CaseAction, lambda user, qs: qs.filter(case_reach_q(user, prefix="case__")))
    register_scope(Attachment, lambda user, qs: qs.filter(case_reach_q(user, prefix="case__")))
    policy.register_identity_model(
        Case,
        owner=lambda case: IdentityOwner(
            organisation_id=case.organisation_id, jurisdiction_path=case.jurisdiction_path
        ),
        identity_fields=["narrative", "place"],
        need_to_know=case_need_to_know,
    )
    policy.register_identity_model(
        Person,
        owner=_person_owner,
        identity_fields=["full_name", "relative_name", "cnic", "phone", "address"],
        need_to_know=_person_need_to_know,
    )
    register_action("cases.list", lambda user, obj: policy.has_role(user, *CASE_ROLES))
    register_action("cases.create", _may_create)
    # Notes and triage (register, not in mandate, duplicate): every case role that reaches it.
    register_action("cases.triage", _may_triage)
    register_action("cases.add_note", _may_triage)
    # Acting on a case: the assigned officer, case officers of the owner, supervisors in reach.
    register_action("cases.act", _may_act)
    # Assigning, approving or returning a closure, reopening: supervisors in reach.
    register_action("cases.supervise", _may_supervise)
