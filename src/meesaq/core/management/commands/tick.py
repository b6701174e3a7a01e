"""`meesaq tick`: recover jobs left by a stopped worker and enqueue the periodic jobs due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meesaq.core.tasks import tick


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (the worker also does this every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        enqueued = tick()
        if options["verbosity"] > 0:
            self.stdout.write(f"Enqueued {len(enqueued)} periodic job(s).")
