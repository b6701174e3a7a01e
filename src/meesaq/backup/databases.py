"""Consistent snapshots of the database, their restore, and a manifest to check one against.

The manifest lists every table with its row count and a SHA-256 over its rows in primary-key
order, computed inside the same snapshot that is dumped: on SQLite from the online-backup copy,
on PostgreSQL in a repeatable-read transaction whose snapshot ``pg_dump --snapshot`` shares.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from meesaq.backup.archive import BackupError

TableSums = dict[str, dict[str, int | str]]
_FETCH_ROWS = 5000


def _digest(rows: Iterable[object]) -> dict[str, int | str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(repr(row).encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- SQLite -------------------------------------------------------------------------------------


def sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy a live SQLite database to a file with the online-backup API (readers keep going)."""
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()


def sqlite_restore(source_path: Path, target: sqlite3.Connection) -> None:
    """Replace the whole content of a live SQLite database with a backup copy."""
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        source.backup(target)
    finally:
        source.close()


def sqlite_manifest(connection: sqlite3.Connection) -> TableSums:
    """Return every table's row count and row digest."""
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    sums: TableSums = {}
    for table in tables:
        columns = connection.execute(f"PRAGMA table_info({_quoted(table)})").fetchall()
        keys = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
        order = ", ".join(_quoted(key) for key in keys) or "rowid"
        # quote() gives each value's SQL literal, the same whatever type converters the
        # connection has (Django's turn dates into datetimes; a plain connection's do not).
        text = " || ',' || ".join(f"quote({_quoted(column[1])})" for column in columns)
        # Table and column names come from the database's own catalogue and are quoted.
        rows = connection.execute(
            f"SELECT {text} FROM {_quoted(table)} ORDER BY {order}"  # noqa: S608
        )
        sums[table] = _digest(rows)
    return sums


def sqlite_check(path: Path) -> None:
    """Refuse a SQLite file that fails its own integrity check."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError("The database in the backup is not a readable SQLite file.") from error
    finally:
        connection.close()
    if not result or result[0] != "ok":
        raise BackupError("The database in the backup fails SQLite's integrity check.")


# --- PostgreSQL ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresTarget:
    """Where a PostgreSQL database is, from Django's settings (the password stays out of argv)."""

    name: str
    user: str
    host: str
    port: str
    password: str

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> PostgresTarget:
        """Read the connection settings Django uses."""
        return cls(
            name=str(settings_dict["NAME"]),
            user=str(settings_dict.get("USER") or ""),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
        )

    def conninfo(self, name: str | None = None) -> str:
        """Return a libpq connection string without the password."""
        parts = {"dbname": name or self.name, "user": self.user, "host": self.host}
        parts["port"] = self.port
        return make_conninfo(**{k: v for k, v in parts.items() if v})

    def environment(self) -> dict[str, str]:
        """Return the environment for pg_dump and pg_restore, the password in PGPASSWORD."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(
        self, name: str | None = None, *, autocommit: bool = False
    ) -> psycopg.Connection[Any]:
        """Open a connection for reading sums, in UTC and ISO dates so text forms are stable."""
        connection = psycopg.connect(
            self.conninfo(name), password=self.password or None, autocommit=autocommit
        )
        connection.execute("SET TIME ZONE 'UTC'")
        connection.execute("SET datestyle = 'ISO, YMD'")
        if not autocommit:
            connection.commit()  # the next transaction may then set its own isolation level
        return connection


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed; install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client)."
        )
    return found


def postgres_manifest(connection: psycopg.Connection[Any]) -> TableSums:
    """Return every table's row count and a digest of its rows' text form."""
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
    ]
    sums: TableSums = {}
    for table in tables:
        keys = [
            row[0]
            for row in connection.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                (_quoted(table),),
            )
        ]
        order = sql.SQL(", ").join(sql.Identifier(key) for key in keys) if keys else sql.SQL("t")
        query = sql.SQL("SELECT t::text FROM {} AS t ORDER BY {}").format(
            sql.Identifier(table), order
        )
        # A server-side cursor streams big tables instead of loading them whole.
        with connection.cursor(name=f"sums_{len(sums)}") as cursor:
            cursor.itersize = _FETCH_ROWS
            cursor.execute(query)
            sums[table] = _digest(row[0] for row in cursor)
    return sums


def postgres_dump(target: PostgresTarget, dump_path: Path) -> TableSums:
    """Dump the database (custom format) and return the sums of the very same snapshot."""
    pg_dump = _tool("pg_dump")
    with target.connect() as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot is not None  # noqa: S101  # the function always returns one row
        dump = subprocess.Popen(  # noqa: S603  # fixed arguments; the password is in the environment
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot[0]}",
                f"--file={dump_path}",
                f"--dbname={target.conninfo()}",
            ],
            env=target.environment(),
            stderr=subprocess.PIPE,
        )
        # The sums are read while pg_dump runs; the exporting transaction must stay open until
        # pg_dump has taken the snapshot, and here it stays open until both are done.
        try:
            sums = postgres_manifest(connection)
        finally:
            _, errors = dump.communicate()
        connection.rollback()
    if dump.returncode != 0:
        raise BackupError(f"pg_dump failed: {errors.decode('utf-8', 'replace').strip()}")
    return sums


def _restore(target: PostgresTarget, dump_path: Path, name: str, *, clean: bool) -> None:
    arguments = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={target.conninfo(name)}",
    ]
    if clean:
        arguments[1:1] = ["--clean", "--if-exists"]
    result = subprocess.run(  # noqa: S603  # fixed arguments; the password is in the environment
        [*arguments, str(dump_path)], env=target.environment(), capture_output=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.decode('utf-8', 'replace').strip()}")


@contextmanager
def postgres_scratch(target: PostgresTarget, dump_path: Path) -> Iterator[str]:
    """Restore a dump into a new scratch database, yield its name, and drop it afterwards."""
    name = f"{target.name}_verify_{os.getpid()}"[:63]
    with target.connect("postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        _restore(target, dump_path, name, clean=False)
        yield name
    finally:
        with target.connect("postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def postgres_restore(target: PostgresTarget, dump_path: Path) -> None:
    """Replace the configured database's tables with the dump's, in one transaction."""
    _restore(target, dump_path, target.name, clean=True)
