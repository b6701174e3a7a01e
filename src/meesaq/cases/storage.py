"""Attached files: their type read from their first bytes, their bytes encrypted at rest.

An encrypted file under ``MEDIA_ROOT/attachments/`` is::

    b"MQF1" | key id length (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext and tag

sealed with AES-256-GCM under a key of the key ring (``MEESAQ_ENCRYPTION_KEYS``, newest key for
new files). The header and the file's storage name are authenticated, so a file renamed or
swapped for another fails to decrypt, and the key id in the header lets a later rotation find
the key each file needs.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from meesaq.crypto.keyring import NONCE_BYTES, DecryptionError, get_keyring

MAGIC = b"MQF1"
FOLDER = "attachments"


@dataclass(frozen=True)
class FileType:
    """A kind of file Meesaq accepts."""

    content_type: str
    extension: str
    label: str


JPEG = FileType("image/jpeg", ".jpg", "JPEG")
PNG = FileType("image/png", ".png", "PNG")
WEBP = FileType("image/webp", ".webp", "WebP")
PDF = FileType("application/pdf", ".pdf", "PDF")
MP3 = FileType("audio/mpeg", ".mp3", "MP3")
OGG = FileType("audio/ogg", ".ogg", "OGG")
M4A = FileType("audio/mp4", ".m4a", "M4A")
WAV = FileType("audio/wav", ".wav", "WAV")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "DOCX"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "XLSX"
)
ODT = FileType("application/vnd.oasis.opendocument.text", ".odt", "ODT")
ACCEPTED = (JPEG, PNG, WEBP, PDF, MP3, OGG, M4A, WAV, DOCX, XLSX, ODT)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in ACCEPTED}

M4A_BRANDS = {b"M4A ", b"M4B "}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Office documents with macros carry code; they are refused even though they are zip files.
MACRO_PARTS = {"word/vbaProject.bin", "xl/vbaProject.bin"}


def _mp3_frame(head: bytes) -> bool:
    # An MPEG audio frame: 11 sync bits, then layer bits 01 (Layer III).
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 == 0x02  # noqa: PLR2004


def _m4a(head: bytes) -> bool:
    if head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[:4], "big")
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(size, len(head)), 4)}
    return bool(brands & M4A_BRANDS)


def _office(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if names & MACRO_PARTS:
                return None
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= len(ODT_MIMETYPE):
                return ODT if archive.read("mimetype").strip() == ODT_MIMETYPE else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
        return None
    return None


def detect_type(data: bytes) -> FileType | None:  # noqa: PLR0911  # one answer per signature
    """Return the file's type from its bytes (never its name), or None if it is not accepted."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or _mp3_frame(head):
        return MP3
    if _m4a(head):
        return M4A
    if head.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def blob_path(storage_name: str) -> Path:
    """Return where an encrypted file lives."""
    if not storage_name or "/" in storage_name or "\\" in storage_name or storage_name[0] == ".":
        raise ValueError("not a storage name")
    return _root() / storage_name


def _header(key_id: str) -> bytes:
    raw = key_id.encode("ascii")
    return MAGIC + bytes([len(raw)]) + raw


def _associated(header: bytes, storage_name: str) -> bytes:
    return header + b"|cases.attachment|" + storage_name.encode("ascii")


def encrypt_bytes(data: bytes, *, storage_name: str) -> bytes:
    """Seal file bytes under the newest key, bound to the file's storage name."""
    ring = get_keyring()
    header = _header(ring.newest_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.key(ring.newest_id)).encrypt(
        nonce, data, _associated(header, storage_name)
    )
    return header + nonce + sealed


def blob_key_id(blob: bytes) -> str:
    """Return the id of the key an encrypted file was sealed with."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 1:
        raise DecryptionError("A stored file is not an encrypted Meesaq file.")
    length = blob[len(MAGIC)]
    return blob[len(MAGIC) + 1 : len(MAGIC) + 1 + length].decode("ascii", errors="replace")


def decrypt_bytes(blob: bytes, *, storage_name: str) -> bytes:
    """Open sealed file bytes, checking they belong to this storage name."""
    key_id = blob_key_id(blob)
    header = _header(key_id)
    key = get_keyring().key(key_id)
    nonce = blob[len(header) : len(header) + NONCE_BYTES]
    sealed = blob[len(header) + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, sealed, _associated(header, storage_name))
    except (InvalidTag, ValueError) as error:
        raise DecryptionError(
            "A stored file failed its integrity check: it was altered or swapped."
        ) from error


def store(data: bytes) -> str:
    """Encrypt and write file bytes under a new random name; return that name."""
    storage_name = secrets.token_hex(20)
    folder = _root()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / storage_name
    partial = folder / f".{storage_name}.part"
    # Written aside and then renamed, so a crash never leaves half a file under the real name.
    with partial.open("xb") as handle:
        handle.write(encrypt_bytes(data, storage_name=storage_name))
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(target)
    return storage_name


def load(storage_name: str) -> bytes:
    """Read and decrypt a stored file (FileNotFoundError if it is gone)."""
    return decrypt_bytes(blob_path(storage_name).read_bytes(), storage_name=storage_name)


def discard(storage_name: str) -> None:
    """Remove a stored file whose database row was never written."""
    blob_path(storage_name).unlink(missing_ok=True)
