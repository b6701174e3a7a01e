"""The key ring: AES-256-GCM encryption of identity values under named, rotatable keys.

``settings.MEESAQ_ENCRYPTION_KEYS`` holds ``keyid:base64key`` entries separated by commas,
NEWEST FIRST. New values are always encrypted with the first key; any listed key still
decrypts, so a new key is introduced by putting it in front and older keys are dropped only
after ``meesaq rotate-keys`` has re-encrypted everything under the newest one.

A stored value is a short text token::

    v1.<keyid>.<base64url(nonce || ciphertext-and-tag)>

with a random 96-bit nonce per value. The caller's ``associated`` bytes (for model fields,
``"app_label.model.field"``) are authenticated but not stored, so a token copied into another
column, or altered by a single bit, fails to decrypt instead of yielding a wrong value.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

TOKEN_VERSION = "v1"  # noqa: S105  # a format version, not a secret
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
GENERATE_HINT = (
    'Generate a key with: python -c "import base64, os; '
    'print(base64.b64encode(os.urandom(32)).decode())"'
)


class CryptoError(Exception):
    """A stored value cannot be decrypted; never carries the value or the key."""


class UnknownKeyError(CryptoError):
    """The value was encrypted with a key that is no longer in the key ring."""


class DecryptionError(CryptoError):
    """The value is malformed, was altered, or belongs to another column."""


def decode_key(raw: str, *, setting: str, label: str) -> bytes:
    """Return the 32 bytes of a base64 key, or explain in plain words what is wrong with it."""
    text = raw.strip()
    try:
        # Accept both base64 alphabets: keys pasted from URL-safe generators work too.
        key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(
            f"{setting}: {label} is not valid base64. {GENERATE_HINT}"
        ) from error
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{setting}: {label} is {len(key)} bytes long; it must be {KEY_BYTES} bytes "
            f"(44 base64 characters). {GENERATE_HINT}"
        )
    return key


@dataclass(frozen=True)
class KeyRing:
    """Named keys, newest first."""

    keys: tuple[tuple[str, bytes], ...]

    @property
    def newest_id(self) -> str:
        """Return the id of the key that encrypts new values."""
        return self.keys[0][0]

    @property
    def ids(self) -> tuple[str, ...]:
        """Return every key id, newest first."""
        return tuple(key_id for key_id, _ in self.keys)

    def key(self, key_id: str) -> bytes:
        """Return the key with this id, or explain how to bring it back."""
        for candidate, key in self.keys:
            if candidate == key_id:
                return key
        raise UnknownKeyError(
            f"A stored value was encrypted with key {key_id!r}, which is not in "
            f"MEESAQ_ENCRYPTION_KEYS (it has {', '.join(self.ids)}). Put that key back after the "
            "newest one, run `meesaq rotate-keys`, and only then remove it."
        )


def parse_keyring(value: str) -> KeyRing:
    """Parse a ``MEESAQ_ENCRYPTION_KEYS`` value into a key ring."""
    setting = "MEESAQ_ENCRYPTION_KEYS"
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    if not entries:
        raise ImproperlyConfigured(
            f"{setting} is empty: give at least one key as keyid:base64key. {GENERATE_HINT}"
        )
    keys: list[tuple[str, bytes]] = []
    for position, entry in enumerate(entries, start=1):
        key_id, separator, raw_key = entry.partition(":")
        key_id = key_id.strip()
        if not separator:
            raise ImproperlyConfigured(
                f"{setting}: entry {position} has no key id; write each key as keyid:base64key, "
                "for example k2:<44 base64 characters>."
            )
        if not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(
                f"{setting}: entry {position} has the key id {key_id!r}; a key id is 1 to 32 "
                "letters, digits, '-' or '_'."
            )
        if any(key_id == seen for seen, _ in keys):
            raise ImproperlyConfigured(
                f"{setting}: the key id {key_id!r} appears twice; every key needs its own id."
            )
        keys.append((key_id, decode_key(raw_key, setting=setting, label=f"key {key_id!r}")))
    return KeyRing(keys=tuple(keys))


_keyring: KeyRing | None = None


def get_keyring() -> KeyRing:
    """Return the key ring from settings, parsed once per process (and again after changes)."""
    global _keyring  # noqa: PLW0603  # a per-process cache, reset when the setting changes
    if _keyring is None:
        _keyring = parse_keyring(str(getattr(settings, "MEESAQ_ENCRYPTION_KEYS", "")))
    return _keyring


def reset_keyring() -> None:
    """Forget the cached key ring so that the next use reads settings again."""
    global _keyring  # noqa: PLW0603  # see get_keyring
    _keyring = None


@receiver(setting_changed)
def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "MEESAQ_ENCRYPTION_KEYS":
        reset_keyring()


def _header(key_id: str) -> str:
    return f"{TOKEN_VERSION}.{key_id}."


def encrypt(plaintext: str, *, associated: bytes) -> str:
    """Encrypt text with the newest key and return the token to store."""
    ring = get_keyring()
    key_id = ring.newest_id
    header = _header(key_id)
    nonce = os.urandom(NONCE_BYTES)
    # The header is authenticated too, so the token's key id and version cannot be relabelled.
    sealed = AESGCM(ring.key(key_id)).encrypt(
        nonce, plaintext.encode("utf-8"), header.encode("ascii") + associated
    )
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
    return header + body


def token_key_id(token: str) -> str:
    """Return the id of the key a token was encrypted with."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_VERSION or not KEY_ID_PATTERN.match(parts[1]):  # noqa: PLR2004
        raise DecryptionError(
            "A stored value is not an encrypted token; it may have been written without "
            "encryption or altered."
        )
    return parts[1]


def decrypt(token: str, *, associated: bytes) -> str:
    """Decrypt a token with the key it names, checking that it belongs where it was found."""
    key_id = token_key_id(token)
    key = get_keyring().key(key_id)
    body = token.rsplit(".", 1)[1]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise DecryptionError("A stored value is not valid base64; it has been altered.") from error
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, _header(key_id).encode("ascii") + associated)
    except (InvalidTag, ValueError) as error:
        raise DecryptionError(
            "A stored value failed its integrity check: it was altered, or it was moved here "
            "from another column."
        ) from error
    return plain.decode("utf-8")


def is_current(token: str) -> bool:
    """Say whether a token is already encrypted with the newest key."""
    return token.startswith(_header(get_keyring().newest_id))
