"""Digits as people type them: Urdu (Extended Arabic-Indic) and Arabic-Indic digits become ASCII.

A phone keyboard set to Urdu types ۰۱۲۳۴۵۶۷۸۹; spreadsheets made in an Urdu or Arabic locale hold
٠١٢٣٤٥٦٧٨٩. Every parser of numbers, dates, codes and PINs reads them through ``ascii_digits``.
"""

from __future__ import annotations

_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Return the text with Urdu and Arabic-Indic digits written as ASCII digits."""
    return text.translate(_TO_ASCII)
