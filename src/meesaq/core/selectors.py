"""What the home page shows each user."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.models import BreakGlassView
from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.orgs.models import Membership

# What each role is for, in the words of SPEC.md section 2.
ROLE_PURPOSE: dict[str, Promise] = {
    Role.INTAKE_OFFICER: _("Register complaints and add notes for your organisation."),
    Role.CASE_OFFICER: _("Act on the cases assigned to you, refer them, and request closure."),
    Role.SUPERVISOR: _(
        "Assign cases, approve closures, reopen and escalate across your jurisdiction."
    ),
    Role.PROVINCIAL_OFFICER: _("Oversee and act on every case in the province."),
    Role.ANALYST: _("Work with de-identified figures: dashboards, reports and exports."),
    Role.PARTNER_CASEWORKER: _(
        "Accept or decline referrals to your organisation and record services and outcomes."
    ),
    Role.PROGRAMME_COORDINATOR: _(
        "Enrol beneficiaries, record attendance and outcomes for your centre."
    ),
    Role.AUDITOR: _("Read the audit trail and verify that it is intact."),
    Role.ADMINISTRATOR: _("Manage users, organisations, places and taxonomies."),
}


@dataclass(frozen=True)
class MembershipLine:
    """One of the user's roles, as the home page shows it."""

    organisation: str
    role: str
    place: str
    purpose: str


@dataclass(frozen=True)
class HomeSummary:
    """The home page's content for one user."""

    memberships: list[MembershipLine]
    unreviewed_break_glass: int


def home_summary_for_user(*, user: User) -> HomeSummary:
    """Return the user's roles and the items waiting for them."""
    rows = (
        Membership.objects.filter(user__pk=user.pk, is_active=True, organisation__is_active=True)
        .select_related("organisation__jurisdiction")
        .order_by("organisation__name_en", "role")
    )
    lines = [
        MembershipLine(
            organisation=row.organisation.name,
            role=str(row.get_role_display()),
            place=row.organisation.jurisdiction.name,
            purpose=str(ROLE_PURPOSE.get(row.role, "")),
        )
        for row in rows
    ]
    unreviewed = 0
    if policy.may(user, "access.list_break_glass"):
        unreviewed = (
            policy.scoped(user, BreakGlassView)
            .filter(reviewed_at__isnull=True)
            .exclude(user__pk=user.pk)
            .count()
        )
    return HomeSummary(memberships=lines, unreviewed_break_glass=unreviewed)
