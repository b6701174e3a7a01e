"""The call-back form of the case page's deadlines section."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.sla.models import ContactResult


class FirstContactForm(forms.Form):
    result = forms.ChoiceField(label=_("Result of the call"), choices=ContactResult.choices)
    at = forms.DateTimeField(
        label=_("Called at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
