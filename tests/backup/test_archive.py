"""The encrypted backup format: round trips, and refuses altered, cut or foreign files."""

from __future__ import annotations

import base64
import io
import os

import pytest
from django.test import override_settings

from meesaq.backup.archive import BackupError, DecryptingReader, EncryptingWriter

OTHER_KEY = "k9:" + base64.b64encode(os.urandom(32)).decode()


def seal(data: bytes, *, chunk_bytes: int = 64) -> bytes:
    target = io.BytesIO()
    with EncryptingWriter(target, chunk_bytes=chunk_bytes) as writer:
        for start in range(0, len(data), 50):
            writer.write(data[start : start + 50])
    return target.getvalue()


def unseal(sealed: bytes) -> bytes:
    with DecryptingReader(io.BytesIO(sealed)) as reader:
        return reader.read()


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 1000])
def test_it_gives_back_exactly_what_was_written_across_chunk_boundaries(size: int) -> None:
    data = os.urandom(size)
    assert unseal(seal(data)) == data


def test_the_file_does_not_hold_the_plain_bytes() -> None:
    data = b"Parveen Masih 03900000001 " * 20
    assert b"Parveen" not in seal(data)


def test_it_refuses_a_file_with_one_byte_changed() -> None:
    sealed = bytearray(seal(os.urandom(300)))
    sealed[len(sealed) // 2] ^= 0x01
    with pytest.raises(BackupError, match="integrity check"):
        unseal(bytes(sealed))


def test_it_refuses_a_file_cut_off_after_a_whole_chunk() -> None:
    sealed = seal(os.urandom(300))
    # The header, then the first chunk only: every byte that is there is authentic.
    header = 4 + 1 + sealed[4]
    first_chunk = 4 + 12 + int.from_bytes(sealed[header : header + 4], "big")
    with pytest.raises(BackupError, match="cut short"):
        unseal(sealed[: header + first_chunk])


def test_it_refuses_chunks_in_another_order() -> None:
    sealed = seal(os.urandom(200))
    header = 4 + 1 + sealed[4]
    chunk = 4 + 12 + int.from_bytes(sealed[header : header + 4], "big")
    first, second = sealed[header : header + chunk], sealed[header + chunk : header + 2 * chunk]
    swapped = sealed[:header] + second + first + sealed[header + 2 * chunk :]
    with pytest.raises(BackupError, match="integrity check"):
        unseal(swapped)


def test_it_refuses_bytes_added_after_the_end() -> None:
    with pytest.raises(BackupError, match="after its end"):
        unseal(seal(b"payload") + b"x")


def test_it_says_which_key_is_missing() -> None:
    sealed = seal(b"payload")
    with override_settings(MEESAQ_ENCRYPTION_KEYS=OTHER_KEY), pytest.raises(BackupError) as error:
        unseal(sealed)
    assert "is not in MEESAQ_ENCRYPTION_KEYS" in str(error.value)


def test_a_backup_made_before_a_rotation_still_opens_with_the_old_key_listed() -> None:
    from django.conf import settings

    sealed = seal(b"payload")
    with override_settings(MEESAQ_ENCRYPTION_KEYS=f"{OTHER_KEY},{settings.MEESAQ_ENCRYPTION_KEYS}"):
        assert unseal(sealed) == b"payload"


def test_it_refuses_a_file_that_is_not_a_backup() -> None:
    with pytest.raises(BackupError, match="not a Meesaq backup"):
        unseal(b"PK\x03\x04 a zip file")
