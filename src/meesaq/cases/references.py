"""Human-readable case references that encode province, district and year: PB-LHR-2026-000123."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db import transaction

from meesaq.cases.models import ReferenceCounter
from meesaq.geo.models import AdminUnit, Level

# Customary two-letter codes of the provinces and territories (P-code → code).
PROVINCE_CODES = {
    "PK1": "AJ",
    "PK2": "BL",
    "PK3": "GB",
    "PK4": "IS",
    "PK5": "KP",
    "PK6": "PB",
    "PK7": "SD",
}
REFERENCE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{3}-\d{4}-\d{6,}$")
_VOWELS = set("AEIOU")
CODE_LENGTH = 3


def _letters(name: str) -> str:
    return re.sub(r"[^A-Z]", "", name.upper())


def _candidates(name: str) -> list[str]:
    """Three-letter codes for a name, most readable first: first letter and the next consonants."""
    letters = _letters(name) or "XXX"
    consonants = [c for c in letters[1:] if c not in _VOWELS]
    first = letters[0]
    found = [first + "".join(consonants[: CODE_LENGTH - 1])]
    found += [first + a + b for i, a in enumerate(letters[1:]) for b in letters[i + 2 :]]
    return [code for code in found if len(code) == CODE_LENGTH] or [(letters + "XXX")[:CODE_LENGTH]]


@lru_cache(maxsize=16)
def _district_codes(province_pcode: str) -> dict[str, str]:
    """Return district P-code → three-letter code for a province, unique within it."""
    taken: set[str] = set()
    codes: dict[str, str] = {}
    districts = AdminUnit.objects.filter(
        level=Level.DISTRICT, path__startswith=province_pcode + "/"
    ).order_by("pcode")
    for district in districts:
        code = next((c for c in _candidates(district.name_en) if c not in taken), None)
        if code is None:
            code = f"D{len(codes):02d}"[-3:]
        taken.add(code)
        codes[district.pcode] = code
    return codes


def district_code(district: AdminUnit) -> str:
    """Return the district's three-letter code (LHR for Lahore)."""
    province = district.path.split("/")[0]
    codes = _district_codes(province)
    if district.pcode not in codes:
        _district_codes.cache_clear()
        codes = _district_codes(province)
    return codes.get(district.pcode, "XXX")


def reference_prefix(*, district: AdminUnit, year: int) -> str:
    """Return the prefix of a reference for a district and year."""
    province = district.path.split("/")[0]
    return f"{PROVINCE_CODES.get(province, 'PK')}-{district_code(district)}-{year}"


def reference_next(*, district: AdminUnit, year: int) -> str:
    """Take the next reference for a district and year; unique under concurrent intake.

    The counter row is locked until the caller's transaction ends, so call this inside the
    transaction that saves the case.
    """
    prefix = reference_prefix(district=district, year=year)
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(prefix=prefix)
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{prefix}-{counter.last_number:06d}"
