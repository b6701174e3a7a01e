"""Load Pakistan's administrative units from the bundled reference data (see data/SOURCE.md).

The load is idempotent and leaves administrators' work alone: units an administrator added are
never changed (only their ``path`` follows if the data set moves an ancestor), and an Urdu name
already present is never overwritten; the data set fills only missing Urdu names.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from meesaq.geo.models import AdminUnit, Level

DATA_DIR = Path(__file__).resolve().parent / "data"
_FIELDS = ("name_en", "name_ur", "level", "parent_id", "path", "official", "added_by_admin")


@dataclass(frozen=True)
class LoadResult:
    """How many units the load created and changed; administrators' own units are kept."""

    created: int
    updated: int
    kept: int = 0


@dataclass(frozen=True)
class ReferenceUnit:
    """One unit as the reference data describes it, with its place in the tree."""

    pcode: str
    name_en: str
    name_ur: str
    level: int
    parent_pcode: str
    path: str


def _division_rows() -> dict[str, tuple[str, str]]:
    """Return district P-code → (division P-code, division name), with the project's codes.

    The census gives division names only; codes are assigned per province in name order
    (``PK6DV01`` …), which stays stable while the bundled data does not change.
    """
    by_province: dict[str, set[str]] = {}
    district_division: dict[str, tuple[str, str]] = {}
    with (DATA_DIR / "district_divisions.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["division_name_en"].strip()]
    for row in rows:
        by_province.setdefault(row["province_pcode"], set()).add(row["division_name_en"].strip())
    codes = {
        (province, name): f"{province}DV{index:02d}"
        for province, names in by_province.items()
        for index, name in enumerate(sorted(names), start=1)
    }
    for row in rows:
        name = row["division_name_en"].strip()
        district_division[row["district_pcode"]] = (codes[(row["province_pcode"], name)], name)
    return district_division


def reference_units() -> list[ReferenceUnit]:
    """Return every unit of the reference data, divisions included, parents before children."""
    divisions = _division_rows()
    with (DATA_DIR / "admin_units.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    paths: dict[str, str] = {}
    units: list[ReferenceUnit] = []

    def add(pcode: str, name_en: str, name_ur: str, level: int, parent_pcode: str) -> None:
        paths[pcode] = f"{paths[parent_pcode]}/{pcode}" if parent_pcode else pcode
        units.append(
            ReferenceUnit(
                pcode, name_en.strip(), name_ur.strip(), level, parent_pcode, paths[pcode]
            )
        )

    for row in sorted(rows, key=lambda r: (int(r["level"]), r["pcode"])):
        level, parent_pcode = int(row["level"]), row["parent_pcode"]
        if level == Level.DISTRICT and row["pcode"] in divisions:
            division_code, division_name = divisions[row["pcode"]]
            if division_code not in paths:
                add(division_code, division_name, "", Level.DIVISION, parent_pcode)
            parent_pcode = division_code
        add(row["pcode"], row["name_en"], row["name_ur"], level, parent_pcode)
    return units


def load_places() -> LoadResult:
    """Create or refresh every province, division, district and tehsil; safe to run again."""
    reference = reference_units()
    with transaction.atomic():
        existing = {unit.pcode: unit for unit in AdminUnit.objects.select_for_update()}
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for row in reference:
            wanted = {
                "name_en": row.name_en,
                "level": row.level,
                "parent_id": row.parent_pcode or None,
                "path": row.path,
                "official": row.level != Level.DIVISION,
                "added_by_admin": False,
            }
            unit = existing.get(row.pcode)
            if unit is None:
                to_create.append(AdminUnit(pcode=row.pcode, name_ur=row.name_ur, **wanted))
                continue
            # A unit an administrator added before the data set caught up becomes official data;
            # its Urdu name, like every Urdu name already given, is kept.
            changed = False
            for field, value in wanted.items():
                if getattr(unit, field) != value:
                    setattr(unit, field, value)
                    changed = True
            if row.name_ur and not unit.name_ur:
                unit.name_ur = row.name_ur
                changed = True
            if changed:
                to_update.append(unit)
        AdminUnit.objects.bulk_create(to_create, batch_size=500)
        AdminUnit.objects.bulk_update(to_update, _FIELDS, batch_size=500)
        kept = _repair_added_paths(existing, {row.pcode: row.path for row in reference})
    return LoadResult(created=len(to_create), updated=len(to_update), kept=kept)


def _repair_added_paths(existing: dict[str, AdminUnit], paths: dict[str, str]) -> int:
    """Recompute the paths of administrators' units below moved units; return how many exist."""
    reference_codes = set(paths)
    added = sorted(
        (unit for code, unit in existing.items() if code not in reference_codes),
        key=lambda unit: unit.level,
    )
    moved: list[AdminUnit] = []
    for unit in added:
        parent_path = paths.get(unit.parent_id or "", "")
        path = f"{parent_path}/{unit.pcode}" if parent_path else unit.pcode
        paths[unit.pcode] = path
        if unit.path != path:
            unit.path = path
            moved.append(unit)
    AdminUnit.objects.bulk_update(moved, ["path"], batch_size=500)
    return len(added)
