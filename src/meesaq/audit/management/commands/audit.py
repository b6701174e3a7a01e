"""`meesaq audit verify` and `meesaq audit head`: read-only checks of the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meesaq.audit.selectors import audit_chain_head
from meesaq.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or print its head for an outside witness."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser(
            "verify",
            help="Recompute every hash; on a broken chain name the first bad event and exit 1.",
        )
        subcommands.add_parser(
            "head",
            help="Print the newest sequence and hash, to copy somewhere an attacker cannot reach.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Both subcommands only read: verifying must never add to the trail it verifies.
        if options["subcommand"] == "head":
            head = audit_chain_head()
            self.stdout.write(f"{head.sequence} {head.hash}")
            return
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"Audit trail intact: {result.checked} events checked.")
            return
        self.stderr.write(
            f"Audit trail broken at event #{result.first_bad_sequence}: {result.reason}"
        )
        raise SystemExit(1)
