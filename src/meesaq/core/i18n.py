"""Helpers for text stored in both languages (names of places, organisations, taxonomy terms)."""

from __future__ import annotations

from django.utils.translation import get_language


def in_active_language(*, english: str, urdu: str) -> str:
    """Return the Urdu text when Urdu is active and the text exists, else the English."""
    if urdu and (get_language() or "").startswith("ur"):
        return urdu
    return english
