"""Consistent snapshots of the database, their restore, and a manifest to check one against.

The manifest lists every table with its row count and a SHA-256 over its rows in primary-key
order, computed inside the same snapshot that is dumped: on SQLite from the online-backup copy,
on PostgreSQL in repeatable-read transactions that share the snapshot ``pg_dump --snapshot``
takes.

On PostgreSQL the digest is computed by the server (``ROW_CHUNKS``): each row's text form is
hashed, the hashes of each run of ``CHUNK_ROWS`` rows in key order are hashed together, and
the manifest's digest is the SHA-256 of those chunk hashes. Only one hash per chunk crosses the
connection, and two connections share the tables. Backups written before it carry no
``digest`` in their manifest and are checked the older way, row by row in Python.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
ROW_CHUNKS = "sha256-row-chunks"
CHUNK_ROWS = 100_000
DIGEST_CONNECTIONS = 2


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


def _tables(connection: psycopg.Connection[Any]) -> list[tuple[str, list[str]]]:
    """Return the schema's tables, largest first, each with its primary-key columns."""
    rows = connection.execute(
        "SELECT c.relname, array_remove(array_agg(a.attname ORDER BY a.attnum), NULL) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
        "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        "GROUP BY c.relname, c.relpages ORDER BY c.relpages DESC, c.relname"
    ).fetchall()
    return [(str(name), list(keys)) for name, keys in rows]


def postgres_manifest_rows(connection: psycopg.Connection[Any]) -> TableSums:
    """Return every table's row count and the older digest of its rows, read into Python."""
    sums: TableSums = {}
    for table, keys in sorted(_tables(connection)):
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


# One chunk: each row's text hashed, the hashes joined in key order and hashed again; and
# the chunk's last key (array_agg: max() has no uuid form).
_CHUNK = (
    "SELECT count(*), (array_agg(k ORDER BY k))[count(*)], "
    "sha256(string_agg(sha256(convert_to(r::text, 'UTF8')), ''::bytea ORDER BY k)) "
    "FROM (SELECT t AS r, t.{key} AS k FROM {table} AS t {after} "
    "ORDER BY t.{key} LIMIT {limit}) AS c"
)
# A table without a one-column key (none of Django's): the whole table as one chunk.
_WHOLE = (
    "SELECT count(*), NULL, sha256(string_agg(sha256(convert_to(t::text, 'UTF8')), "
    "''::bytea ORDER BY {order})) FROM {table} AS t"
)


def _table_sum(
    connection: psycopg.Connection[Any], table: str, keys: list[str]
) -> dict[str, int | str]:
    digest = hashlib.sha256()
    count = 0
    last: Any = None
    while True:
        if len(keys) == 1:
            query = sql.SQL(_CHUNK).format(
                key=sql.Identifier(keys[0]),
                table=sql.Identifier(table),
                after=sql.SQL("")
                if last is None
                else sql.SQL("WHERE t.{} > %s").format(sql.Identifier(keys[0])),
                limit=sql.Literal(CHUNK_ROWS),
            )
        else:
            order = sql.SQL(", ").join(sql.Identifier(k) for k in keys) if keys else sql.SQL("t")
            query = sql.SQL(_WHOLE).format(order=order, table=sql.Identifier(table))
        row = connection.execute(query, [] if last is None else [last]).fetchone()
        assert row is not None  # noqa: S101  # an aggregate always returns a row
        rows, last, chunk = int(row[0]), row[1], row[2]
        if rows:
            digest.update(bytes(chunk))
            count += rows
        if len(keys) != 1 or rows < CHUNK_ROWS:
            return {"rows": count, "sha256": digest.hexdigest()}


def postgres_manifest(
    target: PostgresTarget, name: str | None = None, *, snapshot: str | None = None
) -> TableSums:
    """Return every table's row count and digest, computed by the server over two connections.

    ``snapshot``: an exported snapshot (``pg_export_snapshot``) that every connection reads.
    """
    connections = [target.connect(name) for _ in range(DIGEST_CONNECTIONS)]
    try:
        for reader in connections:
            reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            if snapshot is not None:
                reader.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
        tables = _tables(connections[0])
        shares: list[list[tuple[str, list[str]]]] = [[] for _ in connections]
        for position, table in enumerate(tables):  # largest first, dealt in turn
            shares[position % len(shares)].append(table)

        def read(reader: psycopg.Connection[Any], share: list[tuple[str, list[str]]]) -> TableSums:
            return {table: _table_sum(reader, table, keys) for table, keys in share}

        with ThreadPoolExecutor(max_workers=len(connections)) as pool:
            parts = list(pool.map(read, connections, shares))
    finally:
        for reader in connections:
            reader.close()
    return {table: found for part in parts for table, found in sorted(part.items())}


def check_digest(digest: str | None) -> None:
    """Refuse a manifest whose digest this version cannot compute (from a newer Meesaq)."""
    if digest not in (None, ROW_CHUNKS):
        raise BackupError(f"The backup's digest {digest!r} is unknown to this version of Meesaq.")


def table_sums(target: PostgresTarget, name: str | None = None, *, digest: str | None) -> TableSums:
    """Return the sums of a database in the manifest's own digest (``None``: the older one)."""
    check_digest(digest)
    if digest == ROW_CHUNKS:
        return postgres_manifest(target, name)
    with target.connect(name) as connection:
        return postgres_manifest_rows(connection)


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
        # pg_dump and the digest's connections have taken the snapshot, and until both are done.
        try:
            sums = postgres_manifest(target, snapshot=str(snapshot[0]))
        finally:
            _, errors = dump.communicate()
        connection.rollback()
    if dump.returncode != 0:
        raise BackupError(f"pg_dump failed: {errors.decode('utf-8', 'replace').strip()}")
    return sums


RESTORE_JOBS = 2


def _restore(target: PostgresTarget, dump_path: Path, name: str, *, clean: bool) -> None:
    # The live database is replaced in one transaction (all or nothing); a scratch copy, which
    # is dropped whatever happens, is restored by parallel jobs (tables and indexes at once).
    arguments = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction" if clean else f"--jobs={RESTORE_JOBS}",
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
