"""`meesaq backup`: write an encrypted backup of the database and the uploaded files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meesaq.backup.archive import BackupError
from meesaq.backup.services import backup_create


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database snapshot taken online, uploaded files, manifest) "
        "to MEESAQ_BACKUP_DIR or --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Where to write the backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_create(output=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written: {report.path} ({report.size} bytes, {report.engine}, "
            f"{report.tables} tables, {report.rows} rows, {report.files} files). It is encrypted "
            "with the newest key of MEESAQ_ENCRYPTION_KEYS: keep that key, stored apart from the "
            "backup, for as long as the backup is kept."
        )
