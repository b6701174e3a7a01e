"""Who may see and do what with the public portal's records.

The portal's public pages are open to everyone (``policy.PUBLIC``); what a complainant sees is
decided by their tracking code and PIN, checked in the portal's services. Staff never list
tickets, throttling rows or inbound messages: those scopes are empty for every user. Routing
rules (where public complaints go) are configuration, for administrators only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from meesaq.access import policy
from meesaq.access.policy import AnyUser, register_action, register_scope, role_rule
from meesaq.access.roles import Role


def _nobody(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.none()


def _administrators_only(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset if policy.has_role(user, Role.ADMINISTRATOR) else queryset.none()


def register() -> None:
    """Register the portal's rules (called from the portal app's ready())."""
    from meesaq.portal.models import InboundMessage, RoutingRule, ThrottleHit, Ticket

    register_scope(RoutingRule, _administrators_only)
    for model in (Ticket, ThrottleHit, InboundMessage):
        register_scope(model, _nobody)
    register_action("portal.manage_routing", role_rule(Role.ADMINISTRATOR))
