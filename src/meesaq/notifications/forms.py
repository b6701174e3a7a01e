"""The administrators' form for a message template's words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 600


class MessageTemplateForm(forms.Form):
    text_en = forms.CharField(
        label=_("Text in English"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    text_ur = forms.CharField(
        label=_("Text in Urdu"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ur"}),
    )
