"""Files to import, made in the test."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone

from meesaq.imports.columns import NAMES


def row(number: int, **overrides: str) -> dict[str, str]:
    """Return one correct row with the given changes."""
    received = timezone.localtime() - timedelta(days=1 + number % 300)
    values = dict.fromkeys(NAMES, "")
    values.update(
        external_reference=f"REG-{number:05d}",
        received_at=received.strftime("%Y-%m-%d %H:%M"),
        channel="walk_in",
        district="PK617",
        category="threats",
        title=f"Register entry {number}",
        consent_contact="no",
        consent_share="yes",
    )
    values.update(overrides)
    return values


def csv_file(rows: list[dict[str, str]]) -> bytes:
    """Return the rows as a CSV file with the template's header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(NAMES))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
