"""`meesaq bench generate --cases N`: write the benchmark suite's synthetic province."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from meesaq.core.errors import MeesaqError
from meesaq.demo.synthetic.generator import Progress, synthetic_generate


class Command(BaseCommand):
    help = "Benchmark data: `bench generate --cases N` writes (or tops up) the synthetic province."

    def add_arguments(self, parser: CommandParser) -> None:
        """Add the subcommands."""
        commands = parser.add_subparsers(dest="subcommand", required=True)
        generate = commands.add_parser(
            "generate",
            help="Write synthetic cases until there are N (a rerun continues where one stopped).",
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )
        generate.add_argument("--cases", type=int, required=True, help="cases wanted in all")
        generate.add_argument("--seed", type=int, default=8, help="seed of the random draws")
        generate.add_argument("--batch-size", type=int, default=None, help="cases per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the subcommand."""
        if options["cases"] < 0:
            raise CommandError("--cases must be 0 or more.")
        self.stdout.write(
            f"database: {connection.vendor} {connection.settings_dict['NAME']}", ending="\n"
        )
        try:
            result = synthetic_generate(
                cases=options["cases"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                report=self._progress,
            )
        except MeesaqError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            f"{result.existing} synthetic cases were there, {result.written} written "
            f"({result.rows} rows) in {result.seconds:.1f} s; {result.total} in all."
        )

    def _progress(self, progress: Progress) -> None:
        if progress.stage == "indexes":
            self.stdout.write(
                f"indexes and foreign keys rebuilt: {progress.done}/{progress.target}  "
                f"{progress.seconds:7.1f} s"
            )
            self.stdout.flush()
            return
        rate = progress.done / progress.seconds if progress.seconds else 0.0
        width = 30
        filled = int(width * progress.done / progress.target) if progress.target else width
        self.stdout.write(
            f"[{'#' * filled}{'.' * (width - filled)}] {progress.done:>9,}/{progress.target:,} "
            f"cases  {progress.rows:>11,} rows  {progress.seconds:7.1f} s  ({rate:,.0f} cases/s)"
        )
        self.stdout.flush()
