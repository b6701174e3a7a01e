"""The navigation menu: each entry appears only to users whose access rule allows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.policy import AnyUser
from meesaq.accounts.twofactor import two_factor_satisfied


@dataclass(frozen=True)
class NavItem:
    """One menu entry."""

    label: str | Promise
    url_name: str
    action: str

    @property
    def url(self) -> str:
        """Return the entry's address in the active language."""
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


# Later modules add their entries here (cases, referrals, reports…), each with its access action.
MENU: list[NavItem] = [
    NavItem(_("Home"), "core:home", policy.SIGNED_IN),
    NavItem(_("My work"), "sla:queues", "sla.queues"),
    NavItem(_("Cases"), "cases:list", "cases.list"),
    NavItem(_("New complaint"), "cases:intake", "cases.create"),
    NavItem(_("Referrals"), "referrals:list", "referrals.list"),
    NavItem(_("Dashboards"), "reports:dashboard", "reports.view"),
    NavItem(_("Notifications"), "notifications:list", policy.SIGNED_IN),
    NavItem(_("Organisations"), "orgs:list", policy.SIGNED_IN),
    NavItem(_("Break-glass reports"), "access:break_glass_list", "access.list_break_glass"),
    NavItem(_("Audit trail"), "audit:list", "audit.read"),
    NavItem(_("Users"), "accounts:user_list", "users.manage"),
    NavItem(_("Places"), "geo:list", "geo.manage"),
    NavItem(_("Taxonomy"), "cases:taxonomy", "taxonomy.manage"),
    NavItem(_("Deadline settings"), "sla:settings", "sla.manage"),
    NavItem(_("Background jobs"), "notifications:jobs", "system.jobs"),
    NavItem(_("Message templates"), "notifications:templates", "notifications.templates"),
    NavItem(_("Portal routing"), "portal:routing", "portal.manage_routing"),
    NavItem(_("Import cases"), "imports:list", "imports.run"),
    NavItem(_("Webhooks"), "webhooks:list", "webhooks.manage"),
    NavItem(_("My account"), "accounts:profile", policy.SIGNED_IN),
]


def navigation_for(user: AnyUser) -> list[NavItem]:
    """Return the entries this user may follow."""
    # Until the second factor is given, every page but the two-factor ones is out of reach.
    if not user.is_authenticated or not two_factor_satisfied(user):
        return []
    return [item for item in MENU if policy.may(user, item.action) and item.url]
