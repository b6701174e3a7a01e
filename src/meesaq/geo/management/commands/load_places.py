"""`meesaq load-places`: load or refresh the administrative units."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meesaq.geo.loader import load_places


class Command(BaseCommand):
    help = "Load Pakistan's provinces, divisions, districts and tehsils (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_places()
        self.stdout.write(
            f"Places: {result.created} created, {result.updated} refreshed, "
            f"{result.kept} added by administrators kept."
        )
