"""The tree of administrative units: lookups, ancestors, descendants and "is within".

P-codes and place names are not personal data; other modules call these functions directly.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q, QuerySet

from meesaq.access import policy
from meesaq.geo.models import AdminUnit, Level

# A select's grouped choices: (group label, [(value, label), ...]).
GroupedChoices = list[tuple[str, list[tuple[str, str]]]]


def normalise_pcode(text: str) -> str:
    """Return a P-code as stored: upper case, without surrounding spaces."""
    return text.strip().upper()


def unit_get(pcode: str) -> AdminUnit | None:
    """Return the unit with this P-code (any case), or None."""
    return AdminUnit.objects.filter(pcode=normalise_pcode(pcode)).first()


def unit_ancestors(unit: AdminUnit) -> list[AdminUnit]:
    """Return the units above this one, province first, in one query."""
    codes = unit.ancestor_pcodes
    if not codes:
        return []
    return list(AdminUnit.objects.filter(pcode__in=codes).order_by("level"))


def unit_descendants(unit: AdminUnit, *, level: int | None = None) -> QuerySet[AdminUnit]:
    """Return every unit below this one (optionally at one level), in tree order."""
    # Served by the varchar_pattern_ops index on path (see AdminUnit.path).
    queryset = AdminUnit.objects.filter(path__startswith=unit.path + "/")
    if level is not None:
        queryset = queryset.filter(level=level)
    return queryset.order_by("path")


def unit_is_within(unit: AdminUnit, ancestor: AdminUnit) -> bool:
    """Say whether ``unit`` is ``ancestor`` or lies inside it, without a query."""
    # Compares whole path segments, so PK6171 is not inside PK617.
    return policy.is_within(unit.path, ancestor.path)


def units_children(unit: AdminUnit | None) -> QuerySet[AdminUnit]:
    """Return the units directly below ``unit``, or the provinces when it is None."""
    if unit is None:
        return AdminUnit.objects.filter(parent__isnull=True).order_by("name_en")
    return AdminUnit.objects.filter(parent=unit).order_by("name_en")


def unit_search(text: str) -> QuerySet[AdminUnit]:
    """Return the units whose English or Urdu name or P-code contains the text."""
    text = text.strip()
    if not text:
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(
        Q(name_en__icontains=text) | Q(name_ur__icontains=text) | Q(pcode__icontains=text)
    ).order_by("level", "name_en")


def units_within_q(field_prefix: str, unit: AdminUnit) -> Q:
    """Return a filter for rows whose unit at ``field_prefix`` is ``unit`` or lies inside it.

    ``units_within_q("jurisdiction", lahore)`` filters organisations (or cases) placed in Lahore
    or any tehsil of it.
    """
    path_field = f"{field_prefix}__path"
    return Q(**{path_field: unit.path}) | Q(**{f"{path_field}__startswith": unit.path + "/"})


def unit_choices(
    *, levels: Collection[int], tree: bool = False, within: Collection[str] | None = None
) -> GroupedChoices:
    """Return units of these levels as select choices grouped by province, in one query.

    Each group starts with the province (when its level is asked for). With ``tree`` the rest
    follows the tree (a division, then its districts) and is indented; otherwise by name.
    ``within`` keeps only the units at or below these paths (a district officer's list offers
    the district and its tehsils, not the country's 700 units); None keeps every unit.
    """
    inside = Q(level__in=levels)
    if within is not None:
        inside &= Q(pk__in=[]) if not within else _at_or_below(within)
    units = list(
        AdminUnit.objects.filter(inside | Q(level=Level.PROVINCE)).only(
            "pcode", "name_en", "name_ur", "level", "path"
        )
    )
    provinces = sorted((u for u in units if u.level == Level.PROVINCE), key=lambda u: u.name_en)
    members: dict[str, list[AdminUnit]] = {province.pcode: [] for province in provinces}
    offered = {unit.pk for unit in units if within is None or _is_below(unit.path, within)}
    for unit in units:
        if unit.level != Level.PROVINCE and unit.level in levels:
            members.setdefault(unit.path.split("/")[0], []).append(unit)
    groups: GroupedChoices = []
    for province in provinces:
        below = members[province.pcode]
        below.sort(key=(lambda u: u.path) if tree else (lambda u: u.name_en))
        entries = (
            [(province.pcode, unit_label(province))]
            if Level.PROVINCE in levels and province.pk in offered
            else []
        )
        for unit in below:
            indent = "\u2003" * (unit.level - 1) if tree else ""
            entries.append((unit.pcode, indent + unit_label(unit)))
        if entries:
            groups.append((province.name, entries))
    return groups


def _at_or_below(paths: Collection[str]) -> Q:
    found = Q()
    for path in paths:
        found |= Q(path=path) | Q(path__startswith=path + "/")
    return found


def _is_below(path: str, paths: Collection[str]) -> bool:
    return any(policy.is_within(path, ancestor) for ancestor in paths)


def unit_label(unit: AdminUnit) -> str:
    """Return the unit's name with its level, e.g. "Lahore (District)"."""
    return f"{unit.name} ({Level(unit.level).label})"
