"""The break-glass justification form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.access.services import MIN_REASON_LENGTH


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this identity?"),
        help_text=_(
            "Your supervisors will read this. Describe the need; do not write names or numbers."
        ),
        min_length=MIN_REASON_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
