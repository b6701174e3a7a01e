"""Load Pakistan's administrative units from the bundled reference data (see data/SOURCE.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from meesaq.geo.models import AdminUnit, Level

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LoadResult:
    """How many units the load created and updated."""

    created: int
    updated: int


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


def _upsert(
    pcode: str,
    *,
    name_en: str,
    name_ur: str,
    level: int,
    parent: AdminUnit | None,
    counts: dict[str, int],
) -> AdminUnit:
    path = f"{parent.path}/{pcode}" if parent else pcode
    unit, created = AdminUnit.objects.update_or_create(
        pcode=pcode,
        defaults={
            "name_en": name_en,
            "level": level,
            "parent": parent,
            "path": path,
            "official": level != Level.DIVISION,
        },
        create_defaults={
            "name_en": name_en,
            "name_ur": name_ur,
            "level": level,
            "parent": parent,
            "path": path,
            "official": level != Level.DIVISION,
        },
    )
    # Urdu names added by administrators are kept; the data set fills only missing ones.
    if name_ur and not unit.name_ur:
        unit.name_ur = name_ur
        unit.save(update_fields=["name_ur"])
    counts["created" if created else "updated"] += 1
    return unit


def load_places() -> LoadResult:
    """Create or refresh every province, division, district and tehsil; safe to run again."""
    counts = {"created": 0, "updated": 0}
    divisions = _division_rows()
    with (DATA_DIR / "admin_units.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    units: dict[str, AdminUnit] = {}
    with transaction.atomic():
        for row in sorted(rows, key=lambda r: (int(r["level"]), r["pcode"])):
            level = int(row["level"])
            parent = units.get(row["parent_pcode"]) if row["parent_pcode"] else None
            if level == Level.DISTRICT and row["pcode"] in divisions:
                division_code, division_name = divisions[row["pcode"]]
                if division_code not in units:
                    units[division_code] = _upsert(
                        division_code,
                        name_en=division_name,
                        name_ur="",
                        level=Level.DIVISION,
                        parent=parent,
                        counts=counts,
                    )
                parent = units[division_code]
            units[row["pcode"]] = _upsert(
                row["pcode"],
                name_en=row["name_en"],
                name_ur=row["name_ur"],
                level=level,
                parent=parent,
                counts=counts,
            )
    return LoadResult(created=counts["created"], updated=counts["updated"])
