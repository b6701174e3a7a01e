"""`meesaq restore FILE --verify | --yes`: check a backup, or put it back in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meesaq.backup.archive import BackupError
from meesaq.backup.services import VerifyReport, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "With --verify, restore a backup into a scratch database and compare every table and "
        "file with its manifest (the live database is not touched). With --yes, replace the "
        "configured database and files with the backup's; stop the web and job processes first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file.")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--verify", action="store_true", help="Check only; change nothing.")
        group.add_argument(
            "--yes", action="store_true", help="Really replace the database and files."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"]:
                report = backup_verify(path=options["path"])
                self._print(report, done="verified")
            else:
                report = backup_restore(path=options["path"])
                self._print(report, done="restored and checked")
        except BackupError as error:
            raise CommandError(str(error)) from error

    def _print(self, report: VerifyReport, *, done: str) -> None:
        for problem in report.problems:
            self.stderr.write(f"Mismatch: {problem}")
        if not report.ok:
            raise CommandError(
                f"The backup of {report.created_at} does NOT match its manifest "
                f"({len(report.problems)} problems); nothing was changed."
            )
        self.stdout.write(
            f"Backup of {report.created_at} ({report.engine}) {done}: {report.tables} tables, "
            f"{report.rows} rows and {report.files} files match the manifest."
        )
