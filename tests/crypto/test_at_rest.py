"""THE test: identity saved through the model leaves no plaintext in the database.

The columns are read back with raw SQL, bypassing the field; then the database's own storage
is read as bytes: on SQLite a page-by-page backup of the whole database, on PostgreSQL the
table's heap file after a checkpoint.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.crypto.conftest import CNIC, CNIC_DIGITS, NAME, PHONE, PHONE_E164, MakeRecord
from tests.testapp.models import ProtectedRecord

NEEDLES = [
    NAME,
    *NAME.split(),
    CNIC,
    CNIC_DIGITS,
    PHONE,
    PHONE_E164,
    PHONE_E164.removeprefix("+92"),
    "03217654321",
    "شازیہ",
]
URDU_NAME = "شازیہ بی بی مسیح"


def assert_no_plaintext(haystack: bytes) -> None:
    """Fail if any form of the test identity appears in the bytes, in UTF-8 or UTF-16."""
    lowered = haystack.lower()
    for needle in NEEDLES:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert needle.lower().encode(encoding) not in lowered, needle


def test_the_stored_columns_hold_no_plaintext(make_record: MakeRecord) -> None:
    english = make_record()
    urdu = make_record(full_name=URDU_NAME)
    table = ProtectedRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id IN (%s, %s)", [english.pk, urdu.pk])  # noqa: S608  # the table name is the model's own
        rows = cursor.fetchall()
    assert len(rows) == 2
    dump = "\x1f".join(str(value) for row in rows for value in row)
    assert_no_plaintext(dump.encode("utf-8"))
    # The fields still give the values back, so the test looked at real data.
    assert ProtectedRecord.objects.get(pk=urdu.pk).full_name == URDU_NAME


def test_the_database_storage_holds_no_plaintext(make_record: MakeRecord) -> None:
    make_record()
    make_record(full_name=URDU_NAME)
    if connection.vendor == "sqlite":
        # The database's pages as this connection sees them, the test's own writes included.
        storage = connection.connection.serialize()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            if cursor.fetchone() != ("on",):
                pytest.skip("reading PostgreSQL's data files needs a superuser connection")
            # A checkpoint writes every changed page to the data files, this transaction's too.
            cursor.execute("CHECKPOINT")
            cursor.execute(
                "SELECT pg_read_binary_file(pg_relation_filepath(%s))",
                [ProtectedRecord._meta.db_table],
            )
            row = cursor.fetchone()
        assert row is not None
        storage = bytes(row[0])
    # The identity is in there somewhere: its row was written, and the table is not empty.
    assert b"v1.k1." in storage
    assert_no_plaintext(storage)
