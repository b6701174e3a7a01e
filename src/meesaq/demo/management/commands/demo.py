"""`meesaq demo`: create the demo province and print its logins (development mode only)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meesaq.core.errors import MeesaqError
from meesaq.demo.people import PeopleGenerator
from meesaq.demo.province import (
    PEOPLE_SEED,
    DemoAccount,
    ProvinceResult,
    demo_password,
    demo_refuse_in_production,
    province_create,
)
from meesaq.demo.registry import DemoContext, demo_steps


class Command(BaseCommand):
    help = (
        "Create the demo province: organisations of every kind in seven districts of Punjab and "
        "Sindh and a demo user of every role (safe to run again; refused in production)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--accounts-json",
            metavar="FILE",
            help="Also write the demo accounts to FILE as JSON, for scripts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_refuse_in_production()
            password, source = demo_password()
            result = province_create(password=password)
            context = DemoContext(
                organisations=result.organisations,
                users=result.users,
                people=PeopleGenerator(PEOPLE_SEED),
                password=password,
            )
            step_lines = [step.function(context) for step in demo_steps()]
        except MeesaqError as error:
            raise CommandError(str(error.message)) from error
        self._report(result, password, source, [line for line in step_lines if line])
        if options["accounts_json"]:
            self._write_json(Path(options["accounts_json"]), result.accounts)

    def _report(
        self, result: ProvinceResult, password: str, source: str, step_lines: list[str]
    ) -> None:
        if result.created_anything:
            self.stdout.write(
                _(
                    "Demo province: %(organisations)d organisations, %(users)d users and "
                    "%(memberships)d memberships created."
                )
                % {
                    "organisations": result.organisations_created,
                    "users": result.users_created,
                    "memberships": result.memberships_created,
                }
            )
        else:
            self.stdout.write(_("Demo province: already in place, nothing new created."))
        if result.passwords_reset:
            self.stdout.write(
                _("Demo passwords set to the current one for %(count)d users.")
                % {"count": result.passwords_reset}
            )
        for line in step_lines:
            self.stdout.write(line)
        for username in result.skipped_usernames:
            self.stderr.write(
                _("The username %(username)s belongs to an account that is not a demo account; ")
                % {"username": username}
                + _("the demo left it alone.")
            )
        self.stdout.write("")
        self.stdout.write(self._table(result.accounts))
        self.stdout.write("")
        self.stdout.write(
            _("Password of every demo account: %(password)s  (from %(source)s)")
            % {"password": password, "source": source}
        )
        self.stdout.write(
            self.style.WARNING(
                _("Demo accounts skip two-factor sign-in; never use them for real cases.")
            )
        )

    @staticmethod
    def _table(accounts: list[DemoAccount]) -> str:
        header = (_("Username"), _("Role"), _("Organisation"), _("Place"))
        rows = [header] + [
            (
                account.username,
                account.role_label,
                account.organisation_name,
                f"{account.place_name} ({account.district_pcode})",
            )
            for account in accounts
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(line.rstrip() for line in lines)

    def _write_json(self, path: Path, accounts: list[DemoAccount]) -> None:
        data = [
            {
                "username": account.username,
                "role": account.role,
                "organisation": account.organisation,
                "district_pcode": account.district_pcode,
            }
            for account in accounts
        ]
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(_("Accounts written to %(path)s.") % {"path": path})
