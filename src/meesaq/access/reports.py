"""Who may see which figures: dashboards, indicators, the report builder, exports, open data.

- Figures come from the de-identified summary tables and are scoped like cases: each case role
  sees its own organisation's figures, supervisors and provincial officers their jurisdiction's
  subtree. Analysts see the de-identified aggregates of their organisation's jurisdiction (a
  provincial analyst the province) and never a case or an identity.
- Drilling down to the case list, and the case-list exports, are for those who may list cases
  (``cases.list``), and show only their cases.
- Partner caseworkers, programme coordinators, auditors and administrators get no case figures.
- Saved reports: their owner, and the owner's organisation when shared. Monthly reports: those
  who may see figures for the report's place.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from meesaq.access import policy
from meesaq.access.policy import AnyUser, register_action, register_scope, role_rule
from meesaq.access.roles import CASE_ROLES, JURISDICTION_WIDE_ROLES, Role

FIGURE_ROLES = CASE_ROLES | {Role.ANALYST}
# Roles whose figures cover their organisation's whole jurisdiction subtree.
WIDE_FIGURE_ROLES = JURISDICTION_WIDE_ROLES | {Role.ANALYST}
BUILDER_ROLES = frozenset({Role.SUPERVISOR, Role.PROVINCIAL_OFFICER, Role.ANALYST})
OPEN_DATA_ROLES = frozenset({Role.PROVINCIAL_OFFICER, Role.ANALYST, Role.SUPERVISOR})


def figures_q(user: AnyUser, *, organisation_field: str = "organisation") -> Q:
    """Return the filter for summary rows (facts, cube) this user may count."""
    condition = Q(pk__in=[])
    for grant in policy.grants_with(user, FIGURE_ROLES):
        condition |= Q(**{organisation_field: grant.organisation_id})
        if grant.role in WIDE_FIGURE_ROLES:
            path = grant.jurisdiction_path
            condition |= Q(jurisdiction_path=path) | Q(jurisdiction_path__startswith=path + "/")
    return condition


def figure_places(user: AnyUser) -> list[str]:
    """Return the jurisdiction paths whose whole subtree the user may count."""
    return sorted(
        {grant.jurisdiction_path for grant in policy.grants_with(user, WIDE_FIGURE_ROLES)}
    )


def _figures_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(figures_q(user))


def _referral_figures_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    condition = figures_q(user)
    organisations = sorted(
        {grant.organisation_id for grant in policy.grants_with(user, CASE_ROLES)}
    )
    if organisations:
        # Case staff also see the referrals their organisation sent or received.
        condition |= Q(from_organisation__in=organisations) | Q(to_organisation__in=organisations)
    return queryset.filter(condition)


def _saved_reports_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not policy.has_role(user, *BUILDER_ROLES):
        return queryset.none()
    organisations = sorted({g.organisation_id for g in policy.grants_with(user, BUILDER_ROLES)})
    return queryset.filter(Q(owner=user.pk) | Q(shared=True, organisation__in=organisations))


def _periodic_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    condition = Q(pk__in=[])
    for path in figure_places(user):
        # A report of a place inside the user's jurisdiction (a district report for a
        # provincial officer, not the provincial report for a district supervisor).
        condition |= Q(jurisdiction_path=path) | Q(jurisdiction_path__startswith=path + "/")
    return queryset.filter(condition)


def _may_edit_saved(user: AnyUser, report: Any) -> bool:
    return report is not None and report.owner_id == user.pk


def register() -> None:
    """Register the reports rules (called from the reports app's ready())."""
    from meesaq.reports.models import (
        CaseCube,
        CaseFact,
        CubeMargin,
        PeriodicReport,
        ReferralFact,
        SavedReport,
    )

    register_scope(CaseFact, _figures_scope)
    register_scope(CaseCube, _figures_scope)
    register_scope(CubeMargin, _figures_scope)
    register_scope(ReferralFact, _referral_figures_scope)
    register_scope(SavedReport, _saved_reports_scope)
    register_scope(PeriodicReport, _periodic_scope)
    register_action("reports.view", role_rule(*FIGURE_ROLES))
    register_action("reports.build", role_rule(*BUILDER_ROLES))
    register_action("reports.edit_saved", _may_edit_saved)
    register_action("reports.periodic", lambda user, obj: bool(figure_places(user)))
    # Exports of the case list: whoever may list cases, only their cases.
    register_action("reports.export_cases", lambda user, obj: policy.may(user, "cases.list"))
    register_action("opendata.export", role_rule(*OPEN_DATA_ROLES))
    # Drilling down from a figure to the cases behind it.
    register_action("reports.drilldown", lambda user, obj: policy.may(user, "cases.list"))
