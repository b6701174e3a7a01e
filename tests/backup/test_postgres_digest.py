"""PostgreSQL backups: the digest the server computes, chunk by chunk, in one shared snapshot."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from meesaq.backup import databases
from meesaq.backup.archive import BackupError
from meesaq.backup.services import backup_create, backup_restore, backup_verify
from tests.backup.test_services import folders, plain_members, record, reseal
from tests.testapp.models import ProtectedRecord

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL suite"),
]
__all__ = ["folders", "record"]  # fixtures shared with the backup tests
TABLE = "testapp_protectedrecord"


def _target() -> databases.PostgresTarget:
    return databases.PostgresTarget.from_settings(connection.settings_dict)


def _more_records(record: ProtectedRecord, count: int) -> None:
    for number in range(count):
        ProtectedRecord.objects.create(
            organisation=record.organisation,
            jurisdiction=record.jurisdiction,
            title=f"case {number + 2}",
        )


def test_a_change_in_any_chunk_changes_that_table_s_digest_only(
    record: ProtectedRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(databases, "CHUNK_ROWS", 2)
    _more_records(record, 4)  # five rows: chunks of 2, 2 and 1
    before = databases.postgres_manifest(_target())
    assert before[TABLE]["rows"] == 5

    last = ProtectedRecord.objects.order_by("pk").last()
    assert last is not None
    ProtectedRecord.objects.filter(pk=last.pk).update(title="changed")
    after = databases.postgres_manifest(_target())

    assert after[TABLE]["rows"] == 5
    assert after[TABLE]["sha256"] != before[TABLE]["sha256"]
    assert {t: s for t, s in after.items() if t != TABLE} == {
        t: s for t, s in before.items() if t != TABLE
    }


def test_every_connection_reads_the_exported_snapshot(record: ProtectedRecord) -> None:
    target = _target()
    before = databases.postgres_manifest(target)
    with target.connect() as exporter:
        exporter.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        row = exporter.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        _more_records(record, 3)  # committed after the snapshot was taken

        in_snapshot = databases.postgres_manifest(target, snapshot=str(row[0]))
        exporter.rollback()

    assert in_snapshot == before
    assert databases.postgres_manifest(target)[TABLE]["rows"] == 4


def test_a_new_backup_names_its_digest(record: ProtectedRecord) -> None:
    report = backup_create()

    manifest = json.loads(plain_members(report.path)["manifest.json"])

    assert manifest["digest"] == databases.ROW_CHUNKS


def _older_sums(
    target: databases.PostgresTarget, name: str | None = None, *, snapshot: str | None = None
) -> databases.TableSums:
    """The sums as a version before the server-side digest took them: row by row, in Python."""
    with target.connect(name) as reader:
        reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        if snapshot is not None:
            reader.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        return databases.postgres_manifest_rows(reader)


def test_a_backup_made_before_the_server_side_digest_still_verifies(
    record: ProtectedRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as older:
        older.setattr(databases, "postgres_manifest", _older_sums)
        report = backup_create()
    members = plain_members(report.path)
    manifest = json.loads(members["manifest.json"])
    del manifest["digest"]  # as an older version wrote it
    members["manifest.json"] = json.dumps(manifest).encode()
    reseal(report.path, members)

    result = backup_verify(path=report.path)

    assert result.ok, result.problems
    assert result.rows == report.rows


def test_a_backup_with_an_unknown_digest_is_refused(record: ProtectedRecord) -> None:
    report = backup_create()
    members = plain_members(report.path)
    manifest = json.loads(members["manifest.json"])
    manifest["digest"] = "md5-someday"
    members["manifest.json"] = json.dumps(manifest).encode()
    reseal(report.path, members)

    with pytest.raises(BackupError, match="unknown"):
        backup_verify(path=report.path)
    ProtectedRecord.objects.filter(pk=record.pk).update(title="after the backup")
    with pytest.raises(BackupError, match="unknown"):
        backup_restore(path=report.path)
    assert ProtectedRecord.objects.get(pk=record.pk).title == "after the backup"  # untouched
