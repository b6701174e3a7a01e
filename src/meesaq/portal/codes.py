"""Tracking codes and PINs: easy to read aloud and type on a phone, without look-alike characters.

A code is nine characters from 30 (digits 2-9 and letters without I, L, O and U), shown in three
groups: ``K7M-4QX-92P``. About 2·10¹³ codes, so guessing one is hopeless even before throttling;
the PIN (six digits, stored as a password hash) is what keeps a case private.
"""

from __future__ import annotations

import secrets

from meesaq.core.numerals import ascii_digits

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 9
GROUP = 3
PIN_LENGTH = 6


def code_new() -> str:
    """Return a new random code in stored form (no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_display(code: str) -> str:
    """Return a stored code in groups for reading aloud: K7M-4QX-92P."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_normalise(typed: str) -> str:
    """Return a typed code in stored form: upper case, without spaces or dashes; '' if invalid."""
    text = "".join(ch for ch in ascii_digits(typed).upper() if ch not in " -_.\u200f\u200e")
    if len(text) != CODE_LENGTH or any(ch not in ALPHABET for ch in text):
        return ""
    return text


def code_find_in(text: str) -> list[str]:
    """Return every well-formed code written in a message (grouped or not), in stored form."""
    cleaned = ascii_digits(text).upper()
    found: list[str] = []
    for word in cleaned.replace(",", " ").replace(".", " ").split():
        code = code_normalise(word)
        if code and code not in found:
            found.append(code)
    return found


def pin_new() -> str:
    """Return a new six-digit PIN."""
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def pin_normalise(typed: str) -> str:
    """Return a typed PIN as ASCII digits without spaces."""
    return "".join(ascii_digits(typed).split())
