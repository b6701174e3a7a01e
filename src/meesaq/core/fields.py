"""Form fields for dates and times that accept Urdu and Arabic-Indic digits as well as ASCII ones.

Browsers' date pickers send ASCII digits, but a phone without them (or a user typing in Urdu)
sends ۲۰۲۶-۰۳-۱۴; the value means the same date and is read as such.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms

from meesaq.core.numerals import ascii_digits


class LocalDateField(forms.DateField):
    """A date field that reads any of the numeral systems people in Pakistan type."""

    def to_python(self, value: Any) -> date | None:
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


class LocalDateTimeField(forms.DateTimeField):
    """A date-and-time field that reads any of the numeral systems people in Pakistan type."""

    def to_python(self, value: Any) -> datetime | None:
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)
