"""The key ring: parsing the setting, encrypting, decrypting, and refusing what does not fit."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from pytest_django.fixtures import Settings

from meesaq.crypto import keyring
from meesaq.crypto.apps import check_keys
from meesaq.crypto.keyring import DecryptionError, UnknownKeyError, decrypt, encrypt
from tests.crypto.conftest import NEW_KEY, OLD_KEY

FIELD = b"testapp.protectedrecord.full_name"


def test_it_round_trips_text_in_both_scripts() -> None:
    for text in ("Shazia Bibi", "شازیہ بی بی", "x" * 5000):
        assert decrypt(encrypt(text, associated=FIELD), associated=FIELD) == text


def test_it_writes_a_compact_token_naming_the_newest_key() -> None:
    token = encrypt("Shazia", associated=FIELD)
    version, key_id, body = token.split(".")
    assert (version, key_id) == ("v1", "k1")
    # 12-byte nonce + 6 bytes of text + 16-byte tag, in unpadded base64url.
    assert len(base64.urlsafe_b64decode(body + "==")) == 12 + 6 + 16
    assert "Shazia" not in token


def test_it_encrypts_the_same_text_differently_every_time() -> None:
    assert encrypt("Shazia", associated=FIELD) != encrypt("Shazia", associated=FIELD)


def test_it_encrypts_new_values_with_the_first_key_listed(settings: Settings) -> None:
    settings.MEESAQ_ENCRYPTION_KEYS = f"k2:{NEW_KEY},k1:{OLD_KEY}"
    assert encrypt("Shazia", associated=FIELD).startswith("v1.k2.")


def test_it_still_decrypts_with_an_old_key_after_a_new_one_is_prepended() -> None:
    token = encrypt("Shazia", associated=FIELD)
    with override_settings(MEESAQ_ENCRYPTION_KEYS=f"k2:{NEW_KEY}, k1:{OLD_KEY}"):
        assert decrypt(token, associated=FIELD) == "Shazia"
        assert keyring.is_current(encrypt("Shazia", associated=FIELD))
        assert not keyring.is_current(token)


def test_it_names_the_missing_key_when_a_key_was_removed_too_early() -> None:
    token = encrypt("Shazia", associated=FIELD)
    with (
        override_settings(MEESAQ_ENCRYPTION_KEYS=f"k2:{NEW_KEY}"),
        pytest.raises(UnknownKeyError, match=r"key 'k1', which is not in MEESAQ_ENCRYPTION_KEYS"),
    ):
        decrypt(token, associated=FIELD)


def test_it_refuses_a_token_with_a_single_character_changed() -> None:
    token = encrypt("Shazia Bibi", associated=FIELD)
    position = len(token) - 5
    flipped = "A" if token[position] != "A" else "B"
    tampered = token[:position] + flipped + token[position + 1 :]
    with pytest.raises(DecryptionError, match="integrity check"):
        decrypt(tampered, associated=FIELD)


def test_it_refuses_a_token_moved_from_another_column() -> None:
    token = encrypt("35202-9876543-2", associated=b"testapp.protectedrecord.cnic")
    with pytest.raises(DecryptionError, match="another column"):
        decrypt(token, associated=FIELD)


def test_it_refuses_a_token_relabelled_with_another_key_id(settings: Settings) -> None:
    settings.MEESAQ_ENCRYPTION_KEYS = f"k2:{OLD_KEY},k1:{OLD_KEY}"
    token = encrypt("Shazia", associated=FIELD)
    with pytest.raises(DecryptionError):
        decrypt(token.replace("v1.k2.", "v1.k1."), associated=FIELD)


@pytest.mark.parametrize("token", ["Shazia Bibi", "v2.k1.abcd", "v1.k1", "v1.k 1.abcd", ""])
def test_it_refuses_text_that_is_not_a_token(token: str) -> None:
    with pytest.raises(DecryptionError, match="not an encrypted token"):
        decrypt(token, associated=FIELD)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "is empty"),
        (OLD_KEY, "entry 1 has no key id"),
        (f"k1:{OLD_KEY},k1:{NEW_KEY}", "the key id 'k1' appears twice"),
        ("k1:not base64!", "key 'k1' is not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "is 5 bytes long; it must be 32 bytes"),
        (f"k.1:{OLD_KEY}", "entry 1 has the key id 'k.1'"),
    ],
)
def test_it_explains_a_malformed_key_setting(settings: Settings, value: str, message: str) -> None:
    settings.MEESAQ_ENCRYPTION_KEYS = value
    with pytest.raises(ImproperlyConfigured, match=message):
        encrypt("Shazia", associated=FIELD)
    assert [error.id for error in check_keys()] == ["crypto.E001"]


def test_it_accepts_keys_in_the_url_safe_alphabet_and_with_spaces() -> None:
    raw = bytes(range(200, 232))
    ring = keyring.parse_keyring(f" k9 : {base64.urlsafe_b64encode(raw).decode()} ")
    assert ring.key("k9") == raw
    assert ring.newest_id == "k9"


def test_it_reports_a_malformed_blind_index_key_in_the_system_checks(
    settings: Settings,
) -> None:
    assert check_keys() == []
    settings.MEESAQ_BLIND_INDEX_KEY = "too short"
    assert [error.id for error in check_keys()] == ["crypto.E002"]
