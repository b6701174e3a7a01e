"""The encrypted backup file: a stream of AES-256-GCM sealed chunks under a key of the key ring.

A backup file is::

    b"MQB1" | key id length (1 byte) | key id (ASCII)
    then chunks: sealed length (4 bytes, big-endian) | nonce (12 bytes) | ciphertext and tag

Each chunk's associated data is the header, the chunk's index and a final-chunk flag, so chunks
cannot be reordered, dropped, or cut off at the end without the reader noticing. The key id in
the header lets a backup made before a key rotation be restored while the old key is listed.
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from meesaq.crypto.keyring import NONCE_BYTES, UnknownKeyError, get_keyring

MAGIC = b"MQB1"
CHUNK_BYTES = 1 << 20
_LENGTH_BYTES = 4
_TAG_BYTES = 16


class BackupError(Exception):
    """A backup cannot be made, read or restored; the message says why in plain words."""


def _associated(header: bytes, index: int, *, final: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only file that seals what is written to it into ``target``."""

    def __init__(self, target: BinaryIO, *, chunk_bytes: int = CHUNK_BYTES) -> None:
        super().__init__()
        ring = get_keyring()
        key_id = ring.newest_id.encode("ascii")
        self._header = MAGIC + bytes([len(key_id)]) + key_id
        self._cipher = AESGCM(ring.key(ring.newest_id))
        self._target = target
        self._chunk_bytes = chunk_bytes
        self._buffer = bytearray()
        self._index = 0
        self._finished = False
        target.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]  # RawIOBase types the argument as Buffer
        if self._finished:
            raise ValueError("the backup file is already finished")
        self._buffer += data
        # Keep at least one byte back: the last chunk must be sealed as final in close().
        while len(self._buffer) > self._chunk_bytes:
            self._seal(bytes(self._buffer[: self._chunk_bytes]), final=False)
            del self._buffer[: self._chunk_bytes]
        return len(data)

    def _seal(self, chunk: bytes, *, final: bool) -> None:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._cipher.encrypt(
            nonce, chunk, _associated(self._header, self._index, final=final)
        )
        self._target.write(len(sealed).to_bytes(_LENGTH_BYTES, "big") + nonce + sealed)
        self._index += 1

    def close(self) -> None:
        if not self._finished and not self.closed:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._finished = True
            self._target.flush()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only file over a backup file, checking every chunk and that none is missing."""

    def __init__(self, source: BinaryIO) -> None:
        super().__init__()
        self._source = source
        magic = source.read(len(MAGIC))
        if magic != MAGIC:
            raise BackupError("This is not a Meesaq backup file (its first bytes are wrong).")
        length = source.read(1)
        key_id = source.read(length[0]) if length else b""
        if not length or len(key_id) != length[0]:
            raise BackupError("The backup file is cut short in its header.")
        self._header = MAGIC + length + key_id
        try:
            key = get_keyring().key(key_id.decode("ascii", errors="replace"))
        except UnknownKeyError as error:
            raise BackupError(
                f"The backup was encrypted with key {key_id.decode('ascii', 'replace')!r}, which "
                "is not in MEESAQ_ENCRYPTION_KEYS. Put that key back in the list to restore it."
            ) from error
        self._cipher = AESGCM(key)
        self._index = 0
        self._pending = b""
        self._offset = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bytes:
        prefix = self._source.read(_LENGTH_BYTES)
        if len(prefix) < _LENGTH_BYTES:
            raise BackupError("The backup file is cut short: its last part is missing.")
        sealed_length = int.from_bytes(prefix, "big")
        if sealed_length < _TAG_BYTES or sealed_length > CHUNK_BYTES * 64:
            raise BackupError("The backup file is damaged (a part has an impossible length).")
        nonce = self._source.read(NONCE_BYTES)
        sealed = self._source.read(sealed_length)
        if len(nonce) < NONCE_BYTES or len(sealed) < sealed_length:
            raise BackupError("The backup file is cut short: its last part is missing.")
        for final in (False, True):
            try:
                plain = self._cipher.decrypt(
                    nonce, sealed, _associated(self._header, self._index, final=final)
                )
            except InvalidTag:
                continue
            self._index += 1
            if final:
                self._ended = True
                if self._source.read(1):
                    raise BackupError("The backup file has bytes after its end; it was altered.")
            return plain
        raise BackupError(
            "The backup file failed its integrity check: it was altered or damaged, or it was "
            "made with another key of the same name."
        )

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]  # RawIOBase types the argument as Buffer
        while self._offset >= len(self._pending) and not self._ended:
            self._pending, self._offset = self._next_chunk(), 0
        count = min(len(buffer), len(self._pending) - self._offset)
        buffer[:count] = self._pending[self._offset : self._offset + count]
        self._offset += count
        return count
