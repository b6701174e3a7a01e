"""Bulk writing for the synthetic province: the app's own ciphertext and blind indexes, made fast.

The generator writes millions of encrypted values and keyed hashes. ``keyring.encrypt`` and
``blind_index`` parse the key from settings on every call; ``Sealer`` does the same AES-GCM and
HMAC-SHA256 with the keys parsed once, producing byte-for-byte the formats that
``meesaq.crypto`` reads (tests decrypt with ``keyring.decrypt`` and compare with
``blind_index``). Rows go in with PostgreSQL's ``COPY`` (psycopg 3) or, on SQLite, one
``executemany`` per table.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection, models

from meesaq.crypto import keyring
from meesaq.crypto.blind_index import name_tokens
from meesaq.crypto.fields import EncryptedTextField

Row = tuple[Any, ...]


class Sealer:
    """Encrypt values and compute blind indexes exactly as ``meesaq.crypto`` does, keys held."""

    def __init__(self) -> None:
        ring = keyring.get_keyring()
        self._key_id = ring.newest_id
        self._aead = AESGCM(ring.key(self._key_id))
        self._header = f"{keyring.TOKEN_VERSION}.{self._key_id}."
        self._header_bytes = self._header.encode("ascii")
        self._index_key = keyring.decode_key(
            str(settings.MEESAQ_BLIND_INDEX_KEY), setting="MEESAQ_BLIND_INDEX_KEY", label="the key"
        )
        self._token_cache: dict[str, list[str]] = {}

    def seal(self, plaintext: str, *, associated: bytes) -> str:
        """Return the key ring token of a value ("" stays "", as the field stores it)."""
        if not plaintext:
            return ""
        nonce = os.urandom(keyring.NONCE_BYTES)
        sealed = self._aead.encrypt(
            nonce, plaintext.encode("utf-8"), self._header_bytes + associated
        )
        return self._header + base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")

    def index(self, kind: str, normalised: str) -> str:
        """Return the blind index of an already normalised value."""
        message = kind.encode("ascii") + b"\x00" + normalised.encode("utf-8")
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()

    def name_index_tokens(self, name: str) -> list[str]:
        """Return a name's token indexes; names repeat a lot, so they are remembered."""
        found = self._token_cache.get(name)
        if found is None:
            found = [self.index("name", token) for token in name_tokens(name)]
            self._token_cache[name] = found
        return found


def associated(model: type[models.Model], field_name: str) -> bytes:
    """Return the associated data that binds a token to its column (the field's own label)."""
    found = model._meta.get_field(field_name)
    if not isinstance(found, EncryptedTextField):
        raise TypeError(f"{model.__name__}.{field_name} is not encrypted")
    return found.associated_data.encode("utf-8")


@dataclass
class Table:
    """Rows for one model, given as tuples in the order of ``fields`` (JSON as text)."""

    model: type[models.Model]
    fields: Sequence[str]
    rows: list[Row] = field(default_factory=list)

    def add(self, *values: Any) -> None:
        """Append one row."""
        self.rows.append(values)


class IdBlocks:
    """Primary keys handed out ahead of the insert, so that child rows can point to parents.

    PostgreSQL: values taken from the table's own sequence (never reused, gaps are harmless).
    SQLite: numbers above the table's largest id; writes there are serial, so none collide.
    """

    BLOCK = 5000

    def __init__(self) -> None:
        self._free: dict[str, list[int]] = {}
        self._last: dict[str, int] = {}

    def next(self, model: type[models.Model]) -> int:
        """Return a fresh primary key for a row of ``model``."""
        table = model._meta.db_table
        free = self._free.get(table)
        if not free:
            free = self._fetch(model)
            self._free[table] = free
        return free.pop()

    def _fetch(self, model: type[models.Model]) -> list[int]:
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, self.BLOCK],
                )
                values = sorted((row[0] for row in cursor.fetchall()), reverse=True)
                return values
            cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')  # noqa: S608  # names from model metadata
            start = max(int(cursor.fetchone()[0]), self._last.get(table, 0)) + 1
        self._last[table] = start + self.BLOCK - 1
        return list(range(start + self.BLOCK - 1, start - 1, -1))


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return found


def _columns(table: Table) -> tuple[list[str], Row]:
    """Return every concrete column of the model and the constant values of those not given."""
    given = [_concrete(table.model, name) for name in table.fields]
    given_names = {f.name for f in given}
    rest = [
        f
        for f in table.model._meta.concrete_fields
        if f.name not in given_names and not f.primary_key
    ]
    defaults: list[Any] = []
    for f in rest:
        if f.null:
            defaults.append(None)
            continue
        value = f.get_default()
        if value is None:
            raise ValueError(f"{table.model.__name__}.{f.name} needs a value in bulk rows")
        defaults.append(value)
    return [str(f.column) for f in (*given, *rest)], tuple(defaults)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def tables_write(tables: Iterable[Table]) -> int:
    """Insert every table's rows in the current transaction; return the number of rows."""
    written = 0
    for table in tables:
        if not table.rows:
            continue
        columns, defaults = _columns(table)
        name = table.model._meta.db_table
        quoted = ", ".join(f'"{column}"' for column in columns)
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            raw = connection.connection
            assert raw is not None  # noqa: S101  # ensure_connection opened it
            with (
                raw.cursor() as cursor,
                cursor.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy,
            ):
                for row in table.rows:
                    copy.write_row(row + defaults)
        else:
            marks = ", ".join("%s" for _ in columns)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})',  # noqa: S608  # names from model metadata
                    [[_sqlite_value(v) for v in (*row, *defaults)] for row in table.rows],
                )
        written += len(table.rows)
    return written
