"""Make an encrypted backup of the database and files, verify one, and restore one.

A backup is a tar stream inside the encrypted file format of ``archive.py``:

    database.sqlite3 | database.pgdump    the database snapshot
    files/<path>                          the uploaded files, as stored (already encrypted)
    manifest.json                         engine, time, per-table row counts and digests, files

``--verify`` restores into a scratch database (a temporary SQLite file, or a new PostgreSQL
database that is dropped afterwards) and compares every table and file with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from meesaq.audit.services import audit_record
from meesaq.backup import databases
from meesaq.backup.archive import BackupError, DecryptingReader, EncryptingWriter

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_COPY_BYTES = 1 << 20


@dataclass(frozen=True)
class BackupReport:
    """What a backup holds."""

    path: Path
    engine: str
    tables: int
    rows: int
    files: int
    size: int


@dataclass
class VerifyReport:
    """How a restored copy compares with its manifest."""

    engine: str
    created_at: str
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether every table and file matched."""
        return not self.problems


def _engine() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _postgres() -> databases.PostgresTarget:
    return databases.PostgresTarget.from_settings(connection.settings_dict)


def _raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)  # noqa: S101  # vendor checked by the caller
    return raw


@contextmanager
def _workspace() -> Iterator[Path]:
    """Yield a private folder (mode 0700) beside the backups for plaintext intermediates."""
    folder = Path(settings.MEESAQ_BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".work-", dir=folder) as work:
        yield Path(work)


def _file_digest(path: Path) -> dict[str, int | str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(_COPY_BYTES):
            digest.update(block)
            size += len(block)
    return {"bytes": size, "sha256": digest.hexdigest()}


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (path.relative_to(root).as_posix(), path)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def _add(archive: tarfile.TarFile, name: str, path: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with path.open("rb") as handle:
        archive.addfile(info, handle)


def _default_path(engine: str) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.MEESAQ_BACKUP_DIR) / f"meesaq-{stamp}-{engine}.backup"


def backup_create(*, output: Path | None = None) -> BackupReport:
    """Write an encrypted backup of the database and the uploaded files."""
    engine = _engine()
    path = output or _default_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _workspace() as work:
        snapshot = work / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            databases.sqlite_copy(_raw_sqlite(), snapshot)
            copy = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
            try:
                tables = databases.sqlite_manifest(copy)
            finally:
                copy.close()
        else:
            tables = databases.postgres_dump(_postgres(), snapshot)
        files = _media_files()
        manifest = {
            "format": FORMAT,
            "engine": engine,
            **({"digest": databases.ROW_CHUNKS} if engine == "postgresql" else {}),
            "created_at": timezone.now().isoformat(),
            "database": DATABASE_MEMBERS[engine],
            "tables": tables,
            "files": {name: _file_digest(source) for name, source in files},
        }
        manifest_path = work / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
        partial = path.with_name(path.name + ".partial")
        # Written under another name first, so a stopped backup never looks like a whole one.
        with partial.open("wb") as target:
            partial.chmod(0o600)
            with (
                EncryptingWriter(target) as sealed,
                tarfile.open(fileobj=sealed, mode="w|") as archive,
            ):
                _add(archive, DATABASE_MEMBERS[engine], snapshot)
                for name, source in files:
                    _add(archive, FILES + name, source)
                _add(archive, MANIFEST, manifest_path)
        partial.replace(path)
    rows = sum(int(table["rows"]) for table in tables.values())
    report = BackupReport(
        path=path,
        engine=engine,
        tables=len(tables),
        rows=rows,
        files=len(files),
        size=path.stat().st_size,
    )
    audit_record(
        actor=None,
        action="backup.created",
        object_type="backup",
        object_id=path.name,
        detail={"engine": engine, "tables": report.tables, "rows": rows, "files": report.files},
    )
    return report


def _safe_file_name(name: str) -> str:
    relative = PurePosixPath(name[len(FILES) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError("The backup holds a file with an unsafe name; it was not made by Meesaq.")
    return relative.as_posix()


def _copy_out(source: IO[bytes], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        shutil.copyfileobj(source, handle, _COPY_BYTES)


@dataclass(frozen=True)
class _Unpacked:
    manifest: dict[str, Any]
    database: Path
    files: dict[str, Path]


def _unpack(path: Path, work: Path) -> _Unpacked:
    """Decrypt and unpack a backup into ``work``, checking what it holds."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    database: Path | None = None
    files: dict[str, Path] = {}
    manifest: dict[str, Any] | None = None
    with path.open("rb") as source, DecryptingReader(source) as plain:
        try:
            with tarfile.open(fileobj=plain, mode="r|") as archive:
                for member in archive:
                    handle = archive.extractfile(member) if member.isfile() else None
                    if handle is None:
                        raise BackupError("The backup holds something other than plain files.")
                    if member.name in DATABASE_MEMBERS.values():
                        database = work / member.name
                        _copy_out(handle, database)
                    elif member.name.startswith(FILES):
                        name = _safe_file_name(member.name)
                        files[name] = work / "files" / name
                        _copy_out(handle, files[name])
                    elif member.name == MANIFEST:
                        manifest = json.loads(handle.read().decode("utf-8"))
                    else:
                        raise BackupError("The backup holds an unexpected part; it was altered.")
        except tarfile.TarError as error:
            raise BackupError("The backup's content is damaged.") from error
    if manifest is None or database is None or manifest.get("format") != FORMAT:
        raise BackupError("The backup is incomplete: its manifest or database is missing.")
    return _Unpacked(manifest=manifest, database=database, files=files)


def _compare(unpacked: _Unpacked, tables: databases.TableSums) -> VerifyReport:
    manifest = unpacked.manifest
    report = VerifyReport(engine=str(manifest["engine"]), created_at=str(manifest["created_at"]))
    expected: dict[str, dict[str, Any]] = manifest["tables"]
    for name in sorted(set(expected) | set(tables)):
        if name not in tables:
            report.problems.append(f"table {name} is missing from the restored copy")
        elif name not in expected:
            report.problems.append(f"table {name} is in the restored copy but not the manifest")
        elif tables[name] != expected[name]:
            report.problems.append(
                f"table {name}: {tables[name]['rows']} rows restored, {expected[name]['rows']} "
                "expected, or their content differs"
            )
        else:
            report.tables += 1
            report.rows += int(expected[name]["rows"])
    expected_files: dict[str, dict[str, Any]] = manifest["files"]
    for name in sorted(set(expected_files) | set(unpacked.files)):
        if name not in unpacked.files or name not in expected_files:
            report.problems.append(f"file {name} is not both in the backup and its manifest")
        elif _file_digest(unpacked.files[name]) != expected_files[name]:
            report.problems.append(f"file {name} differs from the manifest")
        else:
            report.files += 1
    return report


def _restored_sums(unpacked: _Unpacked) -> databases.TableSums:
    engine = unpacked.manifest["engine"]
    if engine == "sqlite":
        databases.sqlite_check(unpacked.database)
        restored = sqlite3.connect(f"file:{unpacked.database}?mode=ro", uri=True)
        try:
            return databases.sqlite_manifest(restored)
        finally:
            restored.close()
    target = _postgres()
    with databases.postgres_scratch(target, unpacked.database) as scratch:
        return databases.table_sums(target, scratch, digest=unpacked.manifest.get("digest"))


def _restorable_here(unpacked: _Unpacked) -> None:
    engine = _engine()
    if unpacked.manifest["engine"] != engine:
        raise BackupError(
            f"This is a {unpacked.manifest['engine']} backup; the configured database is {engine}."
        )
    databases.check_digest(unpacked.manifest.get("digest"))


def backup_verify(*, path: Path) -> VerifyReport:
    """Restore a backup into a scratch database and compare it with its manifest."""
    with _workspace() as work:
        unpacked = _unpack(path, work)
        _restorable_here(unpacked)
        report = _compare(unpacked, _restored_sums(unpacked))
    audit_record(
        actor=None,
        action="backup.verified" if report.ok else "backup.verify_failed",
        object_type="backup",
        object_id=path.name,
        detail={"tables": report.tables, "rows": report.rows, "problems": len(report.problems)},
    )
    return report


def backup_restore(*, path: Path) -> VerifyReport:
    """Replace the configured database and files with a backup's, then check them."""
    with _workspace() as work:
        unpacked = _unpack(path, work)
        _restorable_here(unpacked)
        # Check the copy before touching the live database: a bad backup changes nothing.
        check = _compare(unpacked, _restored_sums(unpacked))
        if not check.ok:
            return check
        if unpacked.manifest["engine"] == "sqlite":
            databases.sqlite_restore(unpacked.database, _raw_sqlite())
            live = databases.sqlite_manifest(_raw_sqlite())
        else:
            connections.close_all()
            target = _postgres()
            databases.postgres_restore(target, unpacked.database)
            live = databases.table_sums(target, digest=unpacked.manifest.get("digest"))
        media = Path(settings.MEDIA_ROOT)
        for name, source in unpacked.files.items():
            destination = media / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        report = _compare(unpacked, live)
    audit_record(
        actor=None,
        action="backup.restored",
        object_type="backup",
        object_id=path.name,
        detail={"tables": report.tables, "rows": report.rows, "problems": len(report.problems)},
    )
    return report
