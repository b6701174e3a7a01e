"""Nothing in the clear: after the demo loads and the site is used, no identity is readable.

A fresh Meesaq process (SQLite file, or a scratch PostgreSQL database) sets up the demo with
DEBUG on and logging at DEBUG, is used by staff (searches by CNIC, phone and name, case pages,
summary PDFs), and makes a backup. Then every decrypted identity value (names, relatives' names,
CNICs, phones, addresses, narratives) is searched for in the database file and its SQL dump,
the uploaded files, the backup and every log line: none may be found.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("scan_driver.py")
pytestmark = pytest.mark.django_db(transaction=True)


def _environment(var: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEESAQ_", "DATABASE_"))}
    env.update(
        {
            "MEESAQ_VAR_DIR": str(var),
            "DJANGO_SETTINGS_MODULE": "meesaq.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "LOG_LEVEL": "DEBUG",
            "DEBUG": "true",
            "MEESAQ_SMS_BACKEND": "console",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _meesaq(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, "-m", "meesaq.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


# A run of digits that stands alone (not inside hex digests or base64, which are full of digits).
NUMBER = re.compile(r"(?<![0-9A-Za-z])\+?(\d{10,13})(?![0-9A-Za-z])")


@dataclass
class Canaries:
    """What would betray each identity value: its digits, or its text and JSON-escaped text."""

    numbers: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, values: list[str]) -> Canaries:
        canaries = cls()
        for value in values:
            text = value.strip()
            digits = re.sub(r"\D", "", text)
            if text.startswith("+") or (len(digits) >= 10 and len(digits) >= len(text) - 3):
                # As stored (+92…, 13 digits) and as typed nationally (03…).
                canaries.numbers.add(digits)
                if digits.startswith("92"):
                    canaries.numbers.add("0" + digits[2:])
            elif " " in text and len(text) >= 6:
                # Text with a space cannot appear by chance in ciphertexts or digests.
                probe = text[:60]
                canaries.texts.update({probe, json.dumps(probe)[1:-1]})
        return canaries

    def hits(self, places: dict[str, str]) -> list[str]:
        """Return each place and value found there."""
        found = []
        for where, text in places.items():
            found += [f"{where}: {n}" for n in sorted(set(NUMBER.findall(text)) & self.numbers)]
            found += [f"{where}: {probe[:30]}" for probe in sorted(self.texts) if probe in text]
        return found


def _files(folder: Path) -> dict[str, str]:
    # Collected static files are the project's own CSS, JS and fonts, not data.
    return {
        str(path.relative_to(folder)): path.read_bytes().decode("utf-8", "replace")
        for path in folder.rglob("*")
        if path.is_file() and "static" not in path.relative_to(folder).parts
    }


def _scan(env: dict[str, str], var: Path) -> tuple[list[str], list[str], dict[str, str]]:
    logs = [_meesaq(env, "setup").stderr]
    dump = var / "dump.sql"
    driver = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, str(DRIVER), str(dump)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert driver.returncode == 0, driver.stderr[-3000:]
    logs.append(driver.stderr)
    canaries = json.loads(driver.stdout.strip().splitlines()[-1])
    logs.append(_meesaq(env, "backup", "--output", str(var / "scan.backup")).stderr)
    places = {"logs": "\n".join(logs), **_files(var)}
    return canaries, logs, places


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs in the SQLite suite")
def test_the_sqlite_database_files_backup_and_debug_logs_hold_no_identity(tmp_path: Path) -> None:
    env = _environment(tmp_path)

    canaries, logs, places = _scan(env, tmp_path)

    assert len(canaries) > 500, "the demo should hold hundreds of identity values"
    assert any("django.db.backends" in log for log in logs), "SQL was not logged at DEBUG"
    assert "dump.sql" in places and "meesaq.sqlite3" in places and "scan.backup" in places
    assert Canaries.of(canaries).hits(places) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL suite")
def test_a_postgresql_dump_files_backup_and_debug_logs_hold_no_identity(tmp_path: Path) -> None:
    from psycopg import sql

    from meesaq.backup.databases import PostgresTarget

    target = PostgresTarget.from_settings(connection.settings_dict)
    scratch = f"meesaq_scan_{os.getpid()}"
    with target.connect("postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        url = f"postgres://{target.user}@{target.host}:{target.port or 5432}/{scratch}"
        env = _environment(tmp_path, url)
        canaries, _, places = _scan(env, tmp_path)
        dump = subprocess.run(  # noqa: S603  # fixed arguments
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=plain",
                f"--dbname={target.conninfo(scratch)}",
            ],
            env=target.environment(),
            capture_output=True,
            text=True,
            check=True,
        )
        places["pg_dump"] = dump.stdout
        assert len(canaries) > 500
        assert Canaries.of(canaries).hits(places) == []
    finally:
        with target.connect("postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch))
            )


def test_the_scan_would_find_an_identity_written_in_the_clear() -> None:
    canaries = Canaries.of(["Parveen Bibi Masih", "+923901234567", "0520212345671"])
    places = {
        "log": 'INFO name="Parveen Bibi Masih"',
        "db": "INSERT INTO t VALUES ('03901234567')",
        "digest": "ab0520212345671cd",  # inside a digest: not a hit
    }

    assert canaries.hits(places) == ["log: Parveen Bibi Masih", "db: 03901234567"]
