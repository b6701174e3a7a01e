"""Blind indexes: keyed hashes of normalised identity values, for exact lookups without plaintext.

Encrypted columns cannot be searched, so a model that must be found by CNIC, phone or name keeps
a keyed HMAC-SHA256 of the normalised value next to the encrypted one. The same input always
gives the same index, so equality lookups work; without ``MEESAQ_BLIND_INDEX_KEY`` nobody can
compute an index from a guessed CNIC, so the column does not reveal the value.

How a module uses it (the one obvious way)::

    class Person(models.Model):
        cnic = EncryptedTextField(blank=True)
        cnic_index = models.CharField(max_length=64, blank=True, db_index=True)
        phone = EncryptedTextField(blank=True)
        phone_index = models.CharField(max_length=64, blank=True, db_index=True)
        full_name = EncryptedTextField(blank=True)

    class PersonNameToken(models.Model):
        # One row per name token; rebuilt whenever the name changes.
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
        token = models.CharField(max_length=64, db_index=True)

    # In the service that writes a person (normalise first: invalid input raises MeesaqError):
    person.cnic = normalise_cnic(raw_cnic)  # or "" when not given
    person.cnic_index = index_for_cnic(person.cnic)
    person.phone_index = index_for_phone(person.phone)
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person=person, token=t) for t in name_index_tokens(person.full_name)
    )

    # In the selector that searches:
    people.filter(cnic_index=index_for_cnic(query))
    for token in name_index_tokens(query):  # every token of the query must match
        people = people.filter(name_tokens__token=token)

A token table, not a JSON list, holds name tokens because SQLite cannot search inside JSON
arrays and a table with an index serves "all of these tokens" on both databases.

The helpers return "" for a blank value, so an optional field stores "" and is never found by
a search; a search form must refuse an empty query itself.

Indexes are domain-separated by kind ("cnic", "phone", "name"): the same digits hashed as a
CNIC and as a phone number give different indexes. ``meesaq rotate-keys`` does NOT change the
blind index key: a new ``MEESAQ_BLIND_INDEX_KEY`` makes every stored index useless until each
one is recomputed from the decrypted values, so change it only with such a migration.

What an index still reveals: which rows share a value (two complaints by the same CNIC), and,
for name tokens, how common a token is. That is the price of exact lookup.
"""

# Arabic-script letters and Unicode dashes are this module's subject, not look-alike typos.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meesaq.core.errors import MeesaqError
from meesaq.core.numerals import ascii_digits
from meesaq.crypto.keyring import decode_key

# Separators people type inside numbers, and the invisible direction marks that right-to-left
# input adds around digits: hyphens and dashes, spaces (incl. no-break), dots, brackets, slashes.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—−./()\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_KIND = re.compile(r"^[a-z][a-z0-9_.]*$")

CNIC_DIGITS = 13
MOBILE = re.compile(r"^3\d{9}$")
# Geographic numbers: a 2-4 digit area code (not starting with 3, which is mobile) and a
# subscriber number, 9 or 10 digits in all after the trunk 0 (042-12345678, 0544-123456).
LANDLINE = re.compile(r"^[24-9]\d{8,9}$")


def _digits_only(value: str) -> str | None:
    """Return the digits of a number typed with separators, or None if anything else is in it."""
    cleaned = _SEPARATORS.sub("", ascii_digits(value))
    return cleaned if cleaned.isascii() and cleaned.isdigit() else None


def normalise_cnic(value: str) -> str:
    """Return a CNIC as its 13 digits (accepts 35202-1234567-1, spaces and Urdu digits)."""
    digits = _digits_only(value)
    if digits is None or len(digits) != CNIC_DIGITS:
        raise MeesaqError(
            _("A CNIC has 13 digits, written like 35202-1234567-1."), code="invalid_cnic"
        )
    return digits


def normalise_phone(value: str) -> str:
    """Return a Pakistani phone number in E.164 form, like +923001234567."""
    text = value.strip()
    plus = text.startswith("+")
    digits = _digits_only(text[1:] if plus else text)
    national: str | None = None
    if digits is not None:
        if plus:
            national = digits[2:] if digits.startswith("92") else None
        elif digits.startswith("0092"):
            national = digits[4:]
        elif digits.startswith("0"):
            national = digits[1:]
        elif digits.startswith("92") and len(digits) >= 11:  # noqa: PLR2004  # 92 + 9-10 digits
            national = digits[2:]
        elif MOBILE.match(digits):
            national = digits  # a mobile number typed without its leading 0
        if national is not None and digits.startswith(("92", "0092")):
            # "+92 0300 1234567": the trunk 0 written after the country code.
            national = national.removeprefix("0")
    if national is None or not (MOBILE.match(national) or LANDLINE.match(national)):
        raise MeesaqError(
            _(
                "Write a Pakistani phone number, like 0300-1234567, 042-35761234 "
                "or +92 300 1234567."
            ),
            code="invalid_phone",
        )
    return "+92" + national


# --- Names -----------------------------------------------------------------------------------

# Arabic-script letters typed in Arabic or Persian forms, mapped to the Urdu letter.
_URDU_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf
        "ه": "ہ",  # Arabic heh
        "ھ": "ہ",  # do-chashmi heh: Arabic keyboards type ه for both, so they are one letter here
        "ة": "ہ",  # teh marbuta
        "ۃ": "ہ",  # teh marbuta goal
        "ە": "ہ",  # ae (ۀ decomposes to it)
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ـ": None,  # tatweel, a stretching stroke
        "\u200c": None,  # zero-width non-joiner, used inside words
        "\u200d": None,  # zero-width joiner
    }
)
_TOKEN = re.compile(r"[a-z]+|[\u0600-\u06ff]+")
_ARABIC_NON_LETTERS = re.compile(
    r"[\u0600-\u061f\u0660-\u066d\u06d4\u06dd\u06de\u06e9\u06f0-\u06f9]"
)
# Short forms that stand for Muhammad in Roman script.
_ROMAN_ALIASES = {"md": "muhammad", "mhd": "muhammad", "mohd": "muhammad", "muhd": "muhammad"}
# Letters Roman Urdu uses interchangeably: q/k (Qasim, Kasim), w/v (Parwez, Parvez), and the
# aspirated spellings dh/th that are often written without the h (Chaudhry, Chaudri).
_ROMAN_SPELLINGS = (("ck", "k"), ("q", "k"), ("w", "v"), ("dh", "d"), ("th", "t"))
_VOWELS = frozenset("aeiouy")
_INITIAL_VOWEL = {"a": "a", "e": "i", "i": "i", "o": "u", "u": "u"}


def _roman_key(token: str) -> str:
    """Return the phonetic key of a Roman-script name token."""
    word = _ROMAN_ALIASES.get(token, token)
    for spelling, replacement in _ROMAN_SPELLINGS:
        word = word.replace(spelling, replacement)
    # Doubled letters first (Muhammad, Bhatti, Saleem), then the vowels after the first letter.
    word = re.sub(r"(.)\1+", r"\1", word)
    head = _INITIAL_VOWEL.get(word[0], word[0])
    return head + "".join(letter for letter in word[1:] if letter not in _VOWELS)


def _urdu_key(token: str) -> str:
    """Return an Urdu-script name token with its letter variants unified."""
    return token.translate(_URDU_LETTERS)


def name_tokens(name: str) -> list[str]:
    """Return the distinct search tokens of a name, in order, in either script.

    The rules are small on purpose; they find candidates that a person then confirms.

    Roman script (English letters): lower-cased and stripped of accents, then reduced to a
    phonetic key, because the same Urdu name is spelt many ways in English letters:

    - Mohd, Muhd, Mhd and Md stand for Muhammad;
    - q is k, w is v, ck is k, dh is d and th is t;
    - doubled letters count once; after the first letter the vowels (and y) are dropped;
    - a first-letter vowel keeps only its class: a; e and i; o and u (Umar, Omar).

    So Muhammad, Mohammad, Muhammed and Mohd all give "mhmd"; Masih and Maseeh give "msh";
    Yusuf and Yousaf give "ysf". The key is coarse: Mahmood also gives "mhmd".

    Urdu script: the harakat (U+064B-U+065F) and superscript alef (U+0670) are removed, as are
    tatweel and zero-width joiners; letters typed from an Arabic or Persian keyboard become the
    Urdu letter (ي ى → ی, ك → ک, ه ھ ة ۃ ۀ → ہ, أ إ آ ٱ → ا; hamza on a seat is dropped).
    No attempt is made to match a name across scripts.
    """
    # NFKD splits accented Latin letters and hamza/madda forms into a base letter and a mark,
    # and maps Arabic presentation forms to plain letters; the marks are then dropped.
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    bare = _ARABIC_NON_LETTERS.sub(" ", bare.translate(_URDU_LETTERS))
    tokens: list[str] = []
    for match in _TOKEN.finditer(bare):
        word = match.group()
        token = _roman_key(word) if word.isascii() else _urdu_key(word)
        if token not in tokens:
            tokens.append(token)
    return tokens


# --- Keyed hashes ----------------------------------------------------------------------------


def _index_key() -> bytes:
    return decode_key(
        str(getattr(settings, "MEESAQ_BLIND_INDEX_KEY", "")),
        setting="MEESAQ_BLIND_INDEX_KEY",
        label="the key",
    )


def blind_index(kind: str, normalised: str) -> str:
    """Return the 64-character hex HMAC-SHA256 of a normalised value, separated by kind."""
    if not _KIND.match(kind):
        raise ValueError(f"A blind index kind is lower-case letters, digits, '_' or '.': {kind!r}")
    # A kind cannot contain the NUL byte, so "kind NUL value" never collides across kinds.
    message = kind.encode("ascii") + b"\x00" + normalised.encode("utf-8")
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


def index_for_cnic(value: str) -> str:
    """Return the blind index of a CNIC, or "" for a blank one."""
    return blind_index("cnic", normalise_cnic(value)) if value.strip() else ""


def index_for_phone(value: str) -> str:
    """Return the blind index of a phone number, or "" for a blank one."""
    return blind_index("phone", normalise_phone(value)) if value.strip() else ""


def name_index_tokens(name: str) -> list[str]:
    """Return the blind indexes of a name's tokens (one row each in a token table)."""
    return [blind_index("name", token) for token in name_tokens(name)]
