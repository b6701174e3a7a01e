"""Small builders shared by the geo tests."""

from __future__ import annotations

from meesaq.geo.models import AdminUnit, Level


def division(name: str, province: str = "PK6") -> AdminUnit:
    """Return the division of that name in the province (codes are the project's own)."""
    return AdminUnit.objects.get(level=Level.DIVISION, name_en=name, parent_id=province)
