"""Backups of the suite's own database (SQLite or PostgreSQL): made, verified, restored, refused."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pytest_django.fixtures import Settings

from meesaq.audit.models import AuditEvent
from meesaq.audit.services import audit_record
from meesaq.audit.verify import verify_chain
from meesaq.backup.archive import BackupError, DecryptingReader, EncryptingWriter
from meesaq.backup.services import backup_create, backup_restore, backup_verify
from meesaq.geo.loader import load_places
from meesaq.orgs.models import OrganisationKind
from tests.personas import LAHORE, make_organisation
from tests.testapp.models import ProtectedRecord

# Committed rows are what pg_dump and SQLite's online backup see.
pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Backup Canary Yousaf"
CNIC = "05202-1234567-1"
ATTACHMENT = b"MQF1 already-encrypted attachment bytes"


@pytest.fixture
def folders(settings: Settings, tmp_path: Path) -> Path:
    """Point uploads and backups at a scratch folder, with one stored file."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.MEESAQ_BACKUP_DIR = tmp_path / "backups"
    stored = settings.MEDIA_ROOT / "attachments" / "2026" / "ab12.bin"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(ATTACHMENT)
    return tmp_path


@pytest.fixture
def record(folders: Path) -> ProtectedRecord:
    """Create a record carrying an identity, and an audit event."""
    if not ProtectedRecord._meta.get_field("jurisdiction").related_model.objects.exists():  # type: ignore[union-attr]  # a concrete model
        load_places()
    organisation = make_organisation("backup-centre", OrganisationKind.POLICE_CENTRE, LAHORE)
    audit_record(actor=None, action="test.before_backup")
    return ProtectedRecord.objects.create(
        organisation=organisation,
        jurisdiction=organisation.jurisdiction,
        title="case 1",
        full_name=NAME,
        cnic=CNIC,
    )


def plain_members(path: Path) -> dict[str, bytes]:
    """Decrypt a backup and return its tar members."""
    with path.open("rb") as source, DecryptingReader(source) as plain:
        archive_bytes = plain.read()
    with tarfile.open(fileobj=io.BytesIO(archive_bytes)) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive if m.isfile()}  # type: ignore[union-attr]  # files only


def reseal(path: Path, members: dict[str, bytes]) -> None:
    """Write members back as an encrypted backup (as an attacker holding the key could)."""
    with (
        path.open("wb") as target,
        EncryptingWriter(target) as sealed,
        tarfile.open(fileobj=sealed, mode="w|") as archive,
    ):
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_a_backup_verifies_against_its_manifest(record: ProtectedRecord, folders: Path) -> None:
    report = backup_create()

    result = backup_verify(path=report.path)

    assert result.ok, result.problems
    assert result.tables == report.tables > 10
    assert result.rows == report.rows
    assert result.files == report.files == 1
    assert result.engine == connection.vendor


def test_the_backup_holds_no_identity_in_the_clear_even_decrypted(
    record: ProtectedRecord, folders: Path
) -> None:
    report = backup_create()

    raw = report.path.read_bytes()
    members = plain_members(report.path)

    for secret in (NAME.encode(), CNIC.encode(), ATTACHMENT):
        assert secret not in raw
    # Inside, identity columns are still the database's ciphertexts; files are kept as stored.
    assert all(NAME.encode() not in data for data in members.values())
    assert members["files/attachments/2026/ab12.bin"] == ATTACHMENT
    assert not list((folders / "backups").glob(".work-*")), "plaintext workspace left behind"


def test_restore_brings_back_the_database_and_files_as_they_were(
    record: ProtectedRecord, folders: Path
) -> None:
    report = backup_create()
    ProtectedRecord.objects.create(
        organisation=record.organisation,
        jurisdiction=record.jurisdiction,
        title="made after the backup",
    )
    ProtectedRecord.objects.filter(pk=record.pk).update(title="changed after the backup")
    stored = folders / "files" / "attachments" / "2026" / "ab12.bin"
    stored.unlink()

    result = backup_restore(path=report.path)

    assert result.ok, result.problems
    assert list(ProtectedRecord.objects.values_list("title", flat=True)) == ["case 1"]
    assert ProtectedRecord.objects.get().full_name == NAME
    assert stored.read_bytes() == ATTACHMENT
    assert verify_chain().ok
    assert AuditEvent.objects.filter(action="backup.restored").count() == 1


def test_a_backup_whose_content_differs_from_its_manifest_fails_and_restores_nothing(
    record: ProtectedRecord, folders: Path
) -> None:
    report = backup_create()
    members = plain_members(report.path)
    manifest = json.loads(members["manifest.json"])
    manifest["tables"]["testapp_protectedrecord"]["rows"] = 2
    members["manifest.json"] = json.dumps(manifest).encode()
    reseal(report.path, members)
    ProtectedRecord.objects.update(title="kept")

    result = backup_restore(path=report.path)

    assert not result.ok
    assert any("testapp_protectedrecord" in problem for problem in result.problems)
    assert ProtectedRecord.objects.get().title == "kept"


def test_a_backup_with_a_file_outside_the_files_folder_is_refused(
    record: ProtectedRecord, folders: Path
) -> None:
    report = backup_create()
    members = plain_members(report.path)
    members["files/../../escaped.txt"] = b"x"
    reseal(report.path, members)

    with pytest.raises(BackupError, match="unsafe name"):
        backup_verify(path=report.path)
    assert not (folders / "escaped.txt").exists()


def test_the_commands_report_in_plain_words(record: ProtectedRecord, folders: Path) -> None:
    out = io.StringIO()
    target = folders / "nightly.backup"

    call_command("backup", output=target, stdout=out)
    call_command("restore", str(target), verify=True, stdout=out)

    text = out.getvalue()
    assert f"Backup written: {target}" in text
    assert "verified" in text and "match the manifest" in text
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(folders / "missing.backup"), verify=True)
    target.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="not a Meesaq backup"):
        call_command("restore", str(target), verify=True)
