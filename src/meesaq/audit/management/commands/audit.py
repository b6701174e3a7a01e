"""`meesaq audit verify` and `meesaq audit head`: read-only checks of the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meesaq.audit.verify import verify_chain
from meesaq.audit.witness import head_check, head_statement


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or print its head for an outside witness."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Recompute every hash; on a broken chain name the first bad event and exit 1.",
        )
        verify.add_argument(
            "--head",
            type=Path,
            help="A statement printed earlier by `audit head`: prove nothing before it changed.",
        )
        subcommands.add_parser(
            "head",
            help="Print the newest sequence, hash and a keyed signature, to keep off the machine.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Both subcommands only read: verifying must never add to the trail it verifies.
        if options["subcommand"] == "head":
            self.stdout.write(head_statement())
            return
        result = verify_chain()
        if not result.ok:
            self.stderr.write(
                f"Audit trail broken at event #{result.first_bad_sequence}: {result.reason}"
            )
            raise SystemExit(1)
        if options.get("head") is not None:
            try:
                statement = options["head"].read_text("utf-8")
            except OSError as error:
                raise CommandError(f"Cannot read the head statement: {error.strerror}.") from error
            check = head_check(statement)
            if not check.ok:
                self.stderr.write(f"Audit trail does not match the kept head: {check.reason}.")
                raise SystemExit(1)
            self.stdout.write(f"Kept head matches: {check.reason}.")
        self.stdout.write(f"Audit trail intact: {result.checked} events checked.")
