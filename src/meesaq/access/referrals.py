"""Who may see and do what with referrals and transfers.

- The referring side: the case roles that reach the case (its owner's staff, supervisors in
  reach) and the staff of the organisation that sent the referral (for onward referrals).
- The receiving side: the receiving organisation's partner caseworkers, case officers and
  supervisors. Partner caseworkers see only referrals to their own organisation, and of the case
  only the fields the referral shares (``referrals.selectors.referral_case_view``); they never
  see the case itself through ``policy.scoped(user, Case)``.
- Transfers: requested by a supervisor in reach of the case, decided by a supervisor (or
  provincial officer) of the receiving organisation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from meesaq.access import policy
from meesaq.access.cases import case_reach_q
from meesaq.access.policy import AnyUser, register_action, register_scope
from meesaq.access.roles import CASE_ROLES, Role

# Who acts on a referral for the organisation that receives it.
RECEIVING_ROLES = frozenset(
    {Role.PARTNER_CASEWORKER, Role.CASE_OFFICER, Role.SUPERVISOR, Role.PROVINCIAL_OFFICER}
)
# Who answers or withdraws for the organisation that sent it (besides those who act on the case).
REFERRING_ROLES = RECEIVING_ROLES
TRANSFER_DECIDERS = frozenset({Role.SUPERVISOR, Role.PROVINCIAL_OFFICER})
LIST_ROLES = CASE_ROLES | {Role.PARTNER_CASEWORKER}


def organisations_with(user: AnyUser, roles: frozenset[Role]) -> list[int]:
    """Return the organisations where the user holds any of these roles."""
    return sorted({grant.organisation_id for grant in policy.grants_with(user, roles)})


def _referrals_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    condition = case_reach_q(user, prefix="case__")
    receiving = organisations_with(user, RECEIVING_ROLES)
    if receiving:
        condition |= Q(to_organisation__in=receiving) | Q(from_organisation__in=receiving)
    return queryset.filter(condition)


def _events_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    from meesaq.referrals.models import Referral

    return queryset.filter(referral__in=_referrals_scope(user, Referral.objects.all()).values("pk"))


def _transfers_scope(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    condition = case_reach_q(user, prefix="case__")
    deciders = organisations_with(user, TRANSFER_DECIDERS)
    if deciders:
        condition |= Q(to_organisation__in=deciders)
    case_orgs = organisations_with(user, CASE_ROLES)
    if case_orgs:
        condition |= Q(from_organisation__in=case_orgs)
    return queryset.filter(condition)


def is_receiver(user: AnyUser, referral: Any) -> bool:
    """Say whether the user acts for the organisation that receives the referral."""
    return referral is not None and referral.to_organisation_id in organisations_with(
        user, RECEIVING_ROLES
    )


def is_referrer(user: AnyUser, referral: Any) -> bool:
    """Say whether the user acts for the side that sent the referral."""
    if referral is None:
        return False
    if referral.from_organisation_id in organisations_with(user, REFERRING_ROLES):
        return True
    return referral.parent_id is None and policy.may(user, "cases.act", referral.case)


def _may_decide_transfer(user: AnyUser, transfer: Any) -> bool:
    return transfer is not None and transfer.to_organisation_id in organisations_with(
        user, TRANSFER_DECIDERS
    )


def register() -> None:
    """Register the referral rules (called from the referrals app's ready())."""
    from meesaq.referrals.models import Referral, ReferralEvent, Transfer

    register_scope(Referral, _referrals_scope)
    register_scope(ReferralEvent, _events_scope)
    register_scope(Transfer, _transfers_scope)
    register_action("referrals.list", lambda user, obj: policy.has_role(user, *LIST_ROLES))
    # Referring a case: whoever may act on it (its officers, supervisors in reach).
    register_action("referrals.create", lambda user, case: policy.may(user, "cases.act", case))
    register_action("referrals.respond", is_receiver)
    register_action("referrals.refer_side", is_referrer)
    register_action(
        "referrals.transfer_request", lambda user, case: policy.may(user, "cases.supervise", case)
    )
    register_action("referrals.transfer_decide", _may_decide_transfer)
