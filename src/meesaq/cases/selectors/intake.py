"""What the intake form offers a user: their organisations, districts, tehsils and the taxonomy."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from meesaq.access import policy
from meesaq.access.roles import CASE_ROLES
from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Category
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Organisation

# A select's grouped choices: (group label, [(value, label), ...]).
GroupedChoices = list[tuple[str, list[tuple[str, str]]]]


def intake_organisations(*, user: User) -> QuerySet[Organisation]:
    """Return the organisations in which the user holds a case role (the possible owners)."""
    ids = {grant.organisation_id for grant in policy.grants_with(user, CASE_ROLES)}
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name_en")


def _district_reach_q(paths: set[str]) -> Q:
    """Filter districts that lie within one of the paths, or contain one (a tehsil office)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path=path) | Q(path__startswith=path + "/")
        # An organisation at a tehsil works in the district above it.
        above = path.split("/")[:-1]
        if above:
            condition |= Q(path__in=["/".join(above[: i + 1]) for i in range(len(above))])
    return condition


def intake_jurisdiction_paths(*, user: User) -> set[str]:
    """Return the jurisdiction paths of the user's case-role grants."""
    return {grant.jurisdiction_path for grant in policy.grants_with(user, CASE_ROLES)}


def intake_districts(*, user: User) -> QuerySet[AdminUnit]:
    """Return the districts in which the user may register a case, in tree order."""
    paths = intake_jurisdiction_paths(user=user)
    if not paths:
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(_district_reach_q(paths), level=Level.DISTRICT).order_by("path")


def district_in_reach(*, user: User, district: AdminUnit) -> bool:
    """Say whether the user's case-role grants reach this district."""
    return any(
        policy.is_within(district.path, path) or policy.is_within(path, district.path)
        for path in intake_jurisdiction_paths(user=user)
    )


def _units_by_pcode(pcodes: set[str]) -> dict[str, AdminUnit]:
    return {unit.pcode: unit for unit in AdminUnit.objects.filter(pcode__in=pcodes)}


def intake_district_choices(*, districts: list[AdminUnit]) -> GroupedChoices:
    """Return districts grouped by the division (or province) above them, in one query."""
    parents = _units_by_pcode({d.parent_id for d in districts if d.parent_id})
    groups: dict[str, list[tuple[str, str]]] = {}
    for district in districts:
        parent = parents.get(district.parent_id or "")
        label = parent.name if parent is not None else ""
        groups.setdefault(label, []).append((district.pcode, district.name))
    return [(label, sorted(entries, key=lambda e: e[1])) for label, entries in groups.items()]


def intake_tehsil_choices(*, districts: list[AdminUnit]) -> GroupedChoices:
    """Return the tehsils of these districts, grouped by district, in one query."""
    if not districts:
        return []
    by_pcode = {district.pcode: district for district in districts}
    tehsils = AdminUnit.objects.filter(level=Level.TEHSIL, parent_id__in=list(by_pcode)).order_by(
        "path"
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for tehsil in tehsils:
        groups.setdefault(tehsil.parent_id or "", []).append((tehsil.pcode, tehsil.name))
    return [
        (by_pcode[pcode].name, sorted(entries, key=lambda e: e[1]))
        for pcode, entries in groups.items()
    ]


def intake_categories() -> QuerySet[Category]:
    """Return the categories in use, in their order."""
    return Category.objects.filter(is_active=True).order_by("order", "label_en")


def intake_groups() -> QuerySet[AffectedGroup]:
    """Return the affected groups in use, in their order."""
    return AffectedGroup.objects.filter(is_active=True).order_by("kind", "order", "label_en")
