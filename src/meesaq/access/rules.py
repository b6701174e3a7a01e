"""The platform's access rules: organisations, users, administration, audit, break-glass.

Domain modules (cases, referrals, programmes…) add theirs beside this file.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from meesaq.access import policy
from meesaq.access.policy import AnyUser, register_action, register_scope, role_rule
from meesaq.access.roles import JURISDICTION_WIDE_ROLES, Role


def _users_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if policy.has_role(user, Role.ADMINISTRATOR):
        return queryset
    condition = Q(pk=user.pk)
    for grant in policy.grants_with(user, JURISDICTION_WIDE_ROLES):
        path = grant.jurisdiction_path
        condition |= Q(memberships__organisation__jurisdiction__path=path)
        condition |= Q(memberships__organisation__jurisdiction__path__startswith=path + "/")
    return queryset.filter(condition).distinct()


def _organisations_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    # The directory of organisations is shared by all staff: referrals need to find each other.
    if policy.has_role(user, Role.ADMINISTRATOR):
        return queryset
    return queryset.filter(is_active=True)


def _break_glass_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    condition = Q(user_id=user.pk)
    for grant in policy.grants_with(user, JURISDICTION_WIDE_ROLES):
        path = grant.jurisdiction_path
        condition |= Q(jurisdiction_path=path) | Q(jurisdiction_path__startswith=path + "/")
    return queryset.filter(condition)


def _review_break_glass(user: AnyUser, view: Any) -> bool:
    return view is not None and any(
        policy.is_within(view.jurisdiction_path, grant.jurisdiction_path)
        for grant in policy.grants_with(user, JURISDICTION_WIDE_ROLES)
    )


def _view_members(user: AnyUser, organisation: Any) -> bool:
    # Staff lists are for administrators and for supervisors whose jurisdiction covers the place.
    if policy.has_role(user, Role.ADMINISTRATOR):
        return True
    return organisation is not None and any(
        policy.is_within(organisation.jurisdiction.path, grant.jurisdiction_path)
        for grant in policy.grants_with(user, JURISDICTION_WIDE_ROLES)
    )


def register() -> None:
    """Register the platform's rules (called once from the access app's ready())."""
    from meesaq.access.models import BreakGlassView
    from meesaq.accounts.models import User
    from meesaq.orgs.models import Organisation

    register_scope(User, _users_scope)
    register_scope(Organisation, _organisations_scope)
    register_scope(BreakGlassView, _break_glass_scope)

    register_action("orgs.manage", role_rule(Role.ADMINISTRATOR))
    register_action("orgs.view_members", _view_members)
    register_action("users.manage", role_rule(Role.ADMINISTRATOR))
    register_action("geo.manage", role_rule(Role.ADMINISTRATOR))
    register_action("taxonomy.manage", role_rule(Role.ADMINISTRATOR))
    register_action("audit.read", role_rule(Role.AUDITOR))
    register_action("access.list_break_glass", role_rule(Role.SUPERVISOR, Role.PROVINCIAL_OFFICER))
    register_action("access.review_break_glass", _review_break_glass)
