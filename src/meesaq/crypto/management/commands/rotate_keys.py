"""`meesaq rotate-keys`: re-encrypt identity fields with the newest key, safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meesaq.crypto.rotation import BATCH_SIZE, rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value that is not yet under the newest key of "
        "MEESAQ_ENCRYPTION_KEYS. Safe to stop and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Values re-encrypted per transaction (default {BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        report = rotate_keys(batch_size=options["batch_size"])
        self.stdout.write(f"Newest key: {report.newest_key_id}.")
        for column in report.columns:
            self.stdout.write(
                f"{column.model}.{column.field}: {column.rotated} re-encrypted, "
                f"{column.already_current} already under the newest key."
            )
        if not report.columns:
            self.stdout.write("No model has encrypted fields.")
        self.stdout.write(
            f"Done: {report.rotated} values re-encrypted, "
            f"{report.already_current} already under the newest key. Once every server runs "
            f"with {report.newest_key_id} first and a run finds nothing to re-encrypt, the older "
            "keys can be removed from MEESAQ_ENCRYPTION_KEYS."
        )
