"""Secondary indexes and foreign keys set aside while the generator loads a large province.

Keeping some sixty indexes up to date row by row, and checking every foreign key row by row,
is most of PostgreSQL's work during a bulk load; building each index once over the loaded table,
and validating each foreign key with one join, is many times cheaper (pg_restore loads the
same way). Primary keys and unique constraints stay in place throughout, so the load can still
not write a duplicate reference, audit sequence or id.

The definitions are saved in a table of their own in the transaction that drops them, and each
is deleted in the transaction that rebuilds it: a run stopped at any point leaves the rest to
the next run, which rebuilds them when it has written its cases. PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection, transaction

STORE = "meesaq_synthetic_deferred"

_SECONDARY_INDEXES = """
    SELECT format('DROP INDEX %%I', c.relname), pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY i.indrelid, c.relname
"""
_FOREIGN_KEYS = """
    SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', k.conrelid::regclass, k.conname),
           format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s',
                  k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid))
    FROM pg_constraint k
    WHERE k.contype = 'f' AND k.conrelid = ANY(%s::regclass[])
    ORDER BY k.conrelid, k.conname
"""


def _store_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [STORE])
        row = cursor.fetchone()
    return bool(row and row[0])


def deferred_pending() -> int:
    """Return how many definitions a stopped run left to rebuild (0 if none)."""
    if connection.vendor != "postgresql" or not _store_exists():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {STORE}")  # noqa: S608  # a constant name
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def defer(tables: Sequence[str]) -> int:
    """Drop the tables' secondary indexes and foreign keys, saving them; return how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows written earlier in this transaction (tests) must be checked before their
        # constraints go: ALTER TABLE refuses a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STORE} "
            "(position serial PRIMARY KEY, statement text NOT NULL)"
        )
        names = list(tables)
        cursor.execute(_FOREIGN_KEYS, [names])
        keys = cursor.fetchall()
        cursor.execute(_SECONDARY_INDEXES, [names])
        indexes = cursor.fetchall()
        # Rebuilt in the order saved: indexes first, then the keys (validated over full tables).
        for _drop, create in [*indexes, *keys]:
            cursor.execute(f"INSERT INTO {STORE} (statement) VALUES (%s)", [create])  # noqa: S608  # a constant name
        for drop, _create in [*keys, *indexes]:
            cursor.execute(drop)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys, as they were
    return len(keys) + len(indexes)


def rebuild(report: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every saved definition, one transaction each; return how many were rebuilt."""
    total = deferred_pending()
    done = 0
    with connection.cursor() as cursor:
        # Index builds sort in memory when they can; the setting lasts for this session only.
        cursor.execute("SET maintenance_work_mem = '512MB'")
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT position, statement FROM {STORE} ORDER BY position LIMIT 1"  # noqa: S608  # a constant name
            )
            row = cursor.fetchone()
            if row is None:
                cursor.execute(f"DROP TABLE {STORE}")
                break
            cursor.execute(row[1])
            cursor.execute(f"DELETE FROM {STORE} WHERE position = %s", [row[0]])  # noqa: S608  # a constant name
        done += 1
        if report is not None:
            report(done, total)
    with connection.cursor() as cursor:
        cursor.execute("RESET maintenance_work_mem")
    return done
