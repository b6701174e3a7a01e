"""Reads for organisation pages: the directory, one organisation, its members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.policy import AnyUser
from meesaq.access.roles import Role
from meesaq.geo.models import AdminUnit
from meesaq.geo.selectors import unit_is_within, units_within_q
from meesaq.orgs.models import Membership, Organisation

if TYPE_CHECKING:
    from meesaq.accounts.models import User


@dataclass(frozen=True)
class OrganisationFilters:
    """What the directory is narrowed to; empty values mean "any"."""

    kind: str = ""
    within: AdminUnit | None = None
    text: str = ""


@dataclass(frozen=True)
class MemberLine:
    """One member of an organisation as its page shows them."""

    username: str
    display_name: str
    role: str


def organisation_list_for_user(
    *, user: AnyUser, filters: OrganisationFilters
) -> QuerySet[Organisation]:
    """Return the organisations the user may see, narrowed by the filters, by name."""
    queryset = policy.scoped(user, Organisation).select_related("jurisdiction", "parent")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.within is not None:
        queryset = queryset.filter(units_within_q("jurisdiction", filters.within))
    text = filters.text.strip()
    if text:
        queryset = queryset.filter(
            Q(name_en__icontains=text) | Q(name_ur__icontains=text) | Q(code__icontains=text)
        )
    return queryset.order_by("name_en", "pk")


def organisation_get_for_user(*, user: AnyUser, pk: int) -> Organisation:
    """Return one organisation the user may see, or raise 404 (missing or inactive alike)."""
    organisation = (
        policy.scoped(user, Organisation)
        .select_related("jurisdiction", "parent")
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def organisation_children_for_user(
    *, user: AnyUser, organisation: Organisation
) -> list[Organisation]:
    """Return the sub-organisations of ``organisation`` that the user may see."""
    return list(
        policy.scoped(user, Organisation)
        .filter(parent=organisation)
        .select_related("jurisdiction")
        .order_by("name_en", "pk")
    )


def may_view_members(user: AnyUser, organisation: Organisation) -> bool:
    """Say whether the user may see who works in the organisation ("orgs.view_members")."""
    return policy.may(user, "orgs.view_members", organisation)


def members_of(organisation: Organisation, *, user: AnyUser) -> list[MemberLine] | None:
    """Return the organisation's active members and roles, or None if the user may not see them."""
    if not may_view_members(user, organisation):
        return None
    rows = (
        Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__username", "role")
    )
    return [
        MemberLine(
            username=row.user.username,
            display_name=row.user.display_name,
            role=str(row.get_role_display()),
        )
        for row in rows
    ]


def organisation_placement_warnings(organisation: Organisation) -> list[str]:
    """Return advice about where an organisation sits (never a refusal).

    A sub-organisation normally lies within its parent's jurisdiction (a district office of a
    provincial department), but partners and international agencies legitimately run offices
    elsewhere, so a mismatch is only pointed out to the administrator.
    """
    warnings: list[str] = []
    parent = organisation.parent
    if parent is not None and not unit_is_within(organisation.jurisdiction, parent.jurisdiction):
        warnings.append(
            _("%(name)s lies outside the jurisdiction of its parent organisation, %(parent)s.")
            % {"name": organisation.name, "parent": parent.name}
        )
    if parent is not None and not parent.is_active:
        warnings.append(_("Its parent organisation is inactive."))
    return warnings


def organisation_parent_choices(
    *, user: AnyUser, exclude: Organisation | None = None
) -> list[tuple[str, str]]:
    """Return the active organisations the user sees, as choices for a parent select."""
    rows = policy.scoped(user, Organisation).filter(is_active=True).order_by("name_en", "pk")
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return [(str(row.pk), row.name) for row in rows.only("pk", "name_en", "name_ur")]


def organisation_ancestor_ids(organisation: Organisation) -> list[int]:
    """Return the ids above an organisation, nearest first (one query per level)."""
    seen: list[int] = []
    parent_id = organisation.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.append(parent_id)
        parent_id = (
            Organisation.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        )
    return seen


def memberships_count(*, user: User, organisation: Organisation) -> int | None:
    """Return how many active roles are held in the organisation, for administrators only."""
    if not policy.has_role(user, Role.ADMINISTRATOR):
        return None
    return Membership.objects.filter(organisation=organisation, is_active=True).count()
