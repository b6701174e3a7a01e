"""The form that makes a personal API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("One year")),
]


class TokenForm(forms.Form):
    """Name, lifetime and scope of a new token."""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Which system uses it, e.g. “Legal aid case system”."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), choices=LIFETIMES, coerce=int, initial="90")
    read_only = forms.BooleanField(
        label=_("Read only (the token cannot change anything)"), required=False
    )
