"""`meesaq setup`: everything `make run` needs before serving, safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the places, collect static files and (outside production) the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        call_command("load_places", verbosity=0)
        self.stdout.write("Places are loaded.")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Static files are collected.")
        if not settings.PRODUCTION:
            call_command("demo")
