"""`meesaq rotate-keys`: everything re-encrypted under the newest key, safely and resumably."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django.fixtures import Settings

from meesaq.audit.models import AuditEvent
from meesaq.crypto.keyring import UnknownKeyError
from meesaq.crypto.rotation import rotate_keys
from tests.crypto.conftest import CNIC, NAME, NEW_KEY, OLD_KEY, PHONE, MakeRecord
from tests.testapp.models import ProtectedRecord

ROTATED = f"k2:{NEW_KEY},k1:{OLD_KEY}"


def stored_key_ids() -> set[str]:
    """Return the key ids of every stored, non-empty token of the test model."""
    table = ProtectedRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT full_name, cnic, phone FROM {table}")  # noqa: S608  # the table name is the model's own
        rows = cursor.fetchall()
    return {value.split(".")[1] for row in rows for value in row if value}


def test_it_re_encrypts_every_value_under_the_newest_key(
    make_record: MakeRecord, settings: Settings
) -> None:
    records = [make_record() for _ in range(5)]
    make_record(cnic="", phone="")
    settings.MEESAQ_ENCRYPTION_KEYS = ROTATED
    report = rotate_keys(batch_size=2)
    assert stored_key_ids() == {"k2"}
    assert report.newest_key_id == "k2"
    assert report.rotated == 6 + 5 + 5
    rotated_models = {model: n for model, n in report.per_model().items() if n}
    assert rotated_models == {"testapp.protectedrecord": 16}
    by_field = {
        column.field: column.rotated
        for column in report.columns
        if column.model == "testapp.protectedrecord"
    }
    assert by_field == {"full_name": 6, "cnic": 5, "phone": 5}
    settings.MEESAQ_ENCRYPTION_KEYS = f"k2:{NEW_KEY}"
    fresh = ProtectedRecord.objects.get(pk=records[0].pk)
    assert (fresh.full_name, fresh.cnic, fresh.phone) == (NAME, CNIC, PHONE)


def test_it_skips_values_already_under_the_newest_key_when_run_again(
    make_record: MakeRecord, settings: Settings
) -> None:
    make_record()
    settings.MEESAQ_ENCRYPTION_KEYS = ROTATED
    make_record()  # written after the new key arrived
    first = rotate_keys()
    assert (first.rotated, first.already_current) == (3, 3)
    table = ProtectedRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, full_name FROM {table} ORDER BY id")  # noqa: S608  # the table name is the model's own
        before = cursor.fetchall()
    second = rotate_keys()
    assert (second.rotated, second.already_current) == (0, 6)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, full_name FROM {table} ORDER BY id")  # noqa: S608  # the table name is the model's own
        assert cursor.fetchall() == before


def test_it_records_the_rotation_in_the_audit_trail_with_counts_only(
    make_record: MakeRecord, settings: Settings
) -> None:
    make_record()
    settings.MEESAQ_ENCRYPTION_KEYS = ROTATED
    rotate_keys()
    event = AuditEvent.objects.get(action="crypto.keys_rotated")
    assert event.actor_id is None
    rotated = {key: value for key, value in event.detail.items() if value}
    assert rotated == {
        "newest_key_id": "k2",
        "rotated": 3,
        "rotated:testapp.protectedrecord": 3,
    }


def test_it_cannot_rotate_a_value_whose_key_is_gone(
    make_record: MakeRecord, settings: Settings
) -> None:
    make_record()
    settings.MEESAQ_ENCRYPTION_KEYS = f"k2:{NEW_KEY}"
    with pytest.raises(UnknownKeyError, match="Put that key back"):
        rotate_keys()


def test_the_command_reports_in_plain_words(make_record: MakeRecord, settings: Settings) -> None:
    make_record()
    settings.MEESAQ_ENCRYPTION_KEYS = ROTATED
    out = StringIO()
    call_command("rotate_keys", batch_size=1, stdout=out)
    text = out.getvalue()
    assert "Newest key: k2." in text
    assert "testapp.protectedrecord.full_name: 1 re-encrypted, 0 already under the newest key." in (
        text
    )
    assert "Done: 3 values re-encrypted, 0 already under the newest key." in text
    assert NAME not in text
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "Done: 0 values re-encrypted, 3 already under the newest key." in out.getvalue()


def test_the_command_refuses_a_batch_size_below_one(db: None) -> None:
    with pytest.raises(CommandError, match="--batch-size must be 1 or more"):
        call_command("rotate_keys", batch_size=0)
